/**
 * App JWT rules and installation token semantics.
 */
import { describe, expect, it } from "vitest";
import { generateAppKeyPair, signAppJwt } from "../local/index.ts";
import { api, appKeys, simClockAround, useSimulator } from "./helpers.ts";

const sim = useSimulator();

async function message(res: Response): Promise<string> {
  return ((await res.json()) as { message: string }).message;
}

function jwt(claims: { iss?: number | string; iat?: number; exp?: number; key?: string }): string {
  return signAppJwt({
    iss: claims.iss ?? sim.world.app.id,
    privateKeyPem: claims.key ?? appKeys().privateKeyPkcs8Pem,
    ...claims,
  });
}

const now = () => Math.floor(Date.now() / 1000);

describe("App JWT", () => {
  it("accepts the App id (number or string) or the client id as issuer", async () => {
    for (const iss of [sim.world.app.id, String(sim.world.app.id), sim.world.app.clientId]) {
      expect((await api(sim.url, "/app", jwt({ iss }))).status).toBe(200);
    }
  });

  it("rejects with GitHub's messages", async () => {
    const cases: Array<[Parameters<typeof jwt>[0], string]> = [
      [{ iat: now() - 60, exp: now() + 700 }, "'Expiration time' claim ('exp') is too far in the future"],
      [{ iat: now() - 700, exp: now() - 10 }, "'Expiration time' claim ('exp') must be a numeric value"],
      [{ iat: now() + 120, exp: now() + 300 }, "'Issued at' claim ('iat') must be an Integer"],
      [{ key: generateAppKeyPair().privateKeyPkcs8Pem }, "A JSON web token could not be decoded"],
      [{ iss: 999 }, "Integration not found"],
    ];
    for (const [claims, expected] of cases) {
      const res = await api(sim.url, "/app", jwt(claims));
      expect(res.status).toBe(401);
      expect(await message(res)).toContain(expected);
    }
    expect((await api(sim.url, "/app", jwt({ iat: now() - 60, exp: now() + 540 }))).status).toBe(200);
    expect((await api(sim.url, "/app", jwt({ iat: now() + 30, exp: now() + 500 }))).status).toBe(200);
  });

  it("uses the sim clock", async () => {
    await sim.admin.advanceClock(3600);
    expect((await api(sim.url, "/app", jwt({}))).status).toBe(401);
    expect(
      (await api(sim.url, "/app", jwt({ iat: now() + 3600 - 60, exp: now() + 3600 + 540 }))).status,
    ).toBe(200);
  });
});

describe("installation tokens", () => {
  const mint = (body: unknown, id = 7777) =>
    api(sim.url, `/app/installations/${id}/access_tokens`, jwt({}), {
      method: "POST",
      body: JSON.stringify(body),
    });

  it("classic format, 1 hour, expiry enforced", async () => {
    const { result: res, from, to } = await simClockAround(sim.admin, () => mint({}));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; expires_at: string; repositories: unknown[] };
    expect(body.token).toMatch(/^ghs_[0-9A-Za-z]{36}$/);
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Exactly one hour after it was issued, by the simulator's clock (second precision).
    expect(Date.parse(body.expires_at) - 3600_000).toBeGreaterThanOrEqual(from);
    expect(Date.parse(body.expires_at) - 3600_000).toBeLessThanOrEqual(to);
    expect(body.repositories).toHaveLength(2);
    // expires_at has second precision: keep a margin for slow machines.
    await sim.admin.advanceClock(3590);
    expect((await api(sim.url, "/installation/repositories", body.token)).status).toBe(200);
    await sim.admin.advanceClock(11);
    expect((await api(sim.url, "/installation/repositories", body.token)).status).toBe(401);
  });

  it("narrows by repository name or id and permissions, never widens", async () => {
    const byId = (await (await mint({ repository_ids: [1296271] })).json()) as { token: string };
    expect((await api(sim.url, "/repos/acme/widgets", byId.token)).status).toBe(404);
    expect((await api(sim.url, "/repos/acme/public-site", byId.token)).status).toBe(200);
    expect((await mint({ permissions: { contents: "admin" } })).status).toBe(422);
    expect((await mint({ permissions: { issues: "write" } })).status).toBe(422);
    expect((await mint({ permissions: { issues: "read" } })).status).toBe(201);
    expect((await mint({ repositories: ["secret"] })).status).toBe(422);
    expect((await mint({ repository_ids: [424242] })).status).toBe(422);
    expect((await mint("not an object")).status).toBe(422);
  });

  it("suspended installations mint nothing and their tokens stop working; deleted ones 404", async () => {
    const { token } = (await (await mint({})).json()) as { token: string };
    await sim.admin.suspendInstallation(7777);
    const denied = await mint({});
    expect(denied.status).toBe(403);
    expect(await message(denied)).toBe("This installation has been suspended");
    expect((await api(sim.url, "/repos/acme/widgets", token)).status).toBe(403);
    await sim.admin.unsuspendInstallation(7777);
    expect((await api(sim.url, "/repos/acme/widgets", token)).status).toBe(200);
    await sim.admin.deleteInstallation(7777);
    expect((await api(sim.url, "/repos/acme/widgets", token)).status).toBe(401);
    expect((await mint({})).status).toBe(404);
  });

  it("an all-repositories installation reaches every repo of the account", async () => {
    await sim.admin.seedInstallation({
      app: "gitcred-test",
      account: "acme",
      id: 7777,
      repositorySelection: "all",
    });
    const body = (await (await mint({})).json()) as {
      token: string;
      repository_selection: string;
      repositories?: unknown;
    };
    expect(body.repository_selection).toBe("all");
    expect(body.repositories).toBeUndefined();
    expect((await api(sim.url, "/repos/acme/secret", body.token)).status).toBe(200);
  });

  it("repository changes apply to new and existing tokens", async () => {
    const { token } = (await (await mint({})).json()) as { token: string };
    await sim.admin.updateInstallationRepositories(7777, { add: ["secret"], remove: ["widgets"] });
    expect((await api(sim.url, "/repos/acme/secret", token)).status).toBe(200);
    expect((await api(sim.url, "/repos/acme/widgets", token)).status).toBe(404);
  });
});
