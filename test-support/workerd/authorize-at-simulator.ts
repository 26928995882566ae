import { base64UrlEncode, randomToken } from "@gitcred/utils";

/**
 * The OAuth web flow with PKCE at the simulator, as a person's browser goes through it (sign in as
 * `login`, approve): returns the code, its verifier and the redirect URI, ready for git-token's
 * `connectWithOAuthCode`.
 */
export async function authorizeAtSimulator(
  github: { GITHUB_WEB_URL: string; GITHUB_CLIENT_ID: string },
  login: string,
  redirectUri = "http://127.0.0.1:8787/github/callback",
): Promise<{ code: string; codeVerifier: string; redirectUri: string }> {
  const codeVerifier = randomToken(32);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier));
  const form = new URLSearchParams({
    sim_action: "signin",
    login,
    client_id: github.GITHUB_CLIENT_ID,
    redirect_uri: redirectUri,
    state: randomToken(16),
    code_challenge: base64UrlEncode(digest),
    code_challenge_method: "S256",
  });
  const res = await fetch(`${github.GITHUB_WEB_URL}/login/oauth/authorize`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  const location = res.headers.get("location");
  if (res.status !== 302 || location === null) throw new Error(`authorize answered ${res.status}`);
  const code = new URL(location).searchParams.get("code");
  if (code === null) throw new Error("authorize redirected without a code");
  return { code, codeVerifier, redirectUri };
}
