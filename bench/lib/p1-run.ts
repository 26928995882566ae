/**
 * P1 — GitHub calls for a fixed workload. Replays the P1 schedule (p1-schedule.ts) over 10 simulated
 * hours against the time-warp builds of the suite: each session is prepared through
 * SessionService.prepareSession (mode now), and each git use asks getGitCredentials, checks the token at
 * the simulator (as the git server would: valid, push access) and, when refused, reports it with
 * refreshGitHubToken — as an agent's credential helper does. Calls are counted at the simulator by kind
 * and divided by the theoretical minimum (p1-minimum.ts).
 */
import { createHash } from "node:crypto";
import type { SimAdmin } from "../../packages/github-sim/local/index.ts";
import { callRpc } from "../../test-support/platform-worker.ts";
import { classifyCalls, routeDeltas } from "./p1-calls.ts";
import { type CallKinds, theoreticalMinimum, totalCalls } from "./p1-minimum.ts";
import type { Schedule, ScheduledSession } from "./p1-schedule.ts";
import { round } from "./stats.ts";
import type { WarpClock } from "./warp.ts";
import type { World } from "./world.ts";

export interface P1Result {
  via: "SessionService.prepareSession";
  simulatedHours: number;
  sessions: number;
  events: number;
  actual: CallKinds;
  actualTotal: number;
  minimum: { contract: CallKinds; fullLifetime: CallKinds };
  minimumTotal: { contract: number; fullLifetime: number };
  ratio: { contract: number; fullLifetime: number };
  routes: Record<string, number>;
  checks: {
    preparationFailures: Record<string, number>;
    credentialFailures: Record<string, number>;
    /** Credentials handed out that the simulator (GitHub) refused even after a reported rejection. */
    refusedHandouts: number;
    rejectionsReported: number;
    downgrades: number;
    identityMismatches: number;
  };
  realSeconds: number;
  /** Credentials handed out to the workload (getGitCredentials and refreshGitHubToken answers with a token). */
  handouts: number;
  goal: { ratioMax: number; met: boolean };
}

interface Credentials {
  ok: boolean;
  reason?: string;
  token?: string;
  identity?: "user" | "app";
  downgraded?: boolean;
}

type Rpc = <T>(binding: "SESSION" | "GIT_TOKEN", method: string, input: unknown) => Promise<T>;

