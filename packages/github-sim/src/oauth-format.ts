/**
 * How github.com answers its OAuth endpoints (`/login/oauth/access_token`, `/login/device/code`):
 * HTTP 200 in every case, JSON when the request's `Accept` asks for it, else form-encoded; errors
 * carry `error`, `error_description` and `error_uri`.
 */

const TROUBLESHOOT =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";
const DEVICE_ERRORS =
  "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow";

/** GitHub's OAuth error codes with their descriptions and documentation links. */
export const OAUTH_ERRORS = {
  incorrect_client_credentials: [
    "The client_id and/or client_secret passed are incorrect.",
    `${TROUBLESHOOT}/#incorrect-client-credentials`,
  ],
  redirect_uri_mismatch: [
    "The redirect_uri MUST match the registered callback URL for this application.",
    `${TROUBLESHOOT}/#redirect-uri-mismatch2`,
  ],
  bad_verification_code: [
    "The code passed is incorrect or expired.",
    `${TROUBLESHOOT}/#bad-verification-code`,
  ],
  bad_refresh_token: [
    "The refresh token passed is incorrect or expired.",
    `${TROUBLESHOOT}/#bad-refresh-token`,
  ],
  unsupported_grant_type: ["The grant type is not supported.", `${TROUBLESHOOT}/#unsupported-grant-type`],
  authorization_pending: ["The authorization request is still pending.", DEVICE_ERRORS],
  slow_down: ["Too many requests have been made in the same timeframe.", DEVICE_ERRORS],
  expired_token: ["The device_code has expired.", DEVICE_ERRORS],
  incorrect_device_code: ["The device_code provided is not valid.", DEVICE_ERRORS],
  access_denied: ["The authorization request was denied.", DEVICE_ERRORS],
  device_flow_disabled: ["Device flow has not been enabled for this app.", DEVICE_ERRORS],
} as const;

/** An OAuth error code GitHub sends. */
export type OAuthErrorCode = keyof typeof OAUTH_ERRORS;

/** An OAuth error body, with extra fields (`interval` for `slow_down`). */
export function oauthError(
  code: OAuthErrorCode,
  extra: Record<string, string | number> = {},
): Record<string, string | number> {
  const [description, uri] = OAUTH_ERRORS[code];
  return { error: code, error_description: description, error_uri: uri, ...extra };
}

/** Answers an OAuth endpoint in the format the request asked for. */
export function oauthAnswer(req: Request, body: Record<string, string | number>): Response {
  const accept = req.headers.get("accept") ?? "";
  if (accept.includes("application/json")) {
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8" },
    });
  }
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) form.set(k, String(v));
  return new Response(form.toString(), {
    status: 200,
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
  });
}
