import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../index.ts";

async function get(url: string, overrides: Partial<Env>) {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(url, { redirect: "manual" }), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("GET /dev/login", () => {
  it("is a 404 unless DEV_LOGIN is on", async () => {
    expect((await get("http://127.0.0.1:8787/dev/login?user=demo", {})).status).toBe(404);
    expect((await get("http://127.0.0.1:8787/dev/login?user=demo", { DEV_LOGIN: "1" })).status).toBe(404);
  });

  it("is a 404 for a public PUBLIC_URL or a non-loopback request, even with DEV_LOGIN on", async () => {
    const on = { DEV_LOGIN: "true" };
    expect(
      (await get("http://127.0.0.1:8787/dev/login", { ...on, PUBLIC_URL: "https://gitcred.example" })).status,
    ).toBe(404);
    expect((await get("https://gitcred.example/dev/login", on)).status).toBe(404);
    expect(
      (await get("http://127.0.0.1:8787/dev/login", { ...on, PUBLIC_URL: "http://10.0.0.5:8787" })).status,
    ).toBe(404);
  });

  it("in local dev, follows a fresh single-use settings link for the user", async () => {
    const res = await get("http://127.0.0.1:8787/dev/login?user=demo-user", { DEV_LOGIN: "true" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(
      /^http:\/\/127\.0\.0\.1:8787\/settings\?s=[A-Za-z0-9_-]{43}$/,
    );
    expect((await get("http://127.0.0.1:8787/dev/login?user=a%20b", { DEV_LOGIN: "true" })).status).toBe(400);
  });
});
