/**
 * The rename and transfer attacks of #15 §3, against the whole suite with GitHub's webhooks really
 * delivered to connect: an organisation renamed with and without the `installation_target` webhook,
 * its old login taken by someone else, a repository transferred (GitHub's 301), and a session for it
 * (not retried). Refused only when no token for another repository than the one named comes back.
 */
import { randomBytes } from "node:crypto";
import { claimFor, freshWorld, harness, rpc, sim, waitForInstallation } from "../harness/client.ts";
import type { AttackResult } from "./types.ts";

const FILE = "oauth-attacks";
const LOOKUP = "GET /repos/{owner}/{repo}/installation";
const READ = { contents: "read", metadata: "read" };

type Answer = { ok: boolean; reason?: string; installationId?: number; token?: string };

function result(name: string, refused: boolean, detail: string): AttackResult {
  return { category: "renames", name, refused, detail };
}

function describe(answer: Answer): string {
  return answer.ok ? `a token of installation ${answer.installationId}` : String(answer.reason);
}

/** Waits until the simulator's `event` delivery for `installationId` was answered by connect. */
async function delivered(event: string, installationId: number): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const done = (await sim().deliveries()).find(
      (d) =>
        d.event === event &&
        (d.payload as { installation?: { id?: number } }).installation?.id === installationId &&
        (d.status !== null || d.error !== null),
    );
    if (done) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${event} for installation ${installationId} was never answered`);
}

/** Lookups GitHub got for `owner`'s repositories (the simulator is shared by the whole run). */
async function lookupsOf(owner: string): Promise<number> {
  return (await sim().calls({ route: LOOKUP })).filter((c) => c.path.startsWith(`/repos/${owner}/`)).length;
}

async function appToken(
  tenantId: string,
  owner: string,
  repo: string,
  permissions?: object,
): Promise<Answer> {
  return rpc(FILE, "GIT_TOKEN", "getInstallationToken", {
    tenantId,
    owner,
    repo,
    ...(permissions === undefined ? {} : { permissions }),
  });
}

/** The attacks; each world is fresh. */
export async function renameAttacks(): Promise<AttackResult[]> {
  const out: AttackResult[] = [];

  // 1. Renamed with the webhook: the cached token of the old name must go with it.
  {
    const cell = await freshWorld("att-rename-hook", { connect: false });
    await appToken(cell.tenantId, cell.owner, cell.repo);
    await sim().renameAccount(cell.owner, `${cell.owner}-corp`);
    await delivered("installation_target", cell.installationId);
    const answer = await appToken(cell.tenantId, cell.owner, cell.repo);
    out.push(
      result(
        "organisation renamed, webhook delivered: the old name (token cached before) yields no token",
        !answer.ok,
        describe(answer),
      ),
    );
  }

  // 2. Renamed without the webhook: GitHub mints `<new>/repo` for the old name; gitcred must refuse it.
  {
    const cell = await freshWorld("att-rename-nohook", { connect: false });
    await appToken(cell.tenantId, cell.owner, cell.repo);
    await sim().renameAccount(cell.owner, `${cell.owner}-corp`, { webhook: false });
    const answer = await appToken(cell.tenantId, cell.owner, cell.repo, READ);
    const live = (await sim().issuedTokens()).filter(
      (t) => t.installationId === cell.installationId && t.status === "active",
    );
    out.push(
      result(
        "organisation renamed, no webhook: the old name mints no token for the renamed organisation's repository",
        !answer.ok && live.length === 1,
        `${describe(answer)}, ${live.length} live token(s) of the installation (the one minted before)`,
      ),
    );
  }

  // 3. The old login taken by someone else, who installs the App: their name, their installation only.
  {
    const cell = await freshWorld("att-rename-taken", { connect: false });
    await appToken(cell.tenantId, cell.owner, cell.repo);
    await sim().renameAccount(cell.owner, `${cell.owner}-corp`, { webhook: false });
    await sim().seedOrg({ login: cell.owner });
    await sim().seedRepo({ owner: cell.owner, name: cell.repo });
    const theirs = await sim().seedInstallation({
      app: harness().appId,
      account: cell.owner,
      repositories: [cell.repo],
    });
    await waitForInstallation(theirs.id);
    await delivered("installation", theirs.id);
    // A platform serving both organisations: one tenant claimed both installations.
    await claimFor(cell.tenantId, theirs.id);
    const answer = await appToken(cell.tenantId, cell.owner, cell.repo);
    out.push(
      result(
        "old login taken by another organisation: its repository never gets the old organisation's token",
        !answer.ok || answer.installationId === theirs.id,
        describe(answer),
      ),
    );
  }

  // 4. Transferred: GitHub's 301 on the old path is reported as such, once, with no token.
  {
    const cell = await freshWorld("att-transfer", { connect: false });
    await appToken(cell.tenantId, cell.owner, cell.repo);
    const other = `att-transfer-to-${randomBytes(3).toString("hex")}`;
    await sim().seedOrg({ login: other });
    await sim().transferRepo(cell.owner, cell.repo, other, { webhook: false });
    const before = await lookupsOf(cell.owner);
    const answer = await appToken(cell.tenantId, cell.owner, cell.repo, READ);
    const lookups = (await lookupsOf(cell.owner)) - before;
    out.push(
      result(
        "repository transferred: the old name is repository_moved (GitHub's 301), no token",
        answer.ok === false && answer.reason === "repository_moved" && lookups === 1,
        `${describe(answer)}, ${lookups} lookup(s)`,
      ),
    );

    // 5. A session for it: failed at once, GitHub asked once, not 7 times.
    const sessionBefore = await lookupsOf(cell.owner);
    const session = await rpc<{ ok: boolean; reason?: string }>(FILE, "SESSION", "prepareSession", {
      sessionId: `moved-${randomBytes(4).toString("hex")}`,
      userId: cell.person.userId,
      tenantId: cell.tenantId,
      owner: cell.owner,
      repo: cell.repo,
      // Read access: not the permissions of the token cached before the transfer (minted for that
      // repository by id, it stays cached until a webhook or its expiry), so GitHub is asked.
      access: "read",
      prefer: "app",
      mode: "now",
    });
    const asked = (await lookupsOf(cell.owner)) - sessionBefore;
    out.push(
      result(
        "a session for a moved repository: not retried (one GitHub lookup)",
        session.ok === false && session.reason === "repository_moved" && asked === 1,
        `${session.ok ? "prepared" : String(session.reason)}, ${asked} lookup(s)`,
      ),
    );
  }
  return out;
}
