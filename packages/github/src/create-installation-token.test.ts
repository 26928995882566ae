/**
 * Installation tokens through @octokit/auth-app against the simulator: the store we plug in is the only
 * cache (auth-app's plaintext LRU is never used), a token the caller refuses is never stored, concurrent
 * callers share one mint and each still learns what it was minted for, GitHub refusing the JWT's clock
 * is retried once with GitHub's Date, and a failure quotes nothing that was sent. Counted at the simulator.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSimAdmin } from "../../github-sim/local/admin.ts";
import { createInstallationToken } from "./create-installation-token.ts";
import { getRepoInstallation } from "./get-repo-installation.ts";
import { readAppPrivateKey } from "./import-app-private-key.ts";
import type {
  AppCredentials,
  GitHubEndpoints,
  InstallationTokenStore,
  StoredInstallationToken,
} from "./types.ts";

const sim = createSimAdmin(env.SIM_URL);
const github: GitHubEndpoints = { apiUrl: env.SIM_URL, webUrl: env.SIM_URL, timeoutMs: 5000 };
const owner = `auth-app-${crypto.randomUUID().slice(0, 8)}`;
let app: AppCredentials;
let installationId: number;
const notices: string[] = [];

beforeAll(async () => {
  app = {
    appId: env.GITHUB_APP_ID,
    privateKey: await readAppPrivateKey(env.GITHUB_APP_PRIVATE_KEY),
    warn: (notice) => notices.push(notice),
  };
  await sim.seedOrg({ login: owner });
  for (const name of ["widgets", "gadgets"]) await sim.seedRepo({ owner, name, private: true });
  const installation = await sim.seedInstallation({ app: env.GITHUB_APP_ID, account: owner });
  installationId = installation.id;
});

afterEach(async () => {
  await sim.clearFaults();
  await sim.setClock(new Date().toISOString());
  notices.length = 0;
});

/** A store in a Map, counting what auth-app asks of it; `keep: false` forgets every write. */
function mapStore(
  keep = true,
): InstallationTokenStore & { entries: Map<string, StoredInstallationToken>; gets: number } {
  const entries = new Map<string, StoredInstallationToken>();
  const store = {
    entries,
    gets: 0,
    get: async (key: string) => {
      store.gets += 1;
      return entries.get(key);
    },
    set: async (key: string, entry: StoredInstallationToken) => {
      if (keep) entries.set(key, entry);
    },
  };
  return store;
}

async function mints(): Promise<number> {
  return (await sim.issuedTokens()).filter(
    (t) => t.kind === "installation" && t.installationId === installationId,
  ).length;
}

const accept = () => true;

