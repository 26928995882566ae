/**
 * Fuzzing every RPC method through the consumer path: thousands of arbitrary and near-valid inputs per
 * method. Each must get `invalid_request` or one of the method's documented answers — never a throw,
 * never `internal_error`, and never an echo of a secret-looking input in the answer.
 */
import { sha256Hex } from "@gitcred/utils";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { CANARY, inputsOf } from "../../../test-support/fuzz-values.ts";
import { admin, connect, connectBackend, seedWorld, service, type World } from "./helpers.ts";

/** Cases per method; the three whose valid inputs each cost several Postgres round trips get fewer. */
const RUNS = 2000;
const DATABASE_BOUND = new Set([
  "getConnection",
  "disconnectUser",
  "deleteUserData",
  "grantInstallation",
  "revokeInstallationGrant",
  "listInstallationGrants",
  "claimInstallationAsUser",
  "listInstallationCoverage",
  "deleteMyData",
]);

const COMMON = ["invalid_request", "github_unavailable", "rate_limited", "database_unavailable", "busy"];
const ANSWERS: Record<string, string[]> = {
  getInstallationToken: [
    ...COMMON,
    "no_installation",
    "installation_suspended",
    "permissions_not_granted",
    "no_entitlement",
  ],
  getUserTokenForRepo: [...COMMON, "disabled", "not_connected", "reconnect_required", "no_repo_access"],
  getTokenForRepo: [
    ...COMMON,
    "no_installation",
    "installation_suspended",
    "permissions_not_granted",
    "no_entitlement",
    "no_repo_access",
  ],
  getConnection: COMMON,
  disconnectUser: COMMON,
  deleteUserData: COMMON,
  storeConnection: [
    ...COMMON,
    "disabled",
    "account_in_use",
    "invalid_token",
    "bad_verification_code",
    "oauth_error",
  ],
  connectWithOAuthCode: [
    ...COMMON,
    "disabled",
    "account_in_use",
    "invalid_token",
    "bad_verification_code",
    "oauth_error",
  ],
  completeDeviceAuthorization: [
    ...COMMON,
    "disabled",
    "account_in_use",
    "invalid_token",
    "bad_verification_code",
    "oauth_error",
    "authorization_pending",
    "slow_down",
    "expired_token",
    "access_denied",
  ],
  handleGrantRevoked: COMMON,
  forgetInstallation: COMMON,
  grantInstallation: [...COMMON, "no_installation", "app_not_configured"],
  revokeInstallationGrant: COMMON,
  listInstallationGrants: COMMON,
  listInstallationCoverage: COMMON,
  deleteMyData: COMMON,
  claimInstallationAsUser: [
    ...COMMON,
    "disabled",
    "not_connected",
    "reconnect_required",
    "installation_not_visible",
  ],
};

/** Which entrypoint has each method (the fuzzer calls it where a real caller would). */
const ENTRYPOINT: Record<string, () => unknown> = {
  connectWithOAuthCode: () => connectBackend("fuzzer"),
  completeDeviceAuthorization: () => connectBackend("fuzzer"),
  handleGrantRevoked: () => connectBackend("fuzzer"),
  forgetInstallation: () => connectBackend("fuzzer"),
  claimInstallationAsUser: () => connectBackend("fuzzer"),
  listInstallationCoverage: () => connectBackend("fuzzer"),
  deleteMyData: () => connectBackend("fuzzer"),
  deleteUserData: () => admin("fuzzer"),
  storeConnection: () => admin("fuzzer"),
};

let world: World;
/** SHA-256 of the person's live token: a report naming it makes git-token ask GitHub (which accepts it). */
let liveTokenSha256: string;
beforeAll(async () => {
  world = await seedWorld({ repos: 2 });
  await connect(world.userId, world.login);
  const live = await service().getUserTokenForRepo({
    userId: world.userId,
    owner: world.owner,
    repo: world.repos[0]!,
  });
  if (!live.ok) throw new Error(`no live token: ${live.reason}`);
  liveTokenSha256 = await sha256Hex(live.token);
});

