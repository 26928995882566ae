import { describe, expect, it } from "vitest";
import { classifyFailure } from "./classify-failure.ts";

const NOW = Date.parse("2026-11-22T12:00:00Z");
const at = () => NOW;
const headers = (h: Record<string, string>) => new Headers(h);

describe("classifyFailure", () => {
  it("primary rate limit: x-ratelimit-remaining 0 means wait until x-ratelimit-reset", () => {
    const reset = String(NOW / 1000 + 754);
    expect(
      classifyFailure(403, headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), {}, at),
    ).toMatchObject({ reason: "rate_limited", retryAfterSeconds: 754, status: 403 });
  });

  it("retry-after wins, in seconds or as an HTTP date", () => {
    expect(classifyFailure(429, headers({ "retry-after": "30" }), {}, at)).toMatchObject({
      reason: "rate_limited",
      retryAfterSeconds: 30,
    });
    const date = new Date(NOW + 90_000).toUTCString();
    expect(classifyFailure(403, headers({ "retry-after": date }), {}, at)).toMatchObject({
      reason: "rate_limited",
      retryAfterSeconds: 90,
    });
  });

  it("a secondary rate limit without headers waits a minute; a plain 403 is forbidden", () => {
    const body = { message: "You have exceeded a secondary rate limit. Please wait a few minutes." };
    expect(classifyFailure(403, headers({}), body, at)).toMatchObject({
      reason: "rate_limited",
      retryAfterSeconds: 60,
    });
    expect(classifyFailure(429, headers({}), null, at)).toMatchObject({ reason: "rate_limited" });
    expect(
      classifyFailure(403, headers({}), { message: "Resource not accessible by integration" }, at),
    ).toMatchObject({ reason: "forbidden", message: expect.stringContaining("not accessible") });
  });

  it("5xx is transient with a retry time; 401/404/422 and others are typed", () => {
    for (const status of [500, 502, 503, 504]) {
      expect(classifyFailure(status, headers({}), null, at)).toMatchObject({
        reason: "github_unavailable",
        retryAfterSeconds: 10,
      });
    }
    expect(classifyFailure(503, headers({ "retry-after": "7" }), null, at).retryAfterSeconds).toBe(7);
    expect(classifyFailure(401, headers({}), null, at).reason).toBe("unauthorized");
    expect(classifyFailure(404, headers({}), null, at).reason).toBe("not_found");
    expect(classifyFailure(422, headers({}), { message: "Validation Failed" }, at).reason).toBe(
      "validation_failed",
    );
    expect(classifyFailure(418, headers({}), null, at).reason).toBe("unexpected_status");
  });

  it("a redirect is `moved` (never transient), with the Location and the repository id it names", () => {
    const location = "https://api.github.com/repositories/1296269/installation";
    const body = { message: "Moved Permanently", url: location };
    const failure = classifyFailure(301, headers({ location }), body, at);
    expect(failure).toEqual({
      ok: false,
      reason: "moved",
      message: "GitHub answered 301: the repository moved",
      status: 301,
      location,
      movedRepositoryId: 1296269,
    });
    expect(failure.retryAfterSeconds).toBeUndefined();
    // Without the header, GitHub's body names the same URL; a Location naming no repository has no id.
    expect(classifyFailure(307, headers({}), body, at)).toMatchObject({
      reason: "moved",
      movedRepositoryId: 1296269,
    });
    expect(
      classifyFailure(308, headers({ location: "https://api.github.com/x" }), null, at),
    ).not.toHaveProperty("movedRepositoryId");
  });

  it("never waits less than a second or more than an hour", () => {
    expect(classifyFailure(429, headers({ "retry-after": "0" }), null, at).retryAfterSeconds).toBe(1);
    expect(classifyFailure(429, headers({ "retry-after": "999999" }), null, at).retryAfterSeconds).toBe(3600);
  });
});
