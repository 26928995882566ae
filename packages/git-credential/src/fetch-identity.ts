import type { SessionIdentityBody } from "@gitcred/client/session-http";
import { callSessionApi } from "./call-session-api.ts";
import type { ApiResult, CommitIdentity, SessionConfig } from "./types.ts";
import { type WaitOptions, waitForSession } from "./wait-for-session.ts";

/** The identity commits must carry now (no token), waiting while the session is being prepared. */
export async function fetchIdentity(
  config: SessionConfig,
  options: WaitOptions & { timeoutMs?: number } = {},
): Promise<ApiResult<CommitIdentity>> {
  const result = await waitForSession(
    () => callSessionApi<SessionIdentityBody>(config, "identity", { timeoutMs: options.timeoutMs ?? 10_000 }),
    options,
  );
  if (!result.ok) return result;
  const { identity, author, commitTrailers, downgraded } = result.value;
  if (
    typeof author?.name !== "string" ||
    typeof author.email !== "string" ||
    !Array.isArray(commitTrailers)
  ) {
    return {
      ok: false,
      status: 200,
      reason: "bad_answer",
      message: "the session answered without an identity",
    };
  }
  return { ok: true, value: { identity, author, commitTrailers, downgraded: downgraded === true } };
}
