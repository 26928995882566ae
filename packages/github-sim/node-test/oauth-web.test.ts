/**
 * OAuth web flow and refresh, checked against the fields and semantics GitHub documents.
 */
import { describe, expect, it } from "vitest";
import { api, CALLBACK, tokenRequest, userTokens, useSimulator, webFlowCode } from "./helpers.ts";
import { ERROR_RESPONSE, fieldErrors, NON_EXPIRING_TOKEN_RESPONSE, TOKEN_RESPONSE } from "./oauth-fields.ts";

const sim = useSimulator();

function exchange(code: string, extra: Record<string, string> = {}) {
  return tokenRequest(sim.url, {
    client_id: sim.world.app.clientId,
    client_secret: sim.world.app.clientSecret,
    code,
    redirect_uri: CALLBACK,
    ...extra,
  });
}

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return Buffer.from(digest).toString("base64url");
}

describe("authorize", () => {
  it("shows the page to the signed-in person, or asks who is signed in", async () => {
    const q = new URLSearchParams({ client_id: sim.world.app.clientId, redirect_uri: CALLBACK, state: "s" });
    const signIn = await fetch(`${sim.url}/login/oauth/authorize?${q}`, { redirect: "manual" });
    expect(signIn.status).toBe(200);
    expect(await signIn.text()).toContain('name="login"');
    await sim.admin.setSession({ login: "octocat" });
    const page = await fetch(`${sim.url}/login/oauth/authorize?${q}`, { redirect: "manual" });
    const html = await page.text();
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(html).toContain("Authorize gitcred test");
    expect(html).toContain("octocat");
  });

  it("auto-approve redirects with code and state; auto-deny with access_denied", async () => {
    const { code, state, location } = await webFlowCode(sim.url, sim.admin, sim.world.app.clientId);
    expect(code).toMatch(/^[0-9a-f]{20}$/);
    expect(state).toBe("st4te");
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);

    await sim.admin.setSession({ login: "hubot", autoApprove: "deny" });
    const q = new URLSearchParams({
      client_id: sim.world.app.clientId,
      redirect_uri: CALLBACK,
      state: "xyz",
    });
    const res = await fetch(`${sim.url}/login/oauth/authorize?${q}`, { redirect: "manual" });
    const denied = new URL(res.headers.get("location") ?? "");
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("error_description")).toBeTruthy();
    expect(denied.searchParams.get("state")).toBe("xyz");
  });

  it("skips the page for a person who already authorized the App", async () => {
    await webFlowCode(sim.url, sim.admin, sim.world.app.clientId);
    await sim.admin.setSession({ login: "octocat", autoApprove: "off" });
    const q = new URLSearchParams({
      client_id: sim.world.app.clientId,
      redirect_uri: CALLBACK,
      state: "again",
    });
    const res = await fetch(`${sim.url}/login/oauth/authorize?${q}`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
  });

  it("prompt=select_account shows the account picker even to a signed-in person who authorized before", async () => {
    await webFlowCode(sim.url, sim.admin, sim.world.app.clientId);
    await sim.admin.setSession({ login: "octocat", autoApprove: "off" });
    const q = new URLSearchParams({
      client_id: sim.world.app.clientId,
      redirect_uri: CALLBACK,
      state: "pick",
      prompt: "select_account",
    });
    const picker = await fetch(`${sim.url}/login/oauth/authorize?${q}`, { redirect: "manual" });
    expect(picker.status).toBe(200);
    const html = await picker.text();
    expect(html).toContain('name="login"');
    expect(html).toContain('value="octocat" selected');
    expect(html).toContain('name="prompt" value="select_account"');
    // Choosing an account continues the flow (already authorized: straight back with a code).
    const form = new URLSearchParams(q);
    form.set("sim_action", "signin");
    form.set("login", "octocat");
    const chosen = await fetch(`${sim.url}/login/oauth/authorize`, {
      method: "POST",
      body: form,
      redirect: "manual",
    });
    expect(chosen.status).toBe(302);
    expect(new URL(chosen.headers.get("location") ?? "").searchParams.get("state")).toBe("pick");
  });

  it("redirects a foreign redirect_uri to the registered callback with redirect_uri_mismatch", async () => {
    await sim.admin.setSession({ login: "octocat", autoApprove: "approve" });
    const q = new URLSearchParams({
      client_id: sim.world.app.clientId,
      redirect_uri: "https://evil.example/cb",
      state: "s1",
    });
    const res = await fetch(`${sim.url}/login/oauth/authorize?${q}`, { redirect: "manual" });
    const loc = new URL(res.headers.get("location") ?? "");
    expect(`${loc.origin}${loc.pathname}`).toBe(CALLBACK);
    expect(loc.searchParams.get("error")).toBe("redirect_uri_mismatch");
    expect(loc.searchParams.get("code")).toBeNull();
  });

  it("answers 404 for an unknown client id", async () => {
    const res = await fetch(`${sim.url}/login/oauth/authorize?client_id=Iv23linope`, { redirect: "manual" });
    expect(res.status).toBe(404);
  });
});

