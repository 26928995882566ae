import {
  OPEN_REDIRECT_PAYLOADS,
  SAME_SITE_LOOKALIKES,
} from "../../../test-support/open-redirect-payloads.ts";

/** Return paths an attacker might smuggle into a settings link: every one must end on a same-site path. */
export const OPEN_REDIRECTS: readonly string[] = [...OPEN_REDIRECT_PAYLOADS, ...SAME_SITE_LOOKALIKES];

/** A redirect target is safe when it stays on the worker's own origin. */
export function staysOnSite(location: string | null, publicUrl: string): boolean {
  if (location === null) return true;
  if (!location.startsWith("/") || location.startsWith("//") || location.startsWith("/\\")) {
    return location.startsWith(publicUrl);
  }
  return new URL(location, publicUrl).origin === new URL(publicUrl).origin;
}
