/**
 * Concurrent calls for one repository share one repo-access lookup (`checkRepoAccess`). A call that
 * joins another's lookup must still answer its own token when that is the newer one: the leader may
 * have started with a token the joiner has just reported dead and replaced (its settling refreshed the
 * row), and answering the leader's would hand out the very token GitHub refused. KV's answer is held at
 * a gate so the second call joins while the first is reading.
 */
import { describe, expect, it } from "vitest";
import { gate } from "../../../test-support/gate.ts";
import { checkRepoAccess } from "../src/user/check-repo-access.ts";
import type { UsableUserToken } from "../src/user/refresh-outcome.ts";
import { logicDeps, unique } from "./helpers.ts";

describe("a call that joins another's repo-access lookup", () => {
  it("answers the newer of the two tokens of the connection, not the leader's older one", async () => {
    const { deps, done } = logicDeps();
    const reading = gate();
    const answer = gate();
    const kv = deps.kv;
    // The cached verdict (the person may push), answered once the second call has joined.
    deps.kv = {
      ...kv,
      get: (async () => {
        reading.open();
        await answer.promise;
        return { pull: true, push: true };
      }) as unknown as KVNamespace["get"],
    } as KVNamespace;
    const userId = unique("joiner");
    const older: UsableUserToken = {
      token: `ghu_${"a".repeat(36)}`,
      expiresAt: null,
      connectionId: crypto.randomUUID(),
      version: 3,
      identity: {
        kind: "user",
        githubUserId: 1,
        login: "p",
        name: "P",
        email: "1+p@users.noreply.github.com",
      },
    };
    const newer: UsableUserToken = { ...older, token: `ghu_${"b".repeat(36)}`, version: 4 };
    const where = { userId, owner: "acme", repo: "widgets" };
    const leader = checkRepoAccess(deps, { ...where, stored: older });
    await reading.promise;
    const joiner = checkRepoAccess(deps, { ...where, stored: newer });
    answer.open();
    const [led, joined] = await Promise.all([leader, joiner]);
    expect(led).toMatchObject({ ok: true, push: true, token: { version: 3 } });
    expect(joined).toMatchObject({ ok: true, push: true, token: { version: 4, token: newer.token } });
    await done();
  });
});