describe("POST /login/oauth/access_token: authorization_code", () => {
  it("answers the documented fields, JSON or form-encoded", async () => {
    const { code } = await webFlowCode(sim.url, sim.admin, sim.world.app.clientId);
    const body = await exchange(code);
    expect(fieldErrors(body, TOKEN_RESPONSE)).toEqual([]);
    expect(body).toMatchObject({
      expires_in: 28800,
      refresh_token_expires_in: 15897600,
      scope: "",
      token_type: "bearer",
    });
    expect(String(body.access_token)).toMatch(/^ghu_[0-9A-Za-z]{36}$/);
    expect(String(body.refresh_token)).toMatch(/^ghr_[0-9A-Za-z]{76}$/);
    // A deliberately wrong field fails the check.
    expect(fieldErrors({ ...body, expires_in: "28800" }, TOKEN_RESPONSE)).toEqual([
      "expires_in is not an integer",
    ]);
    expect(fieldErrors({ ...body, expires_at: "soon" }, TOKEN_RESPONSE)).toEqual([
      "undocumented field expires_at",
    ]);
    const { refresh_token: _dropped, ...withoutRefresh } = body;
    expect(fieldErrors(withoutRefresh, TOKEN_RESPONSE)).toEqual(["missing refresh_token"]);

    const second = await webFlowCode(sim.url, sim.admin, sim.world.app.clientId);
    const form = await fetch(`${sim.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: sim.world.app.clientId,
        client_secret: sim.world.app.clientSecret,
        code: second.code,
      }),
    });
    expect(form.status).toBe(200);
    expect(form.headers.get("content-type")).toContain("application/x-www-form-urlencoded");
    const parsed = Object.fromEntries(new URLSearchParams(await form.text()));
    expect(Object.keys(parsed).sort()).toEqual(Object.keys(TOKEN_RESPONSE).sort());
  });

  it("codes are single use and live 10 minutes", async () => {
    const { code } = await webFlowCode(sim.url, sim.admin, sim.world.app.clientId);
    expect((await exchange(code)).access_token).toBeTruthy();
    const reused = await exchange(code);
    expect(fieldErrors(reused, ERROR_RESPONSE)).toEqual([]);
    expect(reused.error).toBe("bad_verification_code");

    const late = await webFlowCode(sim.url, sim.admin, sim.world.app.clientId);
    await sim.admin.advanceClock(601);
    expect((await exchange(late.code)).error).toBe("bad_verification_code");
  });

  it("checks redirect_uri exactly and the client credentials", async () => {
    const { code } = await webFlowCode(sim.url, sim.admin, sim.world.app.clientId);
    expect((await exchange(code, { redirect_uri: `${CALLBACK}/` })).error).toBe("redirect_uri_mismatch");
    expect((await exchange(code, { client_secret: "wrong" })).error).toBe("incorrect_client_credentials");
    expect((await exchange(code)).access_token).toBeTruthy();
    expect((await exchange(code, { grant_type: "password" })).error).toBe("unsupported_grant_type");
  });

  it("checks PKCE (S256) when the authorize request sent a challenge", async () => {
    const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-verifier";
    const challenge = await s256(verifier);
    const pkce = { code_challenge: challenge, code_challenge_method: "S256" };
    const a = await webFlowCode(sim.url, sim.admin, sim.world.app.clientId, pkce);
    expect((await exchange(a.code)).error).toBe("bad_verification_code");
    expect((await exchange(a.code, { code_verifier: "wrong" })).error).toBe("bad_verification_code");
    expect((await exchange(a.code, { code_verifier: verifier })).access_token).toBeTruthy();
    const plain = new URLSearchParams({
      client_id: sim.world.app.clientId,
      code_challenge: "x",
      code_challenge_method: "plain",
    });
    expect((await fetch(`${sim.url}/login/oauth/authorize?${plain}`, { redirect: "manual" })).status).toBe(
      400,
    );
  });

  it("non-expiring user tokens when the App opted out", async () => {
    await sim.admin.seedApp({
      slug: "gitcred-test",
      id: 123456,
      publicKeyPem: sim.world.app.publicKeyPem,
      clientId: sim.world.app.clientId,
      clientSecret: sim.world.app.clientSecret,
      callbackUrls: [CALLBACK],
      expireUserTokens: false,
    });
    const { code } = await webFlowCode(sim.url, sim.admin, sim.world.app.clientId);
    const body = await exchange(code);
    expect(fieldErrors(body, NON_EXPIRING_TOKEN_RESPONSE)).toEqual([]);
    await sim.admin.advanceClock(365 * 86400);
    expect((await api(sim.url, "/user", String(body.access_token))).status).toBe(200);
  });
});

describe("POST /login/oauth/access_token: refresh_token", () => {
  const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
    tokenRequest(sim.url, {
      client_id: sim.world.app.clientId,
      client_secret: sim.world.app.clientSecret,
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      ...extra,
    });

  it("rotates: the new pair works, the old refresh and access tokens are dead", async () => {
    const first = await userTokens(sim.url, sim.admin, sim.world);
    const next = await refresh(first.refresh);
    expect(fieldErrors(next, TOKEN_RESPONSE)).toEqual([]);
    expect(next.refresh_token).not.toBe(first.refresh);
    expect((await api(sim.url, "/user", String(next.access_token))).status).toBe(200);
    expect((await api(sim.url, "/user", first.access)).status).toBe(401);
    const again = await refresh(first.refresh);
    expect(fieldErrors(again, ERROR_RESPONSE)).toEqual([]);
    expect(again.error).toBe("bad_refresh_token");
    expect((await refresh(String(next.refresh_token), { client_secret: "nope" })).error).toBe(
      "incorrect_client_credentials",
    );
    expect((await refresh(String(next.refresh_token))).access_token).toBeTruthy();
  });

  it("access tokens expire after 8 hours; refresh tokens after 6 months", async () => {
    const t = await userTokens(sim.url, sim.admin, sim.world);
    await sim.admin.advanceClock(28800 - 30);
    expect((await api(sim.url, "/user", t.access)).status).toBe(200);
    await sim.admin.advanceClock(31);
    const expired = await api(sim.url, "/user", t.access);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { message: string }).message).toBe("Bad credentials");
    const renewed = await refresh(t.refresh);
    expect(renewed.access_token).toBeTruthy();
    await sim.admin.advanceClock(15897600 + 1);
    expect((await refresh(String(renewed.refresh_token))).error).toBe("bad_refresh_token");
  });

  it("a revoked grant kills refresh tokens", async () => {
    const t = await userTokens(sim.url, sim.admin, sim.world);
    expect(await sim.admin.revokeGrant("gitcred-test", "octocat")).toBe(true);
    expect((await refresh(t.refresh)).error).toBe("bad_refresh_token");
    expect((await api(sim.url, "/user", t.access)).status).toBe(401);
  });

  it("only one of two concurrent uses of a refresh token succeeds", async () => {
    const t = await userTokens(sim.url, sim.admin, sim.world);
    const results = await Promise.all([refresh(t.refresh), refresh(t.refresh), refresh(t.refresh)]);
    expect(results.filter((r) => r.access_token).length).toBe(1);
    expect(results.filter((r) => r.error === "bad_refresh_token").length).toBe(2);
  });
});
