/**
 * The theoretical minimum of GitHub calls for the P1 schedule: what an ideal broker with the same
 * lifetimes and the same hand-out contract needs, computed from the schedule alone (never from what
 * gitcred did). Contract: a credential handed out is valid for at least 10 more minutes (#6), so a token
 * of life L is usable for L − 10 minutes. Per kind:
 * - mints: per repository, the fewest installation tokens (60 min) covering every moment an App-identity
 *   session needs one (greedy: mint at the first uncovered need);
 * - refreshes: per person, the fewest user tokens (8 h; the first one comes from connecting) covering
 *   every moment a person-identity session needs one;
 * - access checks: per person and repository, one per 5-minute cache life over the moments a person's
 *   token is issued to a session (its preparation, and when its held token reaches the margin);
 * - one bot-identity lookup; one confirmation per revocation (the webhook is checked with GitHub);
 *   no installation lookups (installation webhooks fill the table).
 * The same with full lifetimes (no margin) is reported alongside, as the issue words the minimum.
 */
import type { Schedule } from "./p1-schedule.ts";

export interface CallKinds {
  mints: number;
  refreshes: number;
  accessChecks: number;
  botIdentity: number;
  revocationChecks: number;
  installationLookups: number;
  other: number;
}

export interface Minimum {
  contract: CallKinds;
  fullLifetime: CallKinds;
  /** Events the schedule produces (preparations + git uses), and how many need the App's identity. */
  events: number;
  appEvents: number;
}

interface Lifetimes {
  installationMinutes: number;
  userMinutes: number;
  marginMinutes: number;
  accessCacheMinutes: number;
}

/** Fewest windows [m, m + window) starting at a need that cover all `times`. */
function greedyCover(times: number[], window: number, coveredUntil = Number.NEGATIVE_INFINITY): number[] {
  const starts: number[] = [];
  let until = coveredUntil;
  for (const t of [...times].sort((a, b) => a - b)) {
    if (t < until) continue;
    starts.push(t);
    until = t + window;
  }
  return starts;
}

interface Event {
  t: number;
  session: number;
  app: boolean;
}

function eventsOf(schedule: Schedule): Event[] {
  const { shape } = schedule;
  const revokedAt = new Map(shape.revocations.map((r) => [r.person, r.minute]));
  const events: Event[] = [];
  schedule.sessions.forEach((s, index) => {
    const connected = s.person < shape.connected;
    const revoked = revokedAt.get(s.person) ?? Number.POSITIVE_INFINITY;
    // Revocations happen first within their minute: a session prepared at or after it uses the App; one
    // prepared before finds out at its first git use at or after it and switches for good.
    let app = !connected || s.start >= revoked;
    events.push({ t: s.start, session: index, app });
    for (const t of s.uses) {
      if (!app && t >= revoked) app = true;
      events.push({ t, session: index, app });
    }
  });
  return events.sort((a, b) => a.t - b.t || a.session - b.session);
}

function minimumWith(schedule: Schedule, events: Event[], life: Lifetimes): CallKinds {
  const { shape, sessions } = schedule;
  const appUsable = life.installationMinutes - life.marginMinutes;
  const userUsable = life.userMinutes - life.marginMinutes;
  // Mints: per repository, over every App-identity need.
  const appNeeds = new Map<string, number[]>();
  for (const e of events.filter((x) => x.app)) {
    const s = sessions[e.session]!;
    const key = `${s.org}/${s.repo}`;
    appNeeds.set(key, [...(appNeeds.get(key) ?? []), e.t]);
  }
  const mints = [...appNeeds.values()].reduce((n, times) => n + greedyCover(times, appUsable).length, 0);
  // Refreshes: per person, over every person-identity need; the connect-time token covers the start.
  const userNeeds = new Map<number, number[]>();
  for (const e of events.filter((x) => !x.app)) {
    const person = sessions[e.session]!.person;
    userNeeds.set(person, [...(userNeeds.get(person) ?? []), e.t]);
  }
  let refreshes = 0;
  const tokenStarts = new Map<number, number[]>();
  for (const [person, times] of userNeeds) {
    const starts = greedyCover(times, userUsable, userUsable);
    refreshes += starts.length;
    tokenStarts.set(person, [0, ...starts]);
  }
  // Access checks: issuances of a person's token to a session, per person and repository.
  const expiryAt = (person: number, t: number) => {
    const starts = tokenStarts.get(person) ?? [0];
    const start = starts.filter((s) => s <= t).pop() ?? 0;
    return start + life.userMinutes;
  };
  const held = new Map<number, number>();
  const issuances = new Map<string, number[]>();
  for (const e of events.filter((x) => !x.app)) {
    const s = sessions[e.session]!;
    const expiry = held.get(e.session);
    if (expiry !== undefined && e.t < expiry - life.marginMinutes) continue;
    held.set(e.session, expiryAt(s.person, e.t));
    const key = `${s.person}:${s.org}/${s.repo}`;
    issuances.set(key, [...(issuances.get(key) ?? []), e.t]);
  }
  const accessChecks = [...issuances.values()].reduce(
    (n, times) => n + greedyCover(times, life.accessCacheMinutes).length,
    0,
  );
  return {
    mints,
    refreshes,
    accessChecks,
    botIdentity: appNeeds.size > 0 ? 1 : 0,
    revocationChecks: shape.revocations.filter((r) => r.person < shape.connected).length,
    installationLookups: 0,
    other: 0,
  };
}

/** The minimum for `schedule`, with the hand-out margin (contract) and without (full lifetimes). */
export function theoreticalMinimum(schedule: Schedule): Minimum {
  const events = eventsOf(schedule);
  const base = { installationMinutes: 60, userMinutes: 480, accessCacheMinutes: 5 };
  return {
    contract: minimumWith(schedule, events, { ...base, marginMinutes: 10 }),
    fullLifetime: minimumWith(schedule, events, { ...base, marginMinutes: 0 }),
    events: events.length,
    appEvents: events.filter((e) => e.app).length,
  };
}

/** All calls of a breakdown, for the ratio. */
export function totalCalls(kinds: CallKinds): number {
  return Object.values(kinds).reduce((a, b) => a + b, 0);
}
