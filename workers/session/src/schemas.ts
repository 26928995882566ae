import { githubOwnerSchema, githubRepoNameSchema, sessionIdSchema, userIdSchema } from "@gitcred/utils";
import * as z from "zod";

/**
 * A branch policy's pattern: `refs/...` in git's ref alphabet, `*` as the only wildcard. Nothing that
 * could make a pattern wider than it reads (no `..`, no regex syntax: the matcher escapes the rest).
 */
const refPatternSchema = z
  .string()
  .regex(/^refs\/[A-Za-z0-9._/*+@-]{1,200}$/, "must be refs/... (letters, digits, . _ / - + @ and *)")
  .refine((p) => !p.includes("..") && !p.includes("//"), "must not contain .. or //");

/** What pushes through the git proxy may change (see @gitcred/client `BranchPolicy`). */
export const branchPolicySchema = z.strictObject({
  allow: z.array(refPatternSchema).min(1).max(20),
  allowDeletions: z.boolean().optional(),
  allowDefaultBranch: z.boolean().optional(),
});

/** `prepareSession` input. An agent session pushes, so `access` defaults to `write`. */
export const prepareSessionSchema = z.strictObject({
  sessionId: sessionIdSchema,
  userId: userIdSchema,
  tenantId: userIdSchema.optional(),
  owner: githubOwnerSchema,
  repo: githubRepoNameSchema,
  access: z.enum(["read", "write"]).default("write"),
  prefer: z.enum(["user", "app"]).default("user"),
  mode: z.enum(["now", "background"]),
  sandboxGit: z.enum(["proxy", "token"]).default("token"),
  branchPolicy: branchPolicySchema.optional(),
});

/** `getSession` / `getGitCredentials` input. */
export const sessionRefSchema = z.strictObject({
  sessionId: sessionIdSchema,
  userId: userIdSchema,
});

/** `endSessionsForUser` input. */
export const userRefSchema = z.strictObject({
  userId: userIdSchema,
});

const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, "must be a lowercase hex SHA-256");

/** `refreshGitHubToken` input. */
export const refreshGitHubTokenSchema = z.strictObject({
  sessionId: sessionIdSchema,
  userId: userIdSchema,
  reason: z.enum(["rejected", "expiring"]),
  rejectedTokenSha256: sha256HexSchema.optional(),
});

/** Most events one `getEvents` call returns. */
export const MAX_EVENTS_PER_READ = 200;

/** `getEvents` input. */
export const getEventsSchema = z.strictObject({
  sessionId: sessionIdSchema,
  userId: userIdSchema,
  after: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.number().int().min(1).max(MAX_EVENTS_PER_READ).default(MAX_EVENTS_PER_READ),
});

/** Body of `POST /sessions/:id/credentials/rejected` (may be empty). */
export const reportRejectedSchema = z.strictObject({
  tokenSha256: sha256HexSchema.optional(),
});

export type PrepareSessionParams = z.infer<typeof prepareSessionSchema>;
export type SessionRefParams = z.infer<typeof sessionRefSchema>;
export type RefreshGitHubTokenParams = z.infer<typeof refreshGitHubTokenSchema>;
export type GetEventsParams = z.infer<typeof getEventsSchema>;
