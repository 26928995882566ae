export { appInstallUrl } from "./app-install-url.ts";
export { checkToken } from "./check-token.ts";
export { classifyFailure } from "./classify-failure.ts";
export { LOCKOUT_RETRY_SECONDS } from "./classify-forbidden.ts";
export { createInstallationToken } from "./create-installation-token.ts";
export { exchangeWebFlowCode } from "./exchange-web-flow-code.ts";
export { getAppInstallation } from "./get-app-installation.ts";
export { getAuthenticatedUser } from "./get-authenticated-user.ts";
export { getRepoInstallation } from "./get-repo-installation.ts";
export { getRepoPermissions } from "./get-repo-permissions.ts";
export { getUser } from "./get-user.ts";
export { GitHubConfigError } from "./github-config-error.ts";
export {
  appQuotaGate,
  type GitHubRequest,
  githubConcurrency,
  githubRequest,
  joinUrl,
  MAX_CONCURRENT_REQUESTS,
} from "./github-request.ts";
export { pkcs1ToPkcs8, readAppPrivateKey } from "./import-app-private-key.ts";
export { isEnterpriseServer } from "./is-enterprise-server.ts";
export { listUserInstallations } from "./list-user-installations.ts";
export { noreplyEmail } from "./noreply-email.ts";
export { type DeviceFlowPollResult, pollDeviceFlow } from "./poll-device-flow.ts";
export { readMovedRepository } from "./read-moved-repository.ts";
export { refreshUserToken } from "./refresh-user-token.ts";
export { type OAuthTokenFailure, type OAuthTokenResult, requestOAuthToken } from "./request-oauth-token.ts";
export { revokeGrant } from "./revoke-grant.ts";
export { revokeInstallationToken } from "./revoke-installation-token.ts";
export { revokeToken } from "./revoke-token.ts";
export { startDeviceFlow } from "./start-device-flow.ts";
export {
  type InstallationTokenAsk,
  installationTokenStoreKey,
  tokenOfStoredValue,
} from "./stored-installation-token.ts";
export type * from "./types.ts";
