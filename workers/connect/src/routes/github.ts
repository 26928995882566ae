import type { StoreConnectionResult } from "@gitcred/client";
import { randomToken } from "@gitcred/utils";
import { type Context, Hono } from "hono";
import { admitDeviceStart } from "../device/admit-device-start.ts";
import { consumeOAuthState, createOAuthState } from "../oauth-state.ts";
import { type AppEnv, database, keyring } from "../request-context.ts";
import { safeReturnPath } from "../safe-return-path.ts";
import type { NoticeCode } from "../views/notices.ts";
import { backTo } from "./back-to.ts";
import { readLivePageSession } from "./live-page-session.ts";
import { guardPost } from "./page-guard.ts";
import { refuseDeviceStart } from "./refuse-device-start.tsx";

function connectOutcome(result: StoreConnectionResult): NoticeCode {
  if (result.ok) return "connected";
  switch (result.reason) {
    case "account_in_use":
    case "bad_verification_code":
    case "disabled":
      return result.reason;
    case "github_unavailable":
    case "rate_limited":
      return "github_unavailable";
    case "database_unavailable":
    case "busy":
      return "try_again";
    default:
      return "error";
  }
}

const callbackUrl = (c: Context<AppEnv>) => `${c.get("config").publicUrl}/github/callback`;

export const githubRoutes = new Hono<AppEnv>();

/** Starts the OAuth web flow (PKCE S256, single-use state bound to this browser). */
githubRoutes.post("/github/connect", async (c) => {
  const guard = await guardPost(c);
  if (!guard.ok) return guard.response;
  const config = c.get("config");
  if (!config.userTokensEnabled || config.clientId === "")
    return c.redirect(backTo("/settings", "disabled"), 303);
  const { state, codeChallenge } = await createOAuthState(database(c).db, await keyring(c.env), {
    userId: guard.session.userId,
    browserBinding: guard.session.browserBinding,
    returnTo: safeReturnPath(guard.session.returnTo),
  });
  const authorize = new URL(`${config.githubWebUrl}/login/oauth/authorize`);
  authorize.searchParams.set("client_id", config.clientId);
  authorize.searchParams.set("redirect_uri", callbackUrl(c));
  authorize.searchParams.set("state", state);
  authorize.searchParams.set("code_challenge", codeChallenge);
  authorize.searchParams.set("code_challenge_method", "S256");
  // GitHub's account picker even when one account is signed in: the person chooses which GitHub account
  // joins this platform account, instead of whichever the browser happens to hold (login CSRF).
  authorize.searchParams.set("prompt", "select_account");
  return c.redirect(authorize.toString(), 303);
});

/**
 * GitHub's redirect back. The state is consumed first, whatever else the request says, so it can never
 * be replayed; then expiry and browser binding; only then is the code traded (by git-token, so this
 * worker never holds the person's tokens).
 */
githubRoutes.get("/github/callback", async (c) => {
  const log = c.get("log");
  const state = c.req.query("state");
  if (state === undefined || state === "") return c.redirect(backTo("/settings", "invalid_state"), 303);
  const session = await readLivePageSession(c);
  const consumed = await consumeOAuthState(database(c).db, await keyring(c.env), {
    state,
    browserBinding: session?.browserBinding,
  });
  if (!consumed.ok) {
    log.warn("refused an OAuth callback", { reason: consumed.reason });
    return c.redirect(backTo(consumed.returnTo ?? "/settings", consumed.reason), 303);
  }
  if (session === undefined || session.userId !== consumed.userId) {
    log.warn("refused an OAuth callback", { reason: "invalid_state" });
    return c.redirect(backTo("/settings", "invalid_state"), 303);
  }
  const error = c.req.query("error");
  const code = c.req.query("code");
  if (error !== undefined || code === undefined || code === "") {
    // GitHub's error_description is never logged or echoed: only our own code for it.
    log.info("OAuth authorization not granted", { denied: error === "access_denied" });
    return c.redirect(backTo(consumed.returnTo, error === "access_denied" ? "access_denied" : "error"), 303);
  }
  const result = await c.env.GIT_TOKEN.connectWithOAuthCode({
    userId: consumed.userId,
    code,
    codeVerifier: consumed.codeVerifier,
    redirectUri: callbackUrl(c),
  });
  const outcome = connectOutcome(result);
  log.info("OAuth callback finished", { outcome });
  return c.redirect(backTo(consumed.returnTo, outcome), 303);
});

/** Revokes the grant at GitHub (best effort, by git-token) and removes the connection. */
githubRoutes.post("/github/disconnect", async (c) => {
  const guard = await guardPost(c);
  if (!guard.ok) return guard.response;
  const result = await c.env.GIT_TOKEN.disconnectUser({ userId: guard.session.userId });
  if (!result.ok) return c.redirect(backTo("/settings", "error"), 303);
  return c.redirect(
    backTo(
      "/settings",
      result.grantRevoked || !result.wasConnected ? "disconnected" : "disconnected_locally",
    ),
    303,
  );
});

/**
 * Starts a device authorization and shows its user code on the settings page. Budgeted per page session
 * and per person (429 past either), and the person's earlier pending authorization, if any, is replaced.
 */
githubRoutes.post("/github/device", async (c) => {
  const guard = await guardPost(c);
  if (!guard.ok) return guard.response;
  const admitted = await admitDeviceStart(database(c).db, {
    userId: guard.session.userId,
    pageSession: guard.session.browserBinding,
    now: new Date(),
  });
  if (!admitted.ok) {
    c.get("log").warn("refused a device start over its budget");
    return refuseDeviceStart(c, guard.session.account, admitted.retryAfterSeconds);
  }
  const handle = randomToken(32);
  const stub = c.env.DEVICE_AUTHORIZATIONS.get(c.env.DEVICE_AUTHORIZATIONS.idFromName(handle));
  const started = await stub.start(guard.session.userId);
  if (!started.ok) {
    return c.redirect(
      backTo("/settings", started.reason === "disabled" ? "disabled" : "github_unavailable"),
      303,
    );
  }
  return c.redirect(`/settings?device=${handle}`, 303);
});
