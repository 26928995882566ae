/**
 * The session worker's limits as documented (README, ARCHITECTURE), pinned for the tests rather than
 * imported: the sources keep them private, and a limit that changes must change here too, where a
 * reviewer sees it.
 */

/** A session nobody used for 30 days is deleted (`record/expire-idle-session.ts`). */
export const SESSION_IDLE_TTL_MS = 30 * 24 * 3600_000;

/** The newest 1,000 events of a session are kept (`record/session-store.ts`). */
export const MAX_STORED_EVENTS = 1000;

/** A token handed out is valid for at least 10 more minutes (`credentials/get-git-credentials.ts`). */
export const MIN_TOKEN_VALIDITY_MS = 10 * 60_000;

/** A session's absolute lifetime unless `SESSION_LIFETIME_HOURS` says otherwise (`record/session-deadline.ts`). */
export const DEFAULT_SESSION_LIFETIME_HOURS = 8;
