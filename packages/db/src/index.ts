export { addInstallationRepository } from "./add-installation-repository.ts";
export { anonymizeAuditEvents } from "./anonymize-audit-events.ts";
export { claimDeviceAuthorization } from "./claim-device-authorization.ts";
export { claimInstallation, type InstallationClaimInput } from "./claim-installation.ts";
export {
  compareAndSetUserToken,
  type UserTokenPatch,
  type UserTokenRowVersion,
} from "./compare-and-set-user-token.ts";
export { deleteOauthStatesForUser } from "./delete-oauth-states-for-user.ts";
export { deleteUserToken } from "./delete-user-token.ts";
export { type ErasedPageData, erasePageDataForUser } from "./erase-page-data-for-user.ts";
export { findInstallationForRepo, type InstallationForRepo } from "./find-installation-for-repo.ts";
export { hitRateLimit, type RateLimitInput, type RateLimitResult } from "./hit-rate-limit.ts";
export { type AuditEventInput, insertAuditEvent, insertAuditEvents } from "./insert-audit-event.ts";
export { isDatabaseUnavailable } from "./is-database-unavailable.ts";
export { isInstallationClaimed } from "./is-installation-claimed.ts";
export { listAuditEventsForUser } from "./list-audit-events-for-user.ts";
export { type ListedInstallationClaim, listInstallationClaims } from "./list-installation-claims.ts";
export { type InstallationCoverageRow, listInstallationCoverage } from "./list-installation-coverage.ts";
export { type MovedRepository, moveInstallationRepository } from "./move-installation-repository.ts";
export {
  type Database,
  DatabaseConfigError,
  type DatabaseEnv,
  type DatabaseHandle,
  openDatabase,
} from "./open-database.ts";
export { type DatabaseHealth, pingDatabase } from "./ping-database.ts";
export { pruneRateLimits } from "./prune-rate-limits.ts";
export { readDeviceAuthorization } from "./read-device-authorization.ts";
export { readReconnectEvent } from "./read-reconnect-event.ts";
export { readRepositoryName } from "./read-repository-name.ts";
export { readUserToken } from "./read-user-token.ts";
export { readUserTokenByGithubUser } from "./read-user-token-by-github-user.ts";
export { recordDeviceLogin } from "./record-device-login.ts";
export {
  type InstallationAccountName,
  renameInstallationAccount,
} from "./rename-installation-account.ts";
export { revokeClaimsOfInstallation, revokeInstallationClaim } from "./revoke-installation-claim.ts";
export * from "./schema.ts";
export { type InstallationFacts, upsertInstallation } from "./upsert-installation.ts";
export {
  type NewUserConnection,
  type UpsertUserConnectionResult,
  upsertUserConnection,
} from "./upsert-user-connection.ts";
export { wasUserErasedSince } from "./was-user-erased-since.ts";
