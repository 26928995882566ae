import type { SessionRecord } from "../types.ts";

/**
 * Whether the session runs on the App's token only until the person acts: their token was refused for
 * SAML SSO (`sso_required`), which they fix at GitHub without reconnecting. Such a session asks for the
 * person's token at every credential fetch instead of reusing the held App token, so the first call
 * after they authorize gets their own token back (every other fallback reason lasts the session's life).
 */
export function awaitsPerson(record: Pick<SessionRecord, "identity" | "fallbackReason">): boolean {
  return record.identity === "app" && record.fallbackReason === "sso_required";
}