describe("createInstallationToken on @octokit/auth-app", () => {
  it("caches only in the store it is given: without one that keeps, every call mints", async () => {
    const before = await mints();
    const forgetful = mapStore(false);
    const ask = { installationId, repositories: ["widgets"], permissions: { contents: "write" as const } };
    const first = await createInstallationToken(github, app, { ...ask, store: forgetful, accept });
    const second = await createInstallationToken(github, app, { ...ask, store: forgetful, accept });
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    // Had auth-app kept its default in-memory cache, the second call would have been served from it.
    expect(await mints()).toBe(before + 2);
    expect(first.installationToken.token).not.toBe(second.installationToken.token);
    expect(first.installationToken).toMatchObject({
      minted: true,
      permissions: { contents: "write" },
      repositories: [{ fullName: `${owner}/widgets` }],
    });

    const keeping = mapStore();
    const minted = await createInstallationToken(github, app, { ...ask, store: keeping, accept });
    const cached = await createInstallationToken(github, app, { ...ask, store: keeping, accept });
    expect(await mints()).toBe(before + 3);
    expect(cached.ok && minted.ok && cached.installationToken.token === minted.installationToken.token).toBe(
      true,
    );
    // A cached token still says what it was minted for, and that this call did not mint it.
    expect(cached).toMatchObject({
      ok: true,
      installationToken: { minted: false, repositories: [{ fullName: `${owner}/widgets` }] },
    });
    const [entry] = [...keeping.entries.values()];
    expect(entry).toMatchObject({ installationId, repositories: [{ fullName: `${owner}/widgets` }] });
    expect(entry?.expiresAt).toBeGreaterThan(Date.now());
  });

  it("never stores a token the caller refuses", async () => {
    const store = mapStore();
    const refused = await createInstallationToken(github, app, {
      installationId,
      repositories: ["gadgets"],
      permissions: { contents: "read" },
      store,
      accept: (repositories) => repositories.every((r) => r.fullName === `${owner}/widgets`),
    });
    expect(refused).toMatchObject({ ok: true, installationToken: { minted: true } });
    expect(store.entries.size).toBe(0);
  });

  it("20 concurrent callers of one store: auth-app shares one mint, each learns its repositories", async () => {
    const before = await mints();
    const shared = mapStore();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        createInstallationToken(github, app, {
          installationId,
          repositories: ["gadgets"],
          permissions: { contents: "read", metadata: "read" },
          store: shared,
          accept,
        }),
      ),
    );
    expect(
      results.every((r) => r.ok && r.installationToken.repositories[0]?.fullName === `${owner}/gadgets`),
    ).toBe(true);
    expect(new Set(results.map((r) => (r.ok ? r.installationToken.token : ""))).size).toBe(1);
    expect(await mints()).toBe(before + 1);
    // Exactly one of them minted it; the rest joined and read it back from the store.
    expect(results.filter((r) => r.ok && r.installationToken.minted)).toHaveLength(1);
  });

  it("a caller that joined a mint its minter refused gets a token of its own, never the refused one", async () => {
    // The rename race: a caller with a stale name mints first and refuses what GitHub minted (and
    // revokes it); a caller asking for that very repository joins the mint at the same moment.
    const before = await mints();
    const store = mapStore();
    const ask = {
      installationId,
      repositories: ["widgets"],
      permissions: { pull_requests: "read" as const },
    };
    const [stale, fresh] = await Promise.all([
      createInstallationToken(github, app, { ...ask, store, accept: () => false }),
      createInstallationToken(github, app, { ...ask, store, accept }),
    ]);
    expect(stale).toMatchObject({ ok: true, installationToken: { minted: true } });
    expect(fresh).toMatchObject({ ok: true, installationToken: { minted: true } });
    if (!stale.ok || !fresh.ok) return;
    expect(fresh.installationToken.token).not.toBe(stale.installationToken.token);
    expect(await mints()).toBe(before + 2);
    expect([...store.entries.values()].map((e) => e.value.split("|")[0])).toEqual([
      fresh.installationToken.token,
    ]);
  });

  it("a token cached for `admin` is never handed to a caller who asked `write` of the same permission", async () => {
    // auth-app's own cache key writes admin and write alike (`administration!`): under it, the second
    // ask below would be served the admin token from the store.
    const adminOwner = `${owner}-admin`;
    await sim.seedOrg({ login: adminOwner });
    await sim.seedRepo({ owner: adminOwner, name: "settings", private: true });
    const admin = await sim.seedInstallation({
      app: env.GITHUB_APP_ID,
      account: adminOwner,
      permissions: { administration: "admin", metadata: "read" },
    });
    const issued = async () =>
      (await sim.issuedTokens()).filter((t) => t.kind === "installation" && t.installationId === admin.id)
        .length;
    const store = mapStore();
    const ask = { installationId: admin.id, repositories: ["settings"], store, accept };
    const asAdmin = await createInstallationToken(github, app, {
      ...ask,
      permissions: { administration: "admin" },
    });
    const asWrite = await createInstallationToken(github, app, {
      ...ask,
      permissions: { administration: "write" },
    });
    expect(asAdmin).toMatchObject({ ok: true, installationToken: { minted: true } });
    expect(asWrite).toMatchObject({
      ok: true,
      installationToken: { minted: true, permissions: { administration: "write" } },
    });
    if (!asAdmin.ok || !asWrite.ok) return;
    expect(asWrite.installationToken.token).not.toBe(asAdmin.installationToken.token);
    expect(await issued()).toBe(2);
    // Each level is served from the store afterwards, its own token only.
    const again = await createInstallationToken(github, app, {
      ...ask,
      permissions: { administration: "write" },
    });
    expect(again).toMatchObject({ ok: true, installationToken: { minted: false } });
    if (again.ok) expect(again.installationToken.token).toBe(asWrite.installationToken.token);
    expect(await issued()).toBe(2);
  });

  it("GitHub refusing the JWT's clock is retried once with GitHub's Date, and says so through `warn`", async () => {
    // GitHub's clock 20 minutes ahead: the JWT signed by our clock has expired by GitHub's.
    await sim.setClock(new Date(Date.now() + 20 * 60_000).toISOString());
    await sim.clearCalls();
    const found = await getRepoInstallation(github, app, owner, "widgets");
    expect(found).toMatchObject({ ok: true, installation: { installationId } });
    expect(await sim.count("GET /repos/{owner}/{repo}/installation")).toBe(2);
    expect(notices.some((n) => /different by 1[12]\d\d seconds/.test(n))).toBe(true);

    const minted = await createInstallationToken(github, app, {
      installationId,
      repositories: ["widgets"],
      permissions: { metadata: "read" },
      store: mapStore(),
      accept,
    });
    expect(minted).toMatchObject({ ok: true, installationToken: { minted: true } });
  });

  it("a failure is GitHub's status and message only: nothing of the request (the App's JWT) travels", async () => {
    await sim.injectFault({ path: `/app/installations/${installationId}/access_tokens`, status: 500 });
    const failed = await createInstallationToken(github, app, {
      installationId,
      repositories: ["widgets"],
      permissions: { contents: "write" },
      store: mapStore(),
      accept,
    });
    expect(failed).toMatchObject({ ok: false, reason: "github_unavailable", status: 500 });
    const text = JSON.stringify(failed);
    expect(text).not.toMatch(/eyJ|bearer|authorization|widgets/i);
    // A repository outside the installation is GitHub's 422, as before.
    const outside = await createInstallationToken(github, app, {
      installationId,
      repositories: ["no-such-repo"],
      permissions: { contents: "write" },
      store: mapStore(),
      accept,
    });
    expect(outside).toMatchObject({ ok: false, reason: "validation_failed", status: 422 });
  });
});
