/**
 * GitHub's secondary limits and lockouts as githubRequest honours them, with a fetch that counts calls
 * and holds answers at gates (no sleeps, an injected clock): at most 100 requests in flight per isolate,
 * an App-wide back-off once an earlier answer shows the App's quota low (until its reset), and the two
 * 403s that are not "no access" (SAML SSO, the failed login limit) told apart.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getRepoPermissions } from "./get-repo-permissions.ts";
import { appQuotaGate, githubConcurrency, githubRequest, MAX_CONCURRENT_REQUESTS } from "./github-request.ts";
import type { GitHubEndpoints } from "./types.ts";

/** A promise the test opens when it chooses (holds fetches in flight without a clock). */
function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const REPO = { id: 1, full_name: "acme/widgets", private: true, permissions: { pull: true, push: true } };

function endpoints(fetch: typeof globalThis.fetch, now: () => number): GitHubEndpoints {
  return { apiUrl: "https://api.github.test", webUrl: "https://github.test", fetch, now };
}

afterEach(() => {
  appQuotaGate.clear();
});

describe("at most 100 concurrent requests per isolate", () => {
  it("150 calls at once: 100 go out, the rest wait for a slot, all finish", async () => {
    const release = gate();
    let inFlight = 0;
    let peak = 0;
    const fetch: typeof globalThis.fetch = async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await release.promise;
      inFlight -= 1;
      return Response.json(REPO);
    };
    const e = endpoints(fetch, () => 0);
    const calls = Array.from({ length: 150 }, () =>
      githubRequest(e, { method: "GET", url: "https://api.github.test/repos/acme/widgets" }),
    );
    // Let every call reach the semaphore or the fetch.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    expect(inFlight).toBe(MAX_CONCURRENT_REQUESTS);
    release.open();
    const results = await Promise.all(calls);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(peak).toBe(MAX_CONCURRENT_REQUESTS);
    expect(githubConcurrency.inFlight).toBe(0);
    expect(githubConcurrency.peak).toBeLessThanOrEqual(MAX_CONCURRENT_REQUESTS);
  });
});

describe("App-wide back-off from earlier answers", () => {
  it("holds App requests once the App's remaining quota is low, until x-ratelimit-reset", async () => {
    let clock = 1_000_000_000_000;
    let calls = 0;
    const reset = Math.floor(clock / 1000) + 600;
    const fetch: typeof globalThis.fetch = async () => {
      calls += 1;
      return Response.json(
        { id: 7 },
        {
          headers: {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": calls === 1 ? "60" : "4999",
            "x-ratelimit-reset": String(reset),
          },
        },
      );
    };
    const e = endpoints(fetch, () => clock);
    const app = {
      method: "GET" as const,
      url: "https://api.github.test/app",
      authorization: "Bearer eyJx.y.z",
    };
    expect((await githubRequest(e, app)).ok).toBe(true);
    const held = await githubRequest(e, app);
    expect(held).toMatchObject({ ok: false, reason: "rate_limited", retryAfterSeconds: 600 });
    // An installation token is the App too; a person's token is not held.
    expect(
      await githubRequest(e, { ...app, authorization: "Bearer ghs_16C7e42F292c6912E7710c838347Ae178B4a" }),
    ).toMatchObject({ ok: false, reason: "rate_limited" });
    expect((await githubRequest(e, { ...app, authorization: "Bearer ghu_person" })).ok).toBe(true);
    expect(calls).toBe(2);
    clock += 600_000;
    expect((await githubRequest(e, app)).ok).toBe(true);
    expect(calls).toBe(3);
  });

  it("a healthy quota holds nothing", async () => {
    let calls = 0;
    const fetch: typeof globalThis.fetch = async () => {
      calls += 1;
      return Response.json(
        {},
        {
          headers: { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4000", "x-ratelimit-reset": "1" },
        },
      );
    };
    const e = endpoints(fetch, () => 0);
    for (let i = 0; i < 3; i++)
      expect(
        (await githubRequest(e, { method: "GET", url: "https://x/app", authorization: "Bearer eyJa" })).ok,
      ).toBe(true);
    expect(calls).toBe(3);
  });
});

describe("403s that are not 'no access'", () => {
  it("SAML SSO: sso_required with the authorize URL apart from the message", async () => {
    const url = "https://github.test/orgs/acme/sso?authorization_request=AZSCKtL4U8yX1H3sCQ";
    const fetch: typeof globalThis.fetch = async () =>
      Response.json(
        {
          message:
            "Resource protected by organization SAML enforcement. You must grant your OAuth token access to this organization.",
        },
        { status: 403, headers: { "x-github-sso": `required; url=${url}` } },
      );
    const result = await getRepoPermissions(
      endpoints(fetch, () => 0),
      "ghu_x",
      "acme",
      "widgets",
    );
    expect(result).toMatchObject({ ok: false, reason: "sso_required", status: 403, ssoAuthorizeUrl: url });
    expect(result.ok ? "" : result.message).not.toContain("authorization_request");
  });

  it("the failed login limit: rate_limited (lockedOut) with a wait, never forbidden", async () => {
    const fetch: typeof globalThis.fetch = async () =>
      Response.json(
        { message: "Maximum number of login attempts exceeded. Please try again later." },
        { status: 403 },
      );
    const result = await getRepoPermissions(
      endpoints(fetch, () => 0),
      "ghu_x",
      "acme",
      "widgets",
    );
    expect(result).toMatchObject({
      ok: false,
      reason: "rate_limited",
      lockedOut: true,
      retryAfterSeconds: 300,
    });
  });
});
