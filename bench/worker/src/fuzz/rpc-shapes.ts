/**
 * What the RPC fuzzer generates for each method, and which failure reasons each method documents
 * (packages/client). Ids of sessions and device handles come mostly from a small set, so valid inputs
 * reach existing objects instead of creating ten thousand new ones.
 */
import fc from "fast-check";
import { CANARY, nasty } from "../../../../test-support/fuzz-values.ts";

/** Real ids of the run's world, handed over by the test. */
export interface FuzzWorld {
  userId: string;
  /** The tenant that claimed the world's installation. */
  tenantId: string;
  owner: string;
  repo: string;
  sessionIds: string[];
  deviceHandles: string[];
  githubUserId: number;
  installationId: number;
}

const COMMON = ["invalid_request", "github_unavailable", "rate_limited", "database_unavailable", "busy"];
const INSTALL = ["no_installation", "installation_suspended", "permissions_not_granted", "no_entitlement"];
const STORE = ["disabled", "account_in_use", "invalid_token", "bad_verification_code", "oauth_error"];
const SESSION = [
  ...COMMON,
  ...INSTALL,
  "not_found",
  "session_conflict",
  "no_repo_access",
  "not_ready",
  "session_failed",
];

export const DOCUMENTED: Record<string, string[]> = {
  "GIT_TOKEN.getInstallationToken": [...COMMON, ...INSTALL],
  "GIT_TOKEN.getUserTokenForRepo": [
    ...COMMON,
    "disabled",
    "not_connected",
    "reconnect_required",
    "no_repo_access",
  ],
  "GIT_TOKEN.getTokenForRepo": [...COMMON, ...INSTALL, "no_repo_access"],
  "GIT_TOKEN.getConnection": COMMON,
  "GIT_TOKEN.disconnectUser": COMMON,
  "GIT_TOKEN.deleteUserData": COMMON,
  "GIT_TOKEN.storeConnection": [...COMMON, ...STORE],
  "GIT_TOKEN.connectWithOAuthCode": [...COMMON, ...STORE],
  "GIT_TOKEN.completeDeviceAuthorization": [
    ...COMMON,
    ...STORE,
    "authorization_pending",
    "slow_down",
    "expired_token",
    "access_denied",
  ],
  "GIT_TOKEN.handleGrantRevoked": COMMON,
  "GIT_TOKEN.forgetInstallation": COMMON,
  "SESSION.prepareSession": SESSION,
  "SESSION.getSession": SESSION,
  "SESSION.getGitCredentials": SESSION,
  "SESSION.refreshGitHubToken": [...SESSION, "disabled", "not_connected", "reconnect_required"],
  "SESSION.getEvents": SESSION,
  "CONNECT.createSettingsLink": ["invalid_request", "database_unavailable"],
  "CONNECT.startDeviceConnect": [
    "invalid_request",
    "disabled",
    "not_configured",
    "github_unavailable",
    "rate_limited",
  ],
  "CONNECT.getDeviceConnect": ["invalid_request", "not_found"],
};

const idLike = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,12}$/);

/** Valid values for every input field, anchored on the run's real ids. */
export function fieldsOf(world: FuzzWorld) {
  const pick = <T>(values: T[], other: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: other });
  return {
    owner: pick([world.owner], idLike),
    repo: pick([world.repo], fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/)),
    userId: pick([world.userId], fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,20}$/)),
    tenantId: pick([world.tenantId], fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,20}$/)),
    access: fc.constantFrom("read", "write", "admin", undefined),
    prefer: fc.constantFrom("user", "app", "both", undefined),
    mode: fc.constantFrom("now", "background", "later"),
    permissions: fc.oneof(
      fc.constant(undefined),
      fc.dictionary(
        fc.constantFrom("contents", "metadata", "issues", "Contents", "x-y", ""),
        fc.constantFrom("read", "write", "admin", "none"),
        { noNullPrototype: true },
      ),
    ),
    accessToken: fc.oneof(fc.constant(CANARY), fc.stringMatching(/^gh[usr]_[A-Za-z0-9]{10,40}$/)),
    refreshToken: fc.oneof(fc.constant(null), fc.stringMatching(/^ghr_[A-Za-z0-9]{10,40}$/)),
    time: fc.oneof(
      fc.constant(null),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    ),
    code: fc.stringMatching(/^[a-f0-9]{1,30}$/),
    codeVerifier: fc.stringMatching(/^[A-Za-z0-9._~-]{40,64}$/),
    redirectUri: fc.constantFrom(
      "http://127.0.0.1:8787/github/callback",
      "https://example.test/cb",
      "ftp://x",
    ),
    githubId: fc.oneof(
      fc.constant(world.githubUserId),
      fc.integer({ min: 1, max: 2_000_000_000 }),
      fc.constantFrom(0, -5, 1.5, 2 ** 60),
    ),
    installationId: fc.oneof(fc.constant(world.installationId), fc.integer({ min: 1, max: 2_000_000_000 })),
    intervalSeconds: fc.oneof(fc.constant(undefined), fc.integer({ min: -5, max: 4000 })),
    sessionId: pick(world.sessionIds, fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,40}$/)),
    reason: fc.constantFrom("rejected", "expiring", "other"),
    sha: fc.oneof(fc.stringMatching(/^[a-f0-9]{64}$/), nasty),
    after: fc.oneof(fc.integer({ min: -3, max: 1000 }), fc.constant(undefined)),
    limit: fc.oneof(fc.integer({ min: -3, max: 1000 }), fc.constant(undefined)),
    returnTo: fc.constantFrom("/settings", "//evil.example", "https://evil.example", "/\\evil", undefined),
    // Mostly an unused handle shape or the world's few: each new valid one is a new object.
    handle: pick(world.deviceHandles, nasty),
  };
}

