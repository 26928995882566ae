/**
 * Stateless installation tokens as GitHub documents them (`ghs_APPID_JWT`, ~520 characters, two dots):
 * the simulator issues them when started with `tokenFormat: "stateless"` (kept across resets), when the
 * setting says so, or for one request with `X-GitHub-Stateless-S2S-Token: enabled` — and `disabled`
 * forces a classic token, while any other value is ignored, as GitHub's changelog (2026-05-15) says.
 */
import { describe, expect, it } from "vitest";
import { api, useSimulator } from "./helpers.ts";

const sim = useSimulator({ tokenFormat: "stateless" });

async function mint(header?: string): Promise<string> {
  const res = await api(sim.url, "/app/installations/7777/access_tokens", sim.world.jwt(), {
    method: "POST",
    headers: header === undefined ? {} : { "x-github-stateless-s2s-token": header },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

function expectStateless(token: string): void {
  expect(token.startsWith(`ghs_${sim.world.app.id}_`)).toBe(true);
  expect(token.length).toBeGreaterThanOrEqual(500);
  expect(token.length).toBeLessThanOrEqual(560);
  expect(token.split(".")).toHaveLength(3);
  expect(token).toMatch(/^ghs_[A-Za-z0-9._-]+$/);
}

describe("stateless installation tokens", () => {
  it("are the default when the simulator starts with tokenFormat stateless, and a reset keeps that", async () => {
    expectStateless(await mint());
    await sim.admin.reset();
    expect((await sim.admin.setSettings({})).tokenFormat).toBe("stateless");
  });

  it("follow X-GitHub-Stateless-S2S-Token: enabled / disabled for one request; other values are ignored", async () => {
    await sim.admin.setTokenFormat("classic");
    expectStateless(await mint("enabled"));
    expect(await mint()).toMatch(/^ghs_[0-9A-Za-z]{36}$/);
    expect(await mint("true")).toMatch(/^ghs_[0-9A-Za-z]{36}$/);
    await sim.admin.setTokenFormat("stateless");
    expect(await mint("disabled")).toMatch(/^ghs_[0-9A-Za-z]{36}$/);
    expectStateless(await mint("1"));
  });

  it("alternate with classic ones under tokenFormat rollout, as during GitHub's staged rollout", async () => {
    await sim.admin.setTokenFormat("rollout");
    const minted = [await mint(), await mint(), await mint(), await mint()];
    expect(minted.map((t) => (t.length > 100 ? "stateless" : "classic"))).toEqual([
      "classic",
      "stateless",
      "classic",
      "stateless",
    ]);
    expectStateless(minted[1] ?? "");
    expect(await mint("enabled")).toMatch(/^ghs_\d+_/);
  });

  it("work like classic tokens: the API accepts them, revocation kills them, /_sim/tokens lists them", async () => {
    const token = await mint("enabled");
    expect((await api(sim.url, "/repos/acme/widgets", token)).status).toBe(200);
    expect((await sim.admin.issuedTokens()).map((t) => t.token)).toContain(token);
    expect((await api(sim.url, "/installation/token", token, { method: "DELETE" })).status).toBe(204);
    expect((await api(sim.url, "/repos/acme/widgets", token)).status).toBe(401);
  });
});
