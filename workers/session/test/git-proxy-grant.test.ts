/**
 * A git proxy grant is one call to the session's object, but it waits on GitHub (the repository's
 * default branch, for the branch policy) and on git-token. Meanwhile the object takes other calls: the
 * platform may end the session or re-prepare it, which rotates its secret. The grant must then refuse:
 * "the secret stops working at once" holds for the proxy too, not only for calls that start later.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { gate } from "../../../test-support/gate.ts";
import { createTokenVerifier } from "../src/credentials/verify-token.ts";
import { type GitProxyGrant, grantGitProxy } from "../src/proxy/grant-git-proxy.ts";
import { endSession } from "../src/record/end-session.ts";
import {
  connect,
  objectDeps,
  prepareRequest,
  prepareSessionFor,
  seedWorld,
  sessionObject,
  sessions,
  sha256,
  testEnv,
} from "./helpers.ts";

const PUSH = [
  { ref: "refs/heads/agent/race", action: "create" as const, oldId: "0".repeat(40), newId: "1".repeat(40) },
];

/** Runs a push grant whose GitHub lookup is held until `meanwhile` has run in the same object. */
async function grantAround(
  sessionId: string,
  secret: string,
  repository: { owner: string; repo: string },
  meanwhile: (deps: ReturnType<typeof objectDeps>) => Promise<unknown>,
): Promise<{ grant: GitProxyGrant; meanwhile: unknown }> {
  const secretSha256 = await sha256(secret);
  return runInDurableObject(sessionObject(sessionId), async (_instance, state) => {
    const asked = gate();
    const answer = gate();
    const github = createTokenVerifier({ apiUrl: testEnv.GITHUB_API_URL, webUrl: testEnv.GITHUB_WEB_URL });
    const deps = objectDeps(state, {
      verifier: {
        ...github,
        defaultBranch: async (token, owner, repo) => {
          asked.open();
          await answer.promise;
          return github.defaultBranch(token, owner, repo);
        },
      },
    });
    const pending = grantGitProxy(deps, secretSha256, {
      ...repository,
      service: "git-receive-pack",
      updates: PUSH,
    });
    await asked.promise;
    const other = await meanwhile(deps);
    answer.open();
    return { grant: await pending, meanwhile: other };
  });
}

describe("a git proxy grant racing a change of the session", () => {
  it("the session ended while the grant waited on GitHub: no token, the push is refused", async () => {
    const world = await seedWorld();
    await connect(world);
    const live = await prepareSessionFor(world);
    const outcome = await grantAround(live.sessionId, live.secret, world, (deps) =>
      endSession(deps, { kind: "user", userId: world.userId }, "ended"),
    );
    expect(outcome.meanwhile).toMatchObject({ ok: true });
    expect(outcome.grant).toMatchObject({ ok: false, reason: "session_ended" });
    expect("token" in outcome.grant).toBe(false);
  });

  it("the secret rotated by a re-prepare while the grant waited: the old secret gets no token", async () => {
    const world = await seedWorld();
    await connect(world);
    const live = await prepareSessionFor(world);
    const outcome = await grantAround(live.sessionId, live.secret, world, () =>
      sessions().prepareSession(prepareRequest(world, live.sessionId)),
    );
    expect(outcome.meanwhile).toMatchObject({ ok: true });
    expect(outcome.grant).toMatchObject({ ok: false });
    expect("token" in outcome.grant).toBe(false);
  });
});
