/**
 * `ping`, the floor P2 is measured against: it validates a getTokenForRepo input like the real call and
 * does nothing else. Counted: GitHub calls and mints stay put, so the floor never includes work
 * the warm calls are meant to skip (and a bad input still gets the same typed refusal).
 */
import { describe, expect, it } from "vitest";
import { githubCalls, mints, seedWorld, service } from "./helpers.ts";

describe("ping", () => {
  it("answers ok for a valid input without a GitHub call or a mint", async () => {
    const world = await seedWorld({ role: "write" });
    const callsBefore = await githubCalls();
    const mintsBefore = await mints();
    const input = {
      userId: world.userId,
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
    };
    for (let i = 0; i < 5; i++) expect(await service().ping(input)).toEqual({ ok: true });
    expect(await githubCalls()).toBe(callsBefore);
    expect(await mints()).toBe(mintsBefore);
  });

  it("refuses what getTokenForRepo refuses, with the same typed reason", async () => {
    const bad = { owner: "acme", repo: "../etc", access: "write" } as never;
    const pinged = await service().ping(bad);
    const real = await service().getTokenForRepo(bad);
    expect(pinged).toMatchObject({ ok: false, reason: "invalid_request" });
    expect(real).toMatchObject({ ok: false, reason: "invalid_request" });
  });
});