const idLike = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,12}$/);
const fields = {
  owner: () => fc.oneof(fc.constant(world.owner), idLike),
  repo: () => fc.oneof(fc.constantFrom(...world.repos), fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/)),
  userId: () => fc.oneof(fc.constant(world.userId), fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,20}$/)),
  tenantId: () => fc.oneof(fc.constant(world.tenantId), fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,20}$/)),
  access: () => fc.constantFrom("read", "write", "admin", undefined),
  prefer: () => fc.constantFrom("user", "app", "both", undefined),
  permissions: () =>
    fc.oneof(
      fc.constant(undefined),
      fc.dictionary(
        fc.constantFrom("contents", "metadata", "issues", "Contents", "x-y", ""),
        fc.constantFrom("read", "write", "admin", "none"),
        { noNullPrototype: true },
      ),
    ),
  accessToken: () => fc.oneof(fc.constant(CANARY), fc.stringMatching(/^gh[usr]_[A-Za-z0-9]{10,40}$/)),
  refreshToken: () => fc.oneof(fc.constant(null), fc.stringMatching(/^ghr_[A-Za-z0-9]{10,40}$/)),
  time: () =>
    fc.oneof(
      fc.constant(null),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    ),
  code: () => fc.stringMatching(/^[a-f0-9]{1,30}$/),
  codeVerifier: () => fc.stringMatching(/^[A-Za-z0-9._~-]{40,64}$/),
  redirectUri: () =>
    fc.constantFrom("http://127.0.0.1:8787/github/callback", "https://example.test/cb", "ftp://x"),
  githubId: () => fc.oneof(fc.integer({ min: 1, max: 2_000_000_000 }), fc.constantFrom(0, -5, 1.5, 2 ** 60)),
  intervalSeconds: () => fc.oneof(fc.constant(undefined), fc.integer({ min: -5, max: 4000 })),
  rejectedTokenSha256: () =>
    fc.oneof(fc.constant(undefined), fc.constant(liveTokenSha256), fc.stringMatching(/^[0-9a-f]{64}$/)),
};
type Field = keyof typeof fields;

const shapes: Record<string, Partial<Record<string, Field>>> = {
  getInstallationToken: { tenantId: "tenantId", owner: "owner", repo: "repo", permissions: "permissions" },
  getUserTokenForRepo: {
    userId: "userId",
    owner: "owner",
    repo: "repo",
    access: "access",
    rejectedTokenSha256: "rejectedTokenSha256",
  },
  getTokenForRepo: {
    userId: "userId",
    tenantId: "tenantId",
    owner: "owner",
    repo: "repo",
    access: "access",
    prefer: "prefer",
    rejectedTokenSha256: "rejectedTokenSha256",
  },
  getConnection: { userId: "userId" },
  disconnectUser: { userId: "userId" },
  deleteUserData: { userId: "userId" },
  storeConnection: {
    userId: "userId",
    accessToken: "accessToken",
    accessTokenExpiresAt: "time",
    refreshToken: "refreshToken",
    refreshTokenExpiresAt: "time",
  },
  connectWithOAuthCode: {
    userId: "userId",
    code: "code",
    codeVerifier: "codeVerifier",
    redirectUri: "redirectUri",
  },
  completeDeviceAuthorization: { userId: "userId", deviceCode: "code", intervalSeconds: "intervalSeconds" },
  handleGrantRevoked: { githubUserId: "githubId" },
  forgetInstallation: { installationId: "githubId" },
  grantInstallation: { tenantId: "tenantId", installationId: "githubId" },
  revokeInstallationGrant: { tenantId: "tenantId", installationId: "githubId" },
  listInstallationGrants: { tenantId: "tenantId" },
  listInstallationCoverage: { tenantId: "tenantId" },
  deleteMyData: { userId: "userId" },
  claimInstallationAsUser: { userId: "userId", tenantId: "tenantId", installationId: "githubId" },
};

/** Valid, near-valid (each field valid or not, some missing, an extra one) or anything: the shared mix. */
function inputs(method: string): fc.Arbitrary<unknown> {
  const shape = shapes[method]!;
  return inputsOf(Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, fields[field!]()])));
}

type Rpc = Record<string, (input: unknown) => Promise<unknown>>;

describe("fuzzed RPC inputs", () => {
  it.each(Object.keys(ANSWERS))("%s answers invalid_request or a documented result", async (method) => {
    const rpc = (ENTRYPOINT[method]?.() ?? service("fuzzer")) as unknown as Rpc;
    const runs = DATABASE_BOUND.has(method) ? RUNS / 2 : RUNS;
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(inputs(method), async (input) => {
        const result = (await rpc[method]!(input)) as { ok?: unknown; reason?: unknown; message?: unknown };
        expect(typeof result).toBe("object");
        const label = result.ok === true ? "ok" : String(result.reason);
        seen.set(label, (seen.get(label) ?? 0) + 1);
        if (result.ok !== true) {
          expect(result.ok).toBe(false);
          expect(ANSWERS[method]).toContain(result.reason);
        }
        expect(JSON.stringify(result)).not.toContain("FUZZCANARY");
      }),
      { numRuns: runs },
    );
    // The generator reaches both sides of the validator.
    expect(seen.get("invalid_request") ?? 0).toBeGreaterThan(runs / 2);
    expect(runs - (seen.get("invalid_request") ?? 0)).toBeGreaterThan(runs / 100);
  });
});
