import { z } from "zod";

/** The platform account a settings link (and the page session it becomes) connects GitHub to. */
export interface PlatformAccount {
  /** What every page calls the account: the platform's display name, else the user id. */
  displayName: string;
  /** An https image of the account, if the platform gave one. */
  avatarUrl?: string;
}

/** Longest display name, in characters: enough for "First Last (workspace)", not for a paragraph. */
export const DISPLAY_NAME_MAX = 80;

// Control and format characters (bidi overrides, zero-width joiners, line breaks) would let a name
// render as another account's ("Alice" + U+202E ...) or break the page's layout: the interstitial
// exists so the person can tell whose account it is, so such a name is refused, not cleaned.
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u;

/** The platform account's display name: trimmed, 1-80 visible characters, nothing hidden in it. */
export const displayNameSchema = z
  .string()
  .max(4 * DISPLAY_NAME_MAX)
  .trim()
  .refine((name) => name !== "", "must not be empty")
  .refine((name) => [...name].length <= DISPLAY_NAME_MAX, `must be at most ${DISPLAY_NAME_MAX} characters`)
  .refine((name) => !HIDDEN_CHARACTERS.test(name), "must not contain control or invisible characters");

/**
 * An avatar URL: https only (an http image on our page would be mixed content and readable on the
 * wire), no user name or password in it, at most 2048 characters.
 */
export const avatarUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "" && url.username === "" && url.password === "";
  }, "must be an https URL without credentials");

/** The origin the page's CSP must allow for the account's avatar (and no other), if it has one. */
export function avatarOrigin(account: PlatformAccount): string | undefined {
  return account.avatarUrl === undefined ? undefined : new URL(account.avatarUrl).origin;
}
