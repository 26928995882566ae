/**
 * Issue #13 §6: a connection whose `GET /user` fails transiently. The code is spent and the pair GitHub
 * just issued is stored nowhere; without the fix it stayed live at GitHub in nobody's hands. It must be
 * revoked there, and connecting again must work.
 */
import { afterEach, describe, expect, it } from "vitest";
import { connect, issued, seedWorld, sim, tokenRow } from "./helpers.ts";

afterEach(() => sim.clearFaults());

describe("a connection whose account lookup fails transiently", () => {
  for (const status of [502, 503]) {
    it(`GET /user ${status}: answers github_unavailable, stores nothing, and the new pair is revoked at GitHub`, async () => {
      const world = await seedWorld();
      await sim.injectFault({ path: "/user", method: "GET", status, times: 1 });
      expect(await connect(world.userId, world.login)).toMatchObject({
        ok: false,
        reason: "github_unavailable",
      });
      expect(await tokenRow(world.userId)).toBeUndefined();
      const [token] = await issued({ kind: "user", userId: world.githubUserId });
      expect(token).toBeDefined();
      // The revocation runs in the background of the RPC; the simulator's record is the proof.
      await expect
        .poll(async () => (await issued({ kind: "user", userId: world.githubUserId }))[0]?.status)
        .not.toBe("active");
      expect(await connect(world.userId, world.login)).toMatchObject({ ok: true, replaced: "none" });
    });
  }
});
