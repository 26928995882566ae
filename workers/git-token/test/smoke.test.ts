import { describe, expect, it } from "vitest";
import { connect, seedWorld, service } from "./helpers.ts";

describe("smoke", () => {
  it("health, installation token, user token", async () => {
    const h = await service().health();
    expect(h.ok).toBe(true);
    const world = await seedWorld();
    const t = await service().getInstallationToken({ owner: world.owner, repo: world.repos[0] });
    expect(t).toMatchObject({ ok: true });
    const c = await connect(world.userId, world.login);
    expect(c).toMatchObject({ ok: true, replaced: "none" });
    const u = await service().getUserTokenForRepo({
      userId: world.userId,
      owner: world.owner,
      repo: world.repos[0],
      access: "write",
    });
    expect(u).toMatchObject({ ok: true, access: "write" });
  });
});
