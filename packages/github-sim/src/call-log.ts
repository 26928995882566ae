/**
 * The call log and per-route counters. Entries name the credential by prefix and a short SHA-256
 * hash only: a full token never enters the log.
 */
import { parseAuthorization } from "./auth.ts";
import { looksLikeJwt } from "./jwt.ts";
import type { SimStore } from "./state.ts";
import { tokenFingerprint } from "./tokens.ts";
import type { CallEntry } from "./types.ts";

/** Entries kept; older ones are dropped (counters keep counting). */
const MAX_ENTRIES = 20_000;

/** Describes the credential of an `Authorization` header without revealing it. */
export async function describeAuth(header: string | null): Promise<CallEntry["auth"]> {
  const parsed = parseAuthorization(header);
  if (!parsed) return { kind: "none", tokenPrefix: null, tokenHash: null };
  if (parsed.scheme === "basic") {
    let user = "";
    try {
      user = atob(parsed.credential).split(":")[0] ?? "";
    } catch {
      // not base64: still logged as basic
    }
    return {
      kind: "basic",
      tokenPrefix: user.slice(0, 8) || null,
      tokenHash: (await tokenFingerprint(parsed.credential)).hash,
    };
  }
  const fp = await tokenFingerprint(parsed.credential);
  return {
    kind: looksLikeJwt(parsed.credential) ? "jwt" : "token",
    tokenPrefix: fp.prefix,
    tokenHash: fp.hash,
  };
}

/** Appends an entry (assigning its sequence number) and bumps the route's counters. */
export function recordCall(store: SimStore, entry: Omit<CallEntry, "seq">): CallEntry {
  const seq = store.nextCallSeq();
  const full: CallEntry = { seq, ...entry };
  store.calls.set(String(seq).padStart(12, "0"), full);
  if (store.calls.size > MAX_ENTRIES) {
    const oldest = store.calls.firstKey();
    if (oldest) store.calls.delete(oldest);
  }
  const keys = [entry.route];
  if (entry.grantType) keys.push(`${entry.route}#${entry.grantType}`);
  for (const key of keys) {
    const c = store.counters.get(key) ?? { count: 0, byStatus: {} };
    const status = String(entry.status);
    store.counters.set(key, {
      count: c.count + 1,
      byStatus: { ...c.byStatus, [status]: (c.byStatus[status] ?? 0) + 1 },
    });
  }
  return full;
}

/** Entries after sequence number `since` (all when 0), oldest first. */
export function callsSince(store: SimStore, since = 0): CallEntry[] {
  return store.calls.values().filter((c) => c.seq > since);
}
