/**
 * Types of @gitcred/github. Every call returns a typed result instead of throwing, so callers decide
 * between "retry later" (`github_unavailable`, `rate_limited`) and "this will not work" without parsing
 * error messages, and no error object carrying a request body ever travels up to a log.
 */

/** Where GitHub is (GITHUB_API_URL / GITHUB_WEB_URL) and how to reach it. */
export interface GitHubEndpoints {
  /** REST API base, e.g. `https://api.github.com` (no trailing slash needed). */
  apiUrl: string;
  /** Web base for OAuth and device flow, e.g. `https://github.com`. */
  webUrl: string;
  /** Sent as `User-Agent` (GitHub refuses requests without one). */
  userAgent?: string;
  /** Per-request timeout; defaults to 10 s. */
  timeoutMs?: number;
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** Clock used for rate-limit resets and expiries (tests); defaults to `Date.now`. */
  now?: () => number;
}

/** Failure reasons any call may return. */
export type GitHubFailureReason =
  /** Network error, timeout, 5xx or an unparsable answer: transient. */
  | "github_unavailable"
  /** Primary or secondary rate limit: wait `retryAfterSeconds`. */
  | "rate_limited"
  /** 401: the credential is unknown, expired or revoked. */
  | "unauthorized"
  /** 403 that is not a rate limit. */
  | "forbidden"
  /**
   * 403 with `X-GitHub-SSO: required`: the organization enforces SAML SSO and the person has not
   * authorized this token for it (`ssoAuthorizeUrl`). Not "no access": it works once they do.
   */
  | "sso_required"
  /** 404 (GitHub also says 404 where it hides what exists). */
  | "not_found"
  /** 422 */
  | "validation_failed"
  /**
   * 301/307/308: the repository was renamed or transferred (GitHub redirects its old path to
   * `/repositories/{id}`); `location` holds where. Not transient: asking again gets the same answer.
   */
  | "moved"
  /** Any other unexpected HTTP status. */
  | "unexpected_status";

/** OAuth token endpoint errors (answered with HTTP 200 and an `error` field). */
export type OAuthErrorReason =
  | "bad_refresh_token"
  | "bad_verification_code"
  | "incorrect_client_credentials"
  | "redirect_uri_mismatch"
  | "unverified_user_email"
  | "unsupported_grant_type"
  /** Any other `error` value; `oauthError` holds it. */
  | "oauth_error";

/** A failed call. `message` is safe to log (never a token or body); `status` is GitHub's HTTP status. */
export interface GitHubFailure<R extends string = GitHubFailureReason> {
  ok: false;
  reason: R;
  message: string;
  status?: number;
  retryAfterSeconds?: number;
  /** The OAuth `error` code when `reason` is `oauth_error`. */
  oauthError?: string;
  /**
   * `sso_required`: the authorize URL GitHub sent (expires after about an hour). The person's only:
   * never log it, never put it in a result an agent or a session can read.
   */
  ssoAuthorizeUrl?: string;
  /** `rate_limited` because GitHub's failed login limit refuses every token of the person for a while. */
  lockedOut?: true;
  /** `moved`: the `Location` GitHub named (an API URL, never a credential), at most 500 characters. */
  location?: string;
  /** `moved`: the repository id read from `location` (`.../repositories/{id}...`), when it names one. */
  movedRepositoryId?: number;
}

export type GitHubResult<T extends object, R extends string = GitHubFailureReason> =
  | ({ ok: true } & T)
  | GitHubFailure<R>;

/** A parsed 2xx answer from GitHub. */
export interface GitHubResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or null for an empty body. */
  body: unknown;
}

/** Tokens from the OAuth token endpoint (web flow, device flow or refresh). */
export interface UserTokenSet {
  accessToken: string;
  /** null when GitHub issued a token without expiry. */
  accessTokenExpiresAt: Date | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
  scope: string;
  tokenType: string;
}

/** A GitHub account as `GET /user` and `GET /users/{login}` describe it. */
export interface GitHubAccount {
  id: number;
  login: string;
  name: string | null;
  type: string;
}

/** An installation of the App, as `GET /repos/{owner}/{repo}/installation` describes it. */
export interface RepoInstallation {
  installationId: number;
  accountLogin: string;
  accountId: number;
  accountType: string;
  repositorySelection: "all" | "selected";
  suspendedAt: Date | null;
}

/** GitHub App permission levels. */
export type PermissionLevel = "read" | "write" | "admin";

/** An installation token minted for specific repositories and permissions. */
export interface InstallationAccessToken {
  token: string;
  expiresAt: Date;
  permissions: Record<string, PermissionLevel>;
  /**
   * Repositories the token covers, as GitHub listed them, with their owner's account id: GitHub resolves
   * the names asked for inside the installation's *current* account, so callers check these are the
   * repositories they meant (a renamed account answers for its new login).
   */
  repositories: MintedRepository[];
  /** Whether this call minted it (false: served from the store, or by a mint another call made). */
  minted: boolean;
}

/** A repository an installation token was minted for, as GitHub listed it. */
export interface MintedRepository {
  id: number;
  fullName: string;
  ownerId?: number;
}

/**
 * The GitHub App as `@octokit/auth-app` authenticates it: its id and its PKCS#8 PEM key
 * (`readAppPrivateKey`). `warn` receives auth-app's notices (a clock-skew retry): never the console,
 * whose lines would bypass our logger.
 */
export interface AppCredentials {
  appId: string;
  privateKey: string;
  warn?: (message: string) => void;
}

/** An installation token as auth-app caches it, with what gitcred checks before handing it out. */
export interface StoredInstallationToken {
  /**
   * auth-app's serialized entry (`token|createdAt|expiresAt|…`): it holds the token, so a store keeps it
   * encrypted anywhere but isolate memory.
   */
  value: string;
  installationId: number;
  /** Epoch ms. */
  expiresAt: number;
  /** What GitHub minted it for: a cached token is checked against the repository asked for, like a new one. */
  repositories: MintedRepository[];
}

/**
 * The cache plugged into auth-app's `cache` option (its own default is a plaintext in-memory LRU that
 * knows no expiry margin and no encryption). `get` answers undefined for an entry too close to expiry,
 * since auth-app itself never looks at `expiresAt` of what its cache returns.
 */
export interface InstallationTokenStore {
  get(key: string): Promise<StoredInstallationToken | undefined>;
  set(key: string, entry: StoredInstallationToken): Promise<void>;
}

/** A person's permissions on a repository (`GET /repos/{owner}/{repo}` with their token). */
export interface RepoPermissions {
  repositoryId: number;
  fullName: string;
  private: boolean;
  pull: boolean;
  push: boolean;
  admin: boolean;
  /** The repository's default branch (`main`), when GitHub named one: the git proxy never lets a push change it. */
  defaultBranch?: string;
}

/** A started device authorization. */
export interface DeviceFlowStart {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  expiresInSeconds: number;
  intervalSeconds: number;
}

/** Outcomes of one device-flow poll that are not tokens. */
export type DeviceFlowPollReason =
  | "authorization_pending"
  | "slow_down"
  | "expired_token"
  | "access_denied"
  | "incorrect_device_code"
  | "device_flow_disabled";
