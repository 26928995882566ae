import { randomToken, sha256Hex, timingSafeEqual } from "@gitcred/utils";

/** A settings-page session lives a working day; the person opens a new settings link after that. */
export const PAGE_SESSION_TTL_SECONDS = 8 * 60 * 60;
export const SESSION_COOKIE = "gitcred_session";

export interface PageSession {
  userId: string;
  /** Whose installations this page's install flow claims: the link's tenant, else the person's own id. */
  tenantId: string;
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
): Promise<{ cookieValue: string; session: PageSession }> {
  const cookieValue = randomToken(32);
  const stored: StoredSession = {
    userId,
    tenantId,
    csrfToken: randomToken(24),
    returnTo,
    createdAt: new Date().toISOString(),
  };
  const hash = await sha256Hex(cookieValue);
  await kv.put(key(hash), JSON.stringify(stored), { expirationTtl: PAGE_SESSION_TTL_SECONDS });
  return { cookieValue, session: { ...stored, tenantId, browserBinding: hash } };
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
    browserBinding: hash,
  };
}

/** Constant-time check of a submitted CSRF token against the session's. */
export function csrfTokenMatches(session: PageSession, submitted: unknown): boolean {
  return typeof submitted === "string" && timingSafeEqual(submitted, session.csrfToken);
}
