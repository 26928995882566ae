import { randomToken, sha256Hex, timingSafeEqual } from "@gitcred/utils";
import type { PlatformAccount } from "./platform-account.ts";

/** A settings-page session lives a working day; the person opens a new settings link after that. */
export const PAGE_SESSION_TTL_SECONDS = 8 * 60 * 60;
/**
 * `__Host-`: the browser keeps it only if Secure, Path=/ and without Domain, so neither a sibling
 * subdomain nor a plain-http page of the same host can plant a session cookie (login CSRF by cookie
 * tossing). Chromium and Firefox treat http://127.0.0.1 and localhost as secure, so local dev keeps it.
 */
export const SESSION_COOKIE = "__Host-gitcred_session";

export interface PageSession {
  userId: string;
  /** Whose installations this page's install flow claims: the link's tenant, else the person's own id. */
  tenantId: string;
  /** The platform account every page names, so the person always sees which account they connect. */
  account: PlatformAccount;
  /** Echoed in every form; a cross-site page cannot read it, so it cannot forge our POSTs. */
  csrfToken: string;
  /** sha-256 of the cookie value: binds OAuth states to this browser without storing the cookie. */
  browserBinding: string;
  /** Where to send the person after connecting (a safe same-site path from the settings link). */
  returnTo: string;
  createdAt: string;
}

interface StoredSession {
  userId: string;
  /** Absent in sessions stored before tenants existed: the person's own id then. */
  tenantId?: string;
  /** Absent in sessions stored before accounts were named: the user id is shown then. */
  account?: PlatformAccount;
  csrfToken: string;
  returnTo: string;
  createdAt: string;
}

const key = (hash: string) => `page-session:v1:${hash}`;

/** Starts a session for `userId`; returns the cookie value (only its hash is stored in KV). */
export async function startPageSession(
  kv: KVNamespace,
  userId: string,
  returnTo: string,
  tenantId: string = userId,
  account: PlatformAccount = { displayName: userId },
): Promise<{ cookieValue: string; session: PageSession }> {
  const cookieValue = randomToken(32);
  const stored: StoredSession = {
    userId,
    tenantId,
    account,
    csrfToken: randomToken(24),
    returnTo,
    createdAt: new Date().toISOString(),
  };
  const hash = await sha256Hex(cookieValue);
  await kv.put(key(hash), JSON.stringify(stored), { expirationTtl: PAGE_SESSION_TTL_SECONDS });
  return { cookieValue, session: { ...stored, tenantId, account, browserBinding: hash } };
}

/** The session behind a cookie value, or undefined for a missing, expired or forged cookie. */
export async function readPageSession(
  kv: KVNamespace,
  cookieValue: string | undefined,
): Promise<PageSession | undefined> {
  if (cookieValue === undefined || cookieValue.length < 16 || cookieValue.length > 128) return undefined;
  const hash = await sha256Hex(cookieValue);
  const stored = await kv.get<StoredSession>(key(hash), "json");
  if (stored === null || typeof stored.userId !== "string" || typeof stored.csrfToken !== "string")
    return undefined;
  return {
    ...stored,
    tenantId: typeof stored.tenantId === "string" ? stored.tenantId : stored.userId,
    account:
      typeof stored.account?.displayName === "string" ? stored.account : { displayName: stored.userId },
    browserBinding: hash,
  };
}

/** Constant-time check of a submitted CSRF token against the session's. */
export function csrfTokenMatches(session: PageSession, submitted: unknown): boolean {
  return typeof submitted === "string" && timingSafeEqual(submitted, session.csrfToken);
}
