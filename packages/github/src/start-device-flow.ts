import { createDeviceCode } from "@octokit/oauth-methods";
import { fromOctokitError } from "./from-octokit-error.ts";
import { octokitRequest } from "./octokit-request.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
import type { DeviceFlowStart, GitHubEndpoints, GitHubFailure, GitHubResult } from "./types.ts";

/** An OAuth error GitHub answered with HTTP 200 (oauth-methods throws it with the answer attached). */
function oauthErrorOf(error: unknown): GitHubFailure | undefined {
  const response = (error as { response?: { status?: unknown; data?: unknown } } | null)?.response;
  const code = readBody(response?.data)?.string("error");
  if (code === undefined || typeof response?.status !== "number") return undefined;
  return {
    ok: false,
    reason: "unexpected_status",
    message: `GitHub's device code endpoint answered ${code.slice(0, 64).replace(/[^a-z_]/g, "") || "an error"}`,
    status: response.status,
  };
}

/**
 * Starts a device authorization (`POST /login/device/code` through `@octokit/oauth-methods`'
 * createDeviceCode): the person types `userCode` at `verificationUri` while the caller polls with
 * `deviceCode` every `intervalSeconds` (polling stays hand-written: `pollDeviceFlow`). The device code
 * is a secret (it can be traded for tokens); the user code is shown to the person.
 */
export async function startDeviceFlow(
  endpoints: GitHubEndpoints,
  input: { clientId: string },
): Promise<GitHubResult<{ device: DeviceFlowStart }>> {
  let data: unknown;
  let status: number;
  try {
    const response = await createDeviceCode({
      clientType: "github-app",
      clientId: input.clientId,
      request: octokitRequest(endpoints, "web"),
    });
    data = response.data;
    status = response.status;
  } catch (error) {
    return oauthErrorOf(error) ?? fromOctokitError(error, endpoints);
  }
  const body = readBody(data);
  const deviceCode = body?.string("device_code");
  const userCode = body?.string("user_code");
  const verificationUri = body?.string("verification_uri");
  const expiresIn = body?.number("expires_in");
  if (
    deviceCode === undefined ||
    userCode === undefined ||
    verificationUri === undefined ||
    expiresIn === undefined
  ) {
    return unexpectedShape("the device code request", status);
  }
  return {
    ok: true,
    device: {
      deviceCode,
      userCode,
      verificationUri,
      expiresInSeconds: expiresIn,
      intervalSeconds: body?.number("interval") ?? 5,
    },
  };
}