export type Fields = ReturnType<typeof fieldsOf>;

/** The record shape of each method's input. */
export function shapeOf(method: string, f: Fields): Record<string, fc.Arbitrary<unknown>> {
  switch (method) {
    case "GIT_TOKEN.getInstallationToken":
      return { tenantId: f.tenantId, owner: f.owner, repo: f.repo, permissions: f.permissions };
    case "GIT_TOKEN.getUserTokenForRepo":
      return { userId: f.userId, owner: f.owner, repo: f.repo, access: f.access };
    case "GIT_TOKEN.getTokenForRepo":
      return {
        userId: f.userId,
        tenantId: f.tenantId,
        owner: f.owner,
        repo: f.repo,
        access: f.access,
        prefer: f.prefer,
      };
    case "GIT_TOKEN.getConnection":
    case "GIT_TOKEN.disconnectUser":
    case "GIT_TOKEN.deleteUserData":
    case "CONNECT.createSettingsLink":
      return method === "CONNECT.createSettingsLink"
        ? { userId: f.userId, returnTo: f.returnTo }
        : { userId: f.userId };
    case "GIT_TOKEN.storeConnection":
      return {
        userId: f.userId,
        accessToken: f.accessToken,
        accessTokenExpiresAt: f.time,
        refreshToken: f.refreshToken,
        refreshTokenExpiresAt: f.time,
      };
    case "GIT_TOKEN.connectWithOAuthCode":
      return { userId: f.userId, code: f.code, codeVerifier: f.codeVerifier, redirectUri: f.redirectUri };
    case "GIT_TOKEN.completeDeviceAuthorization":
      return { userId: f.userId, deviceCode: f.code, intervalSeconds: f.intervalSeconds };
    case "GIT_TOKEN.handleGrantRevoked":
      return { githubUserId: f.githubId };
    case "GIT_TOKEN.forgetInstallation":
      return { installationId: f.installationId };
    case "SESSION.prepareSession":
      return {
        sessionId: f.sessionId,
        userId: f.userId,
        tenantId: f.tenantId,
        owner: f.owner,
        repo: f.repo,
        access: f.access,
        prefer: f.prefer,
        mode: f.mode,
      };
    case "SESSION.getSession":
    case "SESSION.getGitCredentials":
      return { sessionId: f.sessionId, userId: f.userId };
    case "SESSION.refreshGitHubToken":
      return { sessionId: f.sessionId, userId: f.userId, reason: f.reason, rejectedTokenSha256: f.sha };
    case "SESSION.getEvents":
      return { sessionId: f.sessionId, userId: f.userId, after: f.after, limit: f.limit };
    case "CONNECT.getDeviceConnect":
      return { handle: f.handle };
    default:
      throw new Error(`no fuzz shape for ${method}`);
  }
}

/**
 * startDeviceConnect with a valid user id starts a real device authorization (a Durable Object that
 * polls GitHub every 5 s for 15 minutes), so its valid input is sent exactly once per chunk of 1,000
 * (fuzzRpc puts it first: a small run reaches past validation whatever the seed); the generated rest
 * are invalid by construction (a space no user id may contain) or anything at all.
 */
export function deviceStartInputs(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 600, arbitrary: fc.record({ userId: nasty.map((s) => `${s} `) }, { noNullPrototype: true }) },
    {
      weight: 399,
      arbitrary: fc.oneof(
        fc.anything({ maxDepth: 2, withBoxedValues: true, withMap: true, withBigInt: true, withDate: true }),
        fc.constantFrom(undefined, null, {}, { userId: undefined }, { userId: 42 }, { userId: ["x"] }),
      ),
    },
  );
}
