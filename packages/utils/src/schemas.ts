import * as z from "zod";

/**
 * A GitHub user or organization login as GitHub creates them today: 1–39 letters, digits and single
 * hyphens, not starting or ending with a hyphen. It lands in API paths and KV keys, so only that
 * alphabet gets through (no `/`, `.`, `..`, `%`). Known limit: a few legacy accounts have `--` or a
 * trailing `-`; they are refused until someone needs them (then relax the pattern, never the alphabet).
 */
export const githubOwnerSchema = z
  .string()
  .min(1, "must be a GitHub login of 1 to 39 characters")
  .max(39, "must be a GitHub login of 1 to 39 characters")
  .regex(/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/, "must be letters, digits and single hyphens, not at either end");

/**
 * A GitHub repository name: 1–100 of [A-Za-z0-9._-], not "." or ".." (which would walk up an API
 * path). GitHub itself rewrites other characters to `-`, so nothing valid is refused.
 */
export const githubRepoNameSchema = z
  .string()
  .min(1, "must be a repository name of 1 to 100 characters")
  .max(100, "must be a repository name of 1 to 100 characters")
  .regex(/^[A-Za-z0-9._-]+$/, "must be letters, digits, '.', '_' or '-'")
  .refine((name) => name !== "." && name !== "..", "must not be '.' or '..'");

const PLATFORM_ID = /^[A-Za-z0-9_.:@-]+$/;

/**
 * A platform user id: 1–128 of [A-Za-z0-9_.:@-]. Ids end up in KV keys (`repo-access:v1:<userId>:...`)
 * and Durable Object names, so no separators beyond these, no spaces, no control characters.
 */
export const userIdSchema = z
  .string()
  .min(1, "must be 1 to 128 characters")
  .max(128, "must be 1 to 128 characters")
  .regex(PLATFORM_ID, "must be letters, digits or one of _ . : @ -");

/** A platform session id; same shape and reasons as `userIdSchema`. */
export const sessionIdSchema = z
  .string()
  .min(1, "must be 1 to 128 characters")
  .max(128, "must be 1 to 128 characters")
  .regex(PLATFORM_ID, "must be letters, digits or one of _ . : @ -");
