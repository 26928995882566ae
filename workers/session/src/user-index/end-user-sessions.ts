import type { EndSessionsForUserResult } from "@gitcred/client";
import { type Logger, parseInput } from "@gitcred/utils";
import { credentialsMemo } from "../credentials/credentials-memo.ts";
import type { SessionEnv } from "../env.ts";
import { userRefSchema } from "../schemas.ts";
import { endSessionsForUser } from "./end-sessions-for-user.ts";

/** The answer when a session's (or the user's index's) object cannot be reached: retryable. */
export const UNAVAILABLE = {
  ok: false,
  reason: "internal_error",
  message: "the session is unavailable",
  retryAfterSeconds: 2,
} as const;

/**
 * `endSessionsForUser` as the entrypoints answer it (SessionService for the platform, SessionConnect
 * for the settings page): validated, this isolate's memo of the user's credentials dropped first, the
 * user's index and session objects reached, an unreachable one a retryable failure.
 */
export async function endUserSessions(
  env: SessionEnv,
  input: unknown,
  log: Logger,
): Promise<EndSessionsForUserResult> {
  const parsed = parseInput(userRefSchema, input);
  if (!parsed.ok) return parsed;
  const { userId } = parsed.value;
  credentialsMemo.forgetUser(userId);
  try {
    return await endSessionsForUser({
      index: env.USER_SESSIONS.get(env.USER_SESSIONS.idFromName(userId)),
      endOne: (sessionId) =>
        env.SESSIONS.get(env.SESSIONS.idFromName(sessionId)).end(
          { kind: "user", userId },
          { markAbsent: true },
        ),
    });
  } catch (error) {
    log.error("session object call failed", { error });
    return UNAVAILABLE;
  }
}
