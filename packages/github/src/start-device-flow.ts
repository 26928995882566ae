import { githubRequest, joinUrl } from "./github-request.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
import type { DeviceFlowStart, GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * Starts a device authorization (`POST /login/device/code`): the person types `userCode` at
 * `verificationUri` while the caller polls with `deviceCode` every `intervalSeconds`. The device code
 * is a secret (it can be traded for tokens); the user code is shown to the person.
 */
export async function startDeviceFlow(
  endpoints: GitHubEndpoints,
  input: { clientId: string },
): Promise<GitHubResult<{ device: DeviceFlowStart }>> {
  const response = await githubRequest(endpoints, {
    method: "POST",
    url: joinUrl(endpoints.webUrl, "/login/device/code"),
    body: new URLSearchParams({ client_id: input.clientId }),
  });
  if (!response.ok) return response;
  const body = readBody(response.body);
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
    return unexpectedShape("the device code request", response.status);
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
