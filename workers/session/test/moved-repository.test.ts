/**
 * A repository GitHub redirects (renamed or transferred, #15 §3): preparation ends `failed` with
 * `repository_moved` after one attempt. Before, the 301 came back as `github_unavailable` and the
 * session retried it 7 times, asking GitHub each time for an answer that could not change.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { prepareSessionFor, seedWorld, sessionObject, sessions, sim, unique } from "./helpers.ts";

/** Lookups of the repository's installation under its old name (other files share the simulator). */
async function lookupsOf(owner: string): Promise<number> {
  const calls = await sim.calls({ route: "GET /repos/{owner}/{repo}/installation" });
  return calls.filter((c) => c.path.startsWith(`/repos/${owner}/`)).length;
}

describe("a moved repository", () => {
  it("fails preparation with repository_moved at once: one GitHub lookup, no retry", async () => {
    const world = await seedWorld();
    const other = unique("org");
    await sim.seedOrg({ login: other });
    await sim.transferRepo(world.owner, world.repo, other, { webhook: false });

    const { sessionId, session } = await prepareSessionFor(world, { mode: "background", prefer: "app" });
    expect(session.state).toBe("preparing");
    expect(await runDurableObjectAlarm(sessionObject(sessionId))).toBe(true);
    const after = await sessions().getSession({ sessionId, userId: world.userId });
    expect(after).toMatchObject({
      ok: true,
      session: { state: "failed", failure: { reason: "repository_moved" }, preparation: { attempts: 1 } },
    });
    expect(await lookupsOf(world.owner)).toBe(1);
    // Nothing is left scheduled to try again.
    expect(await runDurableObjectAlarm(sessionObject(sessionId))).toBe(true);
    expect(await lookupsOf(world.owner)).toBe(1);
  });
});
