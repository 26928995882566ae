import { requestOAuthToken } from "./request-oauth-token.ts";
import type {
  DeviceFlowPollReason,
  GitHubEndpoints,
  GitHubFailure,
  GitHubFailureReason,
  OAuthErrorReason,
  UserTokenSet,
} from "./types.ts";

const POLL_REASONS = new Set<string>([
  "authorization_pending",
  "slow_down",
  "expired_token",
  "access_denied",
  "incorrect_device_code",
  "device_flow_disabled",
]);

/** GitHub's rule: `slow_down` adds 5 seconds to this and every later poll. */
const SLOW_DOWN_STEP_SECONDS = 5;

export type DeviceFlowPollResult =
  | { ok: true; tokens: UserTokenSet }
  | (GitHubFailure<GitHubFailureReason | OAuthErrorReason | DeviceFlowPollReason> & {
      /** For `authorization_pending` and `slow_down`: when to poll next (the new interval). */
      intervalSeconds?: number;
    });

/**
 * Polls a device authorization once. `authorization_pending` means ask again after the interval;
 * `slow_down` means the interval grew by 5 s for this and all later polls (`intervalSeconds` is the
 * new one, from GitHub when it says, else the old plus 5). Driving the polling (alarms) is the caller's.
 * Hand-written: `@octokit/oauth-methods`' exchangeDeviceCode throws on every pending poll and its
 * device auth strategy polls in a loop with timers, where a Durable Object polls from its alarm.
 */
export async function pollDeviceFlow(
  endpoints: GitHubEndpoints,
  input: { clientId: string; deviceCode: string; intervalSeconds?: number },
): Promise<DeviceFlowPollResult> {
  const result = await requestOAuthToken(endpoints, {
    client_id: input.clientId,
    device_code: input.deviceCode,
    grant_type: "urn:ietf:params:oauth:grant-type:device_code",
  });
  if (result.ok) return result;
  const code = result.oauthError;
  if (code === undefined || !POLL_REASONS.has(code)) return result;
  const current = input.intervalSeconds ?? 5;
  const intervalSeconds =
    code === "slow_down"
      ? Math.max(result.intervalSeconds ?? 0, current + SLOW_DOWN_STEP_SECONDS)
      : code === "authorization_pending"
        ? current
        : undefined;
  return {
    ok: false,
    reason: code as DeviceFlowPollReason,
    message: `device authorization: ${code}`,
    ...(result.status === undefined ? {} : { status: result.status }),
    ...(intervalSeconds === undefined ? {} : { intervalSeconds, retryAfterSeconds: intervalSeconds }),
  };
}
