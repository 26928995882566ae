export { callSessionApi, type SessionRoute } from "./call-session-api.ts";
export {
  type CredentialRequestRefusal,
  type CredentialRequestVerdict,
  checkCredentialRequest,
} from "./check-credential-request.ts";
export { cloneRepository } from "./clone-repository.ts";
export { fetchCredentials } from "./fetch-credentials.ts";
export { fetchIdentity } from "./fetch-identity.ts";
export {
  type CredentialAction,
  type CredentialContext,
  handleCredentialAction,
} from "./handle-credential-action.ts";
export { helperCommand, shellQuote } from "./helper-command.ts";
export { loadSessionConfig } from "./load-session-config.ts";
export { normalizeGitHubHost } from "./normalize-github-host.ts";
export {
  type CredentialAttributes,
  formatCredentialResponse,
  parseCredentialRequest,
} from "./parse-credential-request.ts";
export { removeStaleHelpers } from "./remove-stale-helpers.ts";
export { type RemoteRefusal, type RemoteScope, resolveRemoteScope } from "./resolve-remote-scope.ts";
export { type HookOutcome, runCommitMsgHook } from "./run-commit-msg-hook.ts";
export { type SetupResult, setupRepository } from "./setup-repository.ts";
export { readSyncedIdentity, syncIdentity } from "./sync-identity.ts";
export {
  type ApiResult,
  type CommitIdentity,
  DEFAULT_GITHUB_HOST,
  ENV,
  type SessionConfig,
} from "./types.ts";
export { type WaitOptions, waitForSession } from "./wait-for-session.ts";
