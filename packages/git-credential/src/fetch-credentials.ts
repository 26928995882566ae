import type { SessionCredentialsBody } from "@gitcred/client/session-http";
import { callSessionApi } from "./call-session-api.ts";
import type { ApiResult, SessionConfig } from "./types.ts";
import { type WaitOptions, waitForSession } from "./wait-for-session.ts";

function wellFormed(body: SessionCredentialsBody): boolean {
  return (
    typeof body.token === "string" &&
    body.token.length > 0 &&
    typeof body.author?.name === "string" &&
    typeof body.author?.email === "string" &&
    Array.isArray(body.commitTrailers)
  );
}

/** A credential from the session (waiting while it is being prepared), checked for shape. */
export async function fetchCredentials(
  config: SessionConfig,
  options: WaitOptions = {},
): Promise<ApiResult<SessionCredentialsBody>> {
  const result = await waitForSession(
    () => callSessionApi<SessionCredentialsBody>(config, "credentials"),
    options,
  );
  if (!result.ok || wellFormed(result.value)) return result;
  return { ok: false, status: 200, reason: "bad_answer", message: "the session answered without a token" };
}
