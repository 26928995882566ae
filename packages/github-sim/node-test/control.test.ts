/**
 * Control surface: faults, latency, rate limits, call log (no tokens), counters, token listing and
 * checks, persistence, App seed fields (and Apps stored by an older simulator).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createSimAdmin, startSimulator } from "../local/index.ts";
import { SimStore } from "../src/state.ts";
import type { SimApp } from "../src/types.ts";
import { api, appKeys, tokenRequest, userTokens, useSimulator } from "./helpers.ts";

const sim = useSimulator();

async function installationToken(clockOffsetSeconds = 0): Promise<string> {
  const jwt = sim.world.jwt(Math.floor(Date.now() / 1000) + clockOffsetSeconds);
  const res = await api(sim.url, "/app/installations/7777/access_tokens", jwt, { method: "POST" });
  return ((await res.json()) as { token: string }).token;
}

describe("faults", () => {
  it("status faults answer the next N matching calls, then stop", async () => {
    await sim.admin.injectFault({
      method: "GET",
      path: "/repos/{owner}/{repo}",
      status: 502,
      body: { message: "Bad Gateway" },
      times: 2,
    });
    expect((await api(sim.url, "/repos/acme/public-site")).status).toBe(502);
    expect((await api(sim.url, "/users/octocat")).status).toBe(200);
    const second = await api(sim.url, "/repos/acme/public-site");
    expect(second.status).toBe(502);
    expect(await second.json()).toEqual({ message: "Bad Gateway" });
    expect((await api(sim.url, "/repos/acme/public-site")).status).toBe(200);
    expect(await sim.admin.faults()).toEqual([]);
  });

  it("network faults drop the connection", async () => {
    await sim.admin.injectFault({ path: "/login/oauth/access_token", kind: "network" });
    const failing = fetch(`${sim.url}/login/oauth/access_token`, {
      method: "POST",
      body: "grant_type=refresh_token",
    });
    await expect(failing).rejects.toThrow(/fetch failed/);
    const ok = await fetch(`${sim.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json" },
    });
    expect(ok.status).toBe(200);
    const [entry] = (await sim.admin.calls({ route: "POST /login/oauth/access_token" })).slice(0, 1);
    expect(entry?.fault).toBe("network");
  });

  it("faults can target one grant type", async () => {
    const t = await userTokens(sim.url, sim.admin, sim.world);
    await sim.admin.injectFault({
      path: "/login/oauth/access_token",
      grantType: "refresh_token",
      status: 503,
      body: "busy",
    });
    const params = {
      client_id: sim.world.app.clientId,
      client_secret: sim.world.app.clientSecret,
      grant_type: "refresh_token",
      refresh_token: t.refresh,
    };
    await expect(tokenRequest(sim.url, params)).rejects.toThrow(/503/);
    // The fault answered before the simulator saw the refresh token: it is still usable.
    expect((await tokenRequest(sim.url, params)).access_token).toBeTruthy();
  });

  it("primary and secondary rate-limit faults", async () => {
    await sim.admin.injectFault({
      path: "/app/installations/*/access_tokens",
      kind: "rate_limit",
      retryAfter: 120,
    });
    const primary = await api(sim.url, "/app/installations/7777/access_tokens", sim.world.jwt(), {
      method: "POST",
    });
    expect(primary.status).toBe(403);
    expect(primary.headers.get("x-ratelimit-remaining")).toBe("0");
    const reset = Number(primary.headers.get("x-ratelimit-reset"));
    const simNow = Math.floor(Date.parse((await sim.admin.getClock()).now) / 1000);
    expect(reset - simNow).toBeGreaterThan(100);
    expect(((await primary.json()) as { message: string }).message).toMatch(
      /^API rate limit exceeded for app ID 123456\./,
    );

    await sim.admin.injectFault({
      path: "/repos/*",
      kind: "secondary_rate_limit",
      status: 429,
      retryAfter: 30,
    });
    const secondary = await api(sim.url, "/repos/acme/public-site");
    expect(secondary.status).toBe(429);
    expect(secondary.headers.get("retry-after")).toBe("30");
    expect(((await secondary.json()) as { message: string }).message).toContain("secondary rate limit");
  });

  it("delays: fault delay and latency rules", async () => {
    await sim.admin.setLatency({ path: "/users/{username}", delayMs: 150 });
    let started = Date.now();
    expect((await api(sim.url, "/users/octocat")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await sim.admin.clearLatency();
    await sim.admin.injectFault({ path: "/users/octocat", status: 500, delayMs: 100 });
    started = Date.now();
    expect((await api(sim.url, "/users/octocat")).status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});

describe("rate limits", () => {
  it("headers on every API answer, counted per installation; exhaustion answers 403", async () => {
    await sim.admin.setSettings({ rateLimitCore: 3 });
    const token = await installationToken();
    const headers = [];
    for (let i = 0; i < 3; i++) headers.push((await api(sim.url, "/repos/acme/widgets", token)).headers);
    expect(headers.map((h) => h.get("x-ratelimit-remaining"))).toEqual(["2", "1", "0"]);
    expect(headers[0]?.get("x-ratelimit-limit")).toBe("3");
    expect(headers[2]?.get("x-ratelimit-used")).toBe("3");
    expect(headers[0]?.get("x-ratelimit-resource")).toBe("core");
    const over = await api(sim.url, "/repos/acme/widgets", token);
    expect(over.status).toBe(403);
    expect(over.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(((await over.json()) as { message: string }).message).toBe(
      "API rate limit exceeded for installation ID 7777.",
    );
    // Another token of the same installation shares the bucket; the window resets after an hour.
    expect((await api(sim.url, "/repos/acme/widgets", await installationToken())).status).toBe(403);
    await sim.admin.advanceClock(3601);
    expect((await api(sim.url, "/repos/acme/widgets", token)).status).toBe(401);
    expect((await api(sim.url, "/repos/acme/widgets", await installationToken(3601))).status).toBe(200);
  });

  it("github.com routes carry no rate-limit headers; /rate_limit does not count", async () => {
    const res = await fetch(`${sim.url}/login/device/code`, { method: "POST" });
    expect(res.headers.get("x-ratelimit-limit")).toBeNull();
    const token = await installationToken();
    await api(sim.url, "/rate_limit", token);
    const second = await api(sim.url, "/rate_limit", token);
    expect(second.headers.get("x-ratelimit-used")).toBe("0");
  });
});

describe("call log, counters, tokens", () => {
  it("logs calls with route templates and never a token", async () => {
    const t = await userTokens(sim.url, sim.admin, sim.world);
    const inst = await installationToken();
    await api(sim.url, "/user", t.access);
    await api(sim.url, "/repos/acme/widgets", inst);
    const calls = await sim.admin.calls();
    const serialized = JSON.stringify(calls);
    for (const token of [t.access, t.refresh, inst]) expect(serialized).not.toContain(token.slice(4));
    const userCall = calls.find((c) => c.route === "GET /user");
    expect(userCall?.auth).toMatchObject({ kind: "token", tokenPrefix: "ghu_" });
    expect(userCall?.auth.tokenHash).toMatch(/^[0-9a-f]{12}$/);
    expect(
      calls.find((c) => c.route === "POST /app/installations/{installation_id}/access_tokens")?.auth.kind,
    ).toBe("jwt");
    expect(calls.every((c) => !c.path.includes("?"))).toBe(true);

    const counters = await sim.admin.counters();
    expect(counters["POST /login/oauth/access_token"]?.count).toBe(1);
    expect(counters["POST /login/oauth/access_token#authorization_code"]?.byStatus).toEqual({ "200": 1 });
    expect(await sim.admin.count("GET /repos/{owner}/{repo}")).toBe(1);
    const since = calls.at(-1)?.seq ?? 0;
    await api(sim.url, "/users/hubot");
    expect((await sim.admin.calls({ since })).map((c) => c.route)).toEqual(["GET /users/{username}"]);
    await sim.admin.clearCalls();
    expect(await sim.admin.calls()).toEqual([]);
  });

  it("lists every issued token and checks push access for the git server", async () => {
    const t = await userTokens(sim.url, sim.admin, sim.world);
    const inst = await installationToken();
    const issued = await sim.admin.issuedTokens();
    expect(issued.map((i) => i.token).sort()).toEqual([t.access, t.refresh, inst].sort());
    expect(issued.find((i) => i.token === t.refresh)?.kind).toBe("refresh");

    expect(await sim.admin.checkToken(t.access, "acme", "widgets")).toMatchObject({
      valid: true,
      kind: "user",
      login: "octocat",
      push: true,
    });
    expect(await sim.admin.checkToken(t.access, "acme", "secret")).toMatchObject({
      valid: true,
      repoFound: false,
      push: false,
    });
    await sim.admin.setCollaborator("acme", "widgets", "octocat", "read");
    expect((await sim.admin.checkToken(t.access, "acme", "widgets")).push).toBe(false);
    expect(await sim.admin.checkToken(t.refresh, "acme", "widgets")).toMatchObject({
      valid: false,
      reason: "not_an_access_token",
    });
    await sim.admin.revokeToken(inst);
    expect(await sim.admin.checkToken(inst, "acme", "widgets")).toMatchObject({
      valid: false,
      reason: "revoked",
    });
    expect(await sim.admin.checkToken("ghs_nope", "acme", "widgets")).toMatchObject({
      valid: false,
      reason: "unknown",
    });
    expect((await sim.admin.issuedTokens()).find((i) => i.token === inst)?.status).toBe("revoked");
  });

  it("persists state across restarts when asked to", async () => {
    const dir = mkdtempSync(join(tmpdir(), "github-sim-"));
    try {
      const first = await startSimulator({ persist: dir });
      await createSimAdmin(first.url).seedUser({ login: "persisted", id: 77 });
      await first.close();
      const second = await startSimulator({ persist: dir });
      const res = await fetch(`${second.url}/users/persisted`);
      await second.close();
      expect(res.status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("seed-demo seeds the demo world and keeps an App that is already there", async () => {
    const script = fileURLToPath(new URL("../scripts/seed-demo.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script, sim.url]);
    expect(stdout).toContain("already there: kept");
    expect(stdout).not.toContain("PRIVATE KEY");
    const apps = (await sim.admin.state()).apps as { publicKeyPem: string; clientId: string }[];
    expect(apps).toHaveLength(1);
    expect(apps[0]?.publicKeyPem).toBe(sim.world.app.publicKeyPem);
    expect(await sim.admin.checkToken("x", "acme", "widgets")).toMatchObject({ valid: false });
    const repo = await api(sim.url, "/users/octocat");
    expect(repo.status).toBe(200);
    await sim.admin.reset();
    const cwd = mkdtempSync(join(tmpdir(), "seed-demo-"));
    try {
      const fresh = await promisify(execFile)(process.execPath, [script, sim.url], {
        cwd,
        env: { ...process.env, INIT_CWD: cwd },
      });
      expect(fresh.stdout).toContain("created");
      // The new App's secrets go to an owner-only file, never to the terminal.
      expect(fresh.stdout).not.toContain("PRIVATE KEY");
      const file = join(cwd, ".data", "github-sim-app.env");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const written = readFileSync(file, "utf8");
      expect(written).toContain("BEGIN PRIVATE KEY");
      const secret = /GITHUB_CLIENT_SECRET=(\S+)/.exec(written)?.[1] ?? "missing";
      expect(fresh.stdout).not.toContain(secret);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

const SETUP = "https://app.example/github/setup?from=sim";

describe("setupUrl and setupOnUpdate", () => {
  it("seeds, keeps what is not given, clears with null, refuses non-URLs", async () => {
    const seed = (extra: Record<string, unknown>) =>
      sim.admin.seedApp({ slug: "gitcred-test", publicKeyPem: appKeys().publicKeyPem, ...extra });
    expect(sim.world.app).toMatchObject({ setupUrl: null, setupOnUpdate: true });
    expect(await seed({ setupUrl: SETUP, setupOnUpdate: false })).toMatchObject({
      setupUrl: SETUP,
      setupOnUpdate: false,
    });
    expect(await seed({ name: "renamed" })).toMatchObject({ setupUrl: SETUP, setupOnUpdate: false });
    expect(await seed({ setupUrl: null })).toMatchObject({ setupUrl: null, setupOnUpdate: false });
    await expect(seed({ setupUrl: "javascript:alert(1)" })).rejects.toThrow(/setupUrl/);
    await expect(seed({ setupUrl: "/relative" })).rejects.toThrow(/setupUrl/);
  });

  it("Apps stored before the fields existed load with null / true", () => {
    const {
      setupUrl: _u,
      setupOnUpdate: _o,
      ...old
    } = {
      ...sim.world.app,
      setupUrl: "dropped",
      setupOnUpdate: false,
    };
    // Beside it, an App stored with the fields: loaded as it was stored.
    const kept: SimApp = { ...sim.world.app, id: 123457, setupUrl: SETUP, setupOnUpdate: false };
    const rows = new Map<string, unknown>([
      ["app:123456", old],
      ["app:123457", kept],
    ]);
    const store = new SimStore({
      get: <T>(key: string) => rows.get(key) as T | undefined,
      list: <T>({ prefix }: { prefix: string }) =>
        [...rows].filter(([k]) => k.startsWith(prefix)) as Array<[string, T]>,
      put: (key, value) => {
        rows.set(key, value);
      },
      delete: (key) => rows.delete(key),
    });
    expect(store.apps.get(123456)).toMatchObject({
      slug: "gitcred-test",
      setupUrl: null,
      setupOnUpdate: true,
    });
    expect(store.apps.get(123457)).toEqual(kept);
  });
});
