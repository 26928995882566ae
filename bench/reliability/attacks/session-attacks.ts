/**
 * The session attacks of #13 (§3–§6), run against the running suite through the platform stand-in: an
 * ended session's secret and credentials, re-preparing an ended id, credential calls racing the end,
 * "end all my sessions", a flood of rejection reports for one token (GitHub calls counted at the
 * simulator), one stray 401 on the repository check, and the person's name in session storage after
 * `deleteUserData`. The HTTP side (every route 401, sockets closed, capped bodies, the lifetime with an
 * injected clock) is in workers/session/test, where the clock can be injected.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { freshWorld, harness, rpc, sim } from "../harness/client.ts";
import type { AttackResult } from "./types.ts";

const FILE = "oauth-attacks";
const CATEGORY = "sessions";
const CHECK_ROUTE = "POST /applications/{client_id}/token";

type Answer = { ok: boolean; reason?: string; token?: string; sessionSecret?: string; source?: string };

function result(name: string, refused: boolean, detail: string): AttackResult {
  return { category: CATEGORY, name, refused, detail };
}

/** Every file of the session objects' on-disk storage, as text. */
function sessionStorageText(): string {
  const root = harness().persistDir;
  const texts: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, encoding: "utf8" })) {
    if (!entry.includes("CloudAgentSession")) continue;
    const path = join(root, entry);
    if (statSync(path).isFile()) texts.push(readFileSync(path).toString("latin1"));
  }
  return texts.join("\n");
}

/** The session attacks; each refused only when the answer is the documented refusal and nothing leaked. */
export async function sessionAttacks(): Promise<AttackResult[]> {
  const cell = await freshWorld("att-sess");
  const { userId } = cell.person;
  const base = { userId, tenantId: cell.tenantId, owner: cell.owner, repo: cell.repo, mode: "now" };
  const prepare = (sessionId: string) =>
    rpc<Answer>(FILE, "SESSION", "prepareSession", { sessionId, ...base });
  const out: AttackResult[] = [];

  // An ended session: nothing it had may be used again, through any method.
  const ended = `att-ended-${userId}`;
  await prepare(ended);
  const racing = Array.from({ length: 20 }, () =>
    rpc<Answer>(FILE, "SESSION", "getGitCredentials", { sessionId: ended, userId }),
  );
  await rpc(FILE, "SESSION", "endSession", { sessionId: ended, userId });
  await Promise.all(racing);
  const after = await Promise.all([
    rpc<Answer>(FILE, "SESSION", "getGitCredentials", { sessionId: ended, userId }),
    rpc<Answer>(FILE, "SESSION", "refreshGitHubToken", { sessionId: ended, userId, reason: "expiring" }),
    rpc<Answer>(FILE, "SESSION", "getSession", { sessionId: ended, userId }),
    rpc<Answer>(FILE, "SESSION", "getEvents", { sessionId: ended, userId }),
  ]);
  out.push(
    result(
      "credentials of an ended session (after 20 racing calls)",
      after.every((a) => !a.ok && a.reason === "session_ended"),
      after.map((a) => (a.ok ? "ok" : String(a.reason))).join(", "),
    ),
  );
  const again = await prepare(ended);
  out.push(
    result(
      "re-preparing an ended session id",
      !again.ok && again.reason === "session_ended" && again.sessionSecret === undefined,
      again.ok ? "a new secret" : String(again.reason),
    ),
  );

  // "End the sessions that use my identity": none of them answers afterwards.
  const mine = [`att-all-1-${userId}`, `att-all-2-${userId}`];
  for (const id of mine) await prepare(id);
  await rpc(FILE, "SESSION", "endSessionsForUser", { userId });
  const left = await Promise.all(
    mine.map((sessionId) => rpc<Answer>(FILE, "SESSION", "getGitCredentials", { sessionId, userId })),
  );
  out.push(
    result(
      "a session left running after endSessionsForUser",
      left.every((a) => !a.ok && a.reason === "session_ended"),
      left.map((a) => (a.ok ? "ok" : String(a.reason))).join(", "),
    ),
  );

  // A flood of rejection reports for a token GitHub accepts: one settle at most.
  const flood = `att-flood-${userId}`;
  await prepare(flood);
  const creds = await rpc<Answer>(FILE, "SESSION", "getGitCredentials", { sessionId: flood, userId });
  const rejectedTokenSha256 = createHash("sha256")
    .update(creds.token ?? "")
    .digest("hex");
  const checksBefore = await sim().count(CHECK_ROUTE);
  const report = () =>
    rpc<Answer>(FILE, "SESSION", "refreshGitHubToken", {
      sessionId: flood,
      userId,
      reason: "rejected",
      rejectedTokenSha256,
    });
  await Promise.all(Array.from({ length: 30 }, report));
  for (let i = 0; i < 10; i++) await report();
  const settles = (await sim().count(CHECK_ROUTE)) - checksBefore;
  out.push(result("40 rejection reports for one live token", settles <= 1, `${settles} token checks`));

  // One stray 401 on the repository check must not downgrade a person whose token works.
  const stray = await freshWorld("att-401");
  await sim().injectFault({
    path: `/repos/${stray.owner}/${stray.repo}`,
    method: "GET",
    status: 401,
    times: 1,
  });
  const answer = await rpc<Answer>(FILE, "GIT_TOKEN", "getTokenForRepo", {
    userId: stray.person.userId,
    tenantId: stray.tenantId,
    owner: stray.owner,
    repo: stray.repo,
  });
  await sim().clearFaults();
  out.push(
    result(
      "one transient 401 on repository access",
      answer.ok && answer.source === "user",
      answer.ok ? `source ${answer.source}` : String(answer.reason),
    ),
  );

  // The person's name and e-mail in session objects after deleteUserData.
  const named = `att-erase-${userId}`;
  await prepare(named);
  await rpc(FILE, "SESSION", "getGitCredentials", { sessionId: named, userId });
  await rpc(FILE, "GIT_TOKEN", "deleteUserData", { userId });
  const email = `${cell.person.githubUserId}+${cell.person.login}@users.noreply.github.com`;
  const stored = sessionStorageText();
  // bench/lib/world.ts names each person `Person <n> of <tag>`, their login being `<tag>-person-<n>`.
  const name = new RegExp(`Person \\d+ of ${cell.person.login.replace(/-person-\d+$/, "")}`);
  const found = [stored.includes(email) ? "e-mail" : "", name.test(stored) ? "name" : ""].filter(
    (f) => f !== "",
  );
  out.push(
    result(
      "the person's name or e-mail in session storage after deleteUserData",
      found.length === 0,
      found.length === 0 ? "none stored" : `${found.join(" and ")} found`,
    ),
  );
  return out;
}
