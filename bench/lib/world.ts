/**
 * Seeds a benchmark world in the simulator — people, organisations with repositories, the App installed
 * on each organisation — and connects people to gitcred the way a person does: the OAuth web flow with
 * PKCE at the simulator's authorize page, then the code traded by git-token (`connectWithOAuthCode`, the
 * RPC the connect worker's callback calls).
 */
import { createHash, randomBytes } from "node:crypto";
import type { SimAdmin } from "../../packages/github-sim/local/index.ts";
import { callRpc } from "../../test-support/platform-worker.ts";

export interface Person {
  login: string;
  githubUserId: number;
  /** The platform's id for the person. */
  userId: string;
}

export interface Org {
  login: string;
  installationId: number;
  repos: string[];
}

export interface World {
  people: Person[];
  orgs: Org[];
  /** The platform tenant whose callers the world's sessions belong to (it holds every installation's claim). */
  tenantId: string;
}

export interface WorldShape {
  /** Prefix for every name, so several worlds can share a simulator. */
  tag: string;
  people: number;
  orgs: number;
  reposPerOrg: number;
  /** The role person `p` has on repository `r` of org `o` (indexes), or null for none. */
  role(p: number, o: number, r: number): "read" | "write" | "admin" | null;
}

/** Seeds `shape` in the simulator; installations notify the App's webhook URL, if it has one. */
export async function seedWorld(admin: SimAdmin, appId: number, shape: WorldShape): Promise<World> {
  const people: Person[] = [];
  for (let p = 0; p < shape.people; p++) {
    const login = `${shape.tag}-person-${p}`;
    const account = await admin.seedUser({ login, name: `Person ${p} of ${shape.tag}` });
    people.push({ login, githubUserId: account.id, userId: `${shape.tag}-user-${p}` });
  }
  const orgs: Org[] = [];
  for (let o = 0; o < shape.orgs; o++) {
    // No base permission: who can do what is exactly the collaborator roles below.
    const login = `${shape.tag}-org-${o}`;
    await admin.seedOrg({ login, defaultRepositoryPermission: "none" });
    const repos: string[] = [];
    for (let r = 0; r < shape.reposPerOrg; r++) {
      const name = `repo-${r}`;
      const collaborators: Record<string, "read" | "write" | "admin"> = {};
      people.forEach((person, p) => {
        const role = shape.role(p, o, r);
        if (role !== null) collaborators[person.login] = role;
      });
      await admin.seedRepo({ owner: login, name, collaborators });
      repos.push(name);
    }
    const installation = await admin.seedInstallation({ app: appId, account: login, repositories: repos });
    orgs.push({ login, installationId: installation.id, repos });
  }
  return { people, orgs, tenantId: `${shape.tag}-tenant` };
}

/**
 * Grants the world's tenant every installation of the world, as a platform operator does once
 * (`grantInstallation`): without a claim, git-token refuses the App's tokens with `no_entitlement`.
 */
export async function claimWorld(
  sql: { query(text: string, values: unknown[]): Promise<unknown> },
  world: World,
): Promise<void> {
  for (const org of world.orgs) {
    await sql.query(
      "insert into installation_claims (tenant_id, installation_id, via, caller) values ($1, $2, 'grant', 'bench') on conflict do nothing",
      [world.tenantId, org.installationId],
    );
  }
}

/** The OAuth web flow at the simulator for `login` (signed in and approving at once): a code + verifier. */
export async function authorizeAtSimulator(
  simUrl: string,
  clientId: string,
  login: string,
  redirectUri: string,
): Promise<{ code: string; codeVerifier: string }> {
  const codeVerifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(codeVerifier).digest("base64url");
  const form = new URLSearchParams({
    sim_action: "signin",
    login,
    client_id: clientId,
    redirect_uri: redirectUri,
    state: randomBytes(16).toString("hex"),
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const res = await fetch(`${simUrl}/login/oauth/authorize`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  const location = res.headers.get("location");
  const code = location === null ? null : new URL(location).searchParams.get("code");
  if (res.status !== 302 || code === null) throw new Error(`authorize for ${login} answered ${res.status}`);
  return { code, codeVerifier };
}

/** Connects `person` through the web flow and git-token's RPC; throws unless it was stored. */
export async function connectPerson(
  suite: { publicUrl: string; platformUrl: string },
  simUrl: string,
  clientId: string,
  person: Person,
): Promise<void> {
  const redirectUri = `${suite.publicUrl}/github/callback`;
  const { code, codeVerifier } = await authorizeAtSimulator(simUrl, clientId, person.login, redirectUri);
  const stored = await callRpc<{ ok: boolean; reason?: string }>(
    suite.platformUrl,
    "GIT_TOKEN",
    "connectWithOAuthCode",
    { userId: person.userId, code, codeVerifier, redirectUri },
  );
  if (!stored.ok) throw new Error(`connecting ${person.login} failed: ${stored.reason}`);
}