async function waitForDeliveries(admin: SimAdmin, count: number): Promise<void> {
  // Up to 30 s: at × 10 (P5) ten revocations' webhooks land at once on a busy machine.
  for (let i = 0; i < 1200; i++) {
    const done = (await admin.deliveries()).filter((d) => d.status !== null || d.error !== null);
    if (done.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`webhook deliveries did not finish (${count} expected)`);
}

/** Replays the schedule minute by minute on the warped clock and counts GitHub calls by kind. */
export async function runP1(context: {
  schedule: Schedule;
  world: World;
  admin: SimAdmin;
  appId: number;
  platformUrl: string;
  clock: WarpClock;
}): Promise<P1Result> {
  const { schedule, world, admin, clock } = context;
  const rpc: Rpc = (binding, method, input) => callRpc(context.platformUrl, binding, method, input);
  const byMinute = new Map<number, { prepares: ScheduledSession[]; uses: ScheduledSession[] }>();
  const slot = (m: number) => {
    const existing = byMinute.get(m);
    if (existing !== undefined) return existing;
    const created = { prepares: [] as ScheduledSession[], uses: [] as ScheduledSession[] };
    byMinute.set(m, created);
    return created;
  };
  for (const s of schedule.sessions) {
    slot(s.start).prepares.push(s);
    for (const u of s.uses) slot(u).uses.push(s);
  }
  // Several people may revoke in the same minute (P5 at × 10 repeats each revocation per copy).
  const revocations = new Map<number, number[]>();
  for (const r of schedule.shape.revocations)
    revocations.set(r.minute, [...(revocations.get(r.minute) ?? []), r.person]);
  for (const minute of revocations.keys()) slot(minute);
  const checks: P1Result["checks"] = {
    preparationFailures: {},
    credentialFailures: {},
    refusedHandouts: 0,
    rejectionsReported: 0,
    downgrades: 0,
    identityMismatches: 0,
  };
  const bump = (map: Record<string, number>, key: string) => {
    map[key] = (map[key] ?? 0) + 1;
  };
  let handouts = 0;
  const revokedAt = new Map(schedule.shape.revocations.map((r) => [r.person, r.minute]));
  const expectApp = (s: ScheduledSession, minute: number) =>
    s.person >= schedule.shape.connected || minute >= (revokedAt.get(s.person) ?? Number.POSITIVE_INFINITY);
  const ref = (s: ScheduledSession) => ({ sessionId: s.id, userId: world.people[s.person]!.userId });
  const target = (s: ScheduledSession) => ({
    owner: world.orgs[s.org]!.login,
    repo: world.orgs[s.org]!.repos[s.repo]!,
  });

  const prepare = async (s: ScheduledSession, minute: number) => {
    const result = await rpc<{ ok: boolean; reason?: string; session?: { identity: string } }>(
      "SESSION",
      "prepareSession",
      // The world's tenant: the App's fallback is entitled through its installation claims.
      { ...ref(s), ...target(s), tenantId: world.tenantId, mode: "now" },
    );
    if (!result.ok) return bump(checks.preparationFailures, result.reason ?? "unknown");
    if ((result.session?.identity === "app") !== expectApp(s, minute)) checks.identityMismatches += 1;
  };
  const use = async (s: ScheduledSession) => {
    const { owner, repo } = target(s);
    let creds = await rpc<Credentials>("SESSION", "getGitCredentials", ref(s));
    if (!creds.ok || creds.token === undefined)
      return bump(checks.credentialFailures, creds.reason ?? "unknown");
    handouts += 1;
    let verdict = await admin.checkToken(creds.token, owner, repo);
    if (!(verdict.valid && verdict.push === true)) {
      checks.rejectionsReported += 1;
      const sha = createHash("sha256").update(creds.token).digest("hex");
      creds = await rpc<Credentials>("SESSION", "refreshGitHubToken", {
        ...ref(s),
        reason: "rejected",
        rejectedTokenSha256: sha,
      });
      if (!creds.ok || creds.token === undefined) {
        return bump(checks.credentialFailures, `after rejection: ${creds.reason ?? "unknown"}`);
      }
      handouts += 1;
      if (creds.downgraded === true) checks.downgrades += 1;
      verdict = await admin.checkToken(creds.token, owner, repo);
      if (!(verdict.valid && verdict.push === true)) checks.refusedHandouts += 1;
    }
  };

  const before = await admin.counters();
  const started = performance.now();
  let deliveries = (await admin.deliveries()).length;
  let current = 0;
  for (const minute of [...byMinute.keys()].sort((a, b) => a - b)) {
    if (minute > current) await clock.advance((minute - current) * 60);
    current = minute;
    const events = byMinute.get(minute)!;
    const revoking = revocations.get(minute) ?? [];
    if (revoking.length > 0) {
      for (const person of revoking) await admin.revokeGrant(context.appId, world.people[person]!.login);
      // Every delivery the revocations caused, however many that is, must have been answered.
      deliveries = (await admin.deliveries()).length;
      await waitForDeliveries(admin, deliveries);
    }
    await Promise.all(events.prepares.map((s) => prepare(s, minute)));
    await Promise.all(events.uses.filter((s) => !events.prepares.includes(s)).map((s) => use(s)));
  }
  const realSeconds = (performance.now() - started) / 1000;
  const routes = routeDeltas(before, await admin.counters());
  const actual = classifyCalls(routes);
  const minimum = theoreticalMinimum(schedule);
  const actualTotal = totalCalls(actual);
  const contract = totalCalls(minimum.contract);
  const fullLifetime = totalCalls(minimum.fullLifetime);
  const ratio = { contract: round(actualTotal / contract), fullLifetime: round(actualTotal / fullLifetime) };
  const clean =
    checks.refusedHandouts === 0 &&
    checks.identityMismatches === 0 &&
    Object.keys(checks.preparationFailures).length === 0 &&
    Object.keys(checks.credentialFailures).length === 0;
  return {
    via: "SessionService.prepareSession",
    simulatedHours: schedule.shape.minutes / 60,
    sessions: schedule.sessions.length,
    events: minimum.events,
    actual,
    actualTotal,
    minimum: { contract: minimum.contract, fullLifetime: minimum.fullLifetime },
    minimumTotal: { contract, fullLifetime },
    ratio,
    routes,
    checks,
    realSeconds: round(realSeconds, 1),
    handouts,
    goal: { ratioMax: 1.05, met: ratio.contract <= 1.05 && clean },
  };
}
