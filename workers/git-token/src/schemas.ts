import { githubOwnerSchema, githubRepoNameSchema, sessionIdSchema, userIdSchema } from "@gitcred/utils";
import * as z from "zod";

/**
 * Input schemas of every RPC method. Objects are strict (an unknown field is a caller's bug, reported
 * as `invalid_request` rather than ignored), every string is bounded, and secrets (tokens, codes) are
 * restricted to the alphabets GitHub uses, so nothing odd reaches a URL, a KV key or a log.
 */

const accessSchema = z.enum(["read", "write"]).optional().default("read");

/** GitHub App permission names are lower-case words joined by `_` (e.g. `pull_requests`). */
const permissionsSchema = z
  .record(
    z.string().regex(/^[a-z][a-z_]{0,49}$/, "must be a GitHub App permission name"),
    z.enum(["read", "write", "admin"]),
  )
  .refine((p) => Object.keys(p).length >= 1 && Object.keys(p).length <= 40, "must name 1 to 40 permissions");

/** A GitHub token or code: 1..2048 characters of base64url-ish text (the ~520-char `ghs_` fits). */
const secretSchema = z
  .string()
  .min(1, "must not be empty")
  .max(2048, "must be at most 2048 characters")
  .regex(/^[A-Za-z0-9_.~+/=-]+$/, "has characters a GitHub token never has");

const isoTimeSchema = z.iso.datetime({ offset: true });

/** The hash of a token a git server refused: lowercase hex only, so it can never carry the token itself. */
const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, "must be a lowercase hex SHA-256");

/** A platform tenant: the same alphabet and bounds as a user id (a personal tenant is a user id). */
const tenantIdSchema = userIdSchema;

export const getInstallationTokenInput = z.strictObject({
  tenantId: tenantIdSchema,
  owner: githubOwnerSchema,
  repo: githubRepoNameSchema,
  permissions: permissionsSchema.optional(),
});

export const getUserTokenForRepoInput = z.strictObject({
  userId: userIdSchema,
  owner: githubOwnerSchema,
  repo: githubRepoNameSchema,
  access: accessSchema,
  rejectedTokenSha256: sha256HexSchema.optional(),
});

export const getTokenForRepoInput = z.strictObject({
  userId: userIdSchema.optional(),
  tenantId: tenantIdSchema.optional(),
  owner: githubOwnerSchema,
  repo: githubRepoNameSchema,
  access: accessSchema,
  prefer: z.enum(["user", "app"]).optional().default("user"),
  rejectedTokenSha256: sha256HexSchema.optional(),
  sessionId: sessionIdSchema.optional(),
});

export const userIdInput = z.strictObject({ userId: userIdSchema });

export const storeConnectionInput = z.strictObject({
  userId: userIdSchema,
  accessToken: secretSchema,
  accessTokenExpiresAt: isoTimeSchema.nullable().optional(),
  refreshToken: secretSchema.nullable().optional(),
  refreshTokenExpiresAt: isoTimeSchema.nullable().optional(),
});

export const connectWithOAuthCodeInput = z.strictObject({
  userId: userIdSchema,
  code: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be an OAuth code"),
  // RFC 7636: 43 to 128 characters of [A-Za-z0-9-._~].
  codeVerifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, "must be a PKCE verifier (RFC 7636)"),
  redirectUri: z
    .string()
    .max(2048, "must be at most 2048 characters")
    .refine(
      (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
      "must be an http(s) URL",
    ),
});

export const completeDeviceAuthorizationInput = z.strictObject({
  userId: userIdSchema,
  deviceCode: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be a device code"),
  intervalSeconds: z.number().int().min(1).max(3600).optional(),
});

const githubIdSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const handleGrantRevokedInput = z.strictObject({ githubUserId: githubIdSchema });

export const forgetInstallationInput = z.strictObject({
  installationId: githubIdSchema,
  deleted: z.boolean().optional(),
});

export const installationGrantInput = z.strictObject({
  tenantId: tenantIdSchema,
  installationId: githubIdSchema,
});

export const listInstallationGrantsInput = z.strictObject({ tenantId: tenantIdSchema });

export const listInstallationCoverageInput = z.strictObject({ tenantId: tenantIdSchema });

/** A page of the person's activity: the cursor is an audit event id (digits only), at most 50 events. */
export const listActivityInput = z.strictObject({
  userId: userIdSchema,
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, "must be a cursor this method returned")
    .optional(),
  limit: z.number().int().min(1).max(50).optional(),
});

export const claimInstallationAsUserInput = z.strictObject({
  userId: userIdSchema,
  tenantId: tenantIdSchema,
  installationId: githubIdSchema,
});

export const claimKnownInstallationsInput = z.strictObject({
  tenantId: tenantIdSchema,
  installationIds: z.array(githubIdSchema).min(1).max(1000).optional(),
});

/** The most ref updates one push record carries (a push may name thousands; the rest are counted). */
export const MAX_RECORDED_REFS = 50;

/**
 * A ref name by git check-ref-format's rules (as the session's branch policy checks them): `refs/...`,
 * at most 255 characters, no control characters, space, `~^:?*[\`, `..`, `@{`, `//`, component starting
 * with `.`, trailing `/`, `.` or `.lock`. Printable ASCII only, so nothing odd reaches the page.
 */
const refNameSchema = z
  .string()
  .min(6, "must be a full ref name (refs/...)")
  .max(255, "must be at most 255 characters")
  .regex(/^refs\/[!-~]+$/, "must be a full ref name (refs/...) of printable ASCII")
  .refine(
    (ref) => !/[~^:?*[\\]|\.\.|@\{|\/\/|\/\.|\/$|\.$|\.lock$|\.lock\//.test(ref),
    "must be a ref name git check-ref-format allows",
  );

/** A git object id: SHA-1 (40) or SHA-256 (64) in lowercase hex. Never anything a token could hide in. */
const objectIdSchema = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, "must be a git object id");

const refUpdateSchema = z
  .strictObject({ ref: refNameSchema, oldId: objectIdSchema, newId: objectIdSchema })
  .refine((u) => u.oldId.length === u.newId.length, "oldId and newId must be of one hash")
  .refine((u) => !(/^0+$/.test(u.oldId) && /^0+$/.test(u.newId)), "oldId and newId must not both be zero");

/** One push through the session's git proxy, as the session worker records it (no token anywhere). */
export const recordGitPushInput = z.strictObject({
  userId: userIdSchema,
  tenantId: tenantIdSchema.optional(),
  sessionId: sessionIdSchema,
  owner: githubOwnerSchema,
  repo: githubRepoNameSchema,
  identity: z.enum(["user", "app"]),
  refs: z.array(refUpdateSchema).min(1, "must name a ref").max(MAX_RECORDED_REFS, "at most 50 refs"),
  omittedRefs: z.number().int().min(0).max(1_000_000).optional(),
  refused: z.strictObject({ reason: z.enum(["branch_policy"]) }).optional(),
});
