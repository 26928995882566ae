/**
 * P3 — refresh storm. 200 concurrent getTokenForRepo calls for one person whose access token is past
 * its refresh margin, with the simulator answering refreshes after 200 ms. Counted at the simulator:
 * refresh calls (goal exactly 1). Timed in the measuring worker: each caller's wait. The storm's p99 is
 * divided by what it cannot beat: "one refresh" (the median wait of a lone caller that triggers a
 * refresh — same latency, same run, other people so no cache is shared) plus the p99 of the same
 * 200-caller storm once the token is fresh (the fan-out alone). Goal ≤ 1.05.
 */
import type { Miniflare } from "miniflare";
import type { SimAdmin } from "../../packages/github-sim/local/index.ts";
import { callBench } from "./bench-worker.ts";
import type { Infra } from "./infra.ts";
import { median, type Percentiles, percentiles, round } from "./stats.ts";
import type { Person } from "./world.ts";

const REFRESH_ROUTE = "POST /login/oauth/access_token#refresh_token";
const RATIO_P99_MAX = 1.05;

export interface P3Result {
  callers: number;
  refreshLatencyMs: number;
  refreshCalls: number;
  singleRefreshMs: number[];
  oneRefreshMs: number;
  waits: Percentiles;
  /** waits.p99 ÷ (oneRefreshMs + noRefreshWaits.p99). */
  ratioP99: number;
  /** Postgres connections opened during the storm (through the proxy). */
  connectionsOpened: number;
  /** The same callers again once the token is fresh and the memo has lapsed: the fan-out alone. */
  noRefreshWaits: Percentiles;
  outcomes: Record<string, number>;
  distinctTokens: number;
  versionDelta: number;
  goal: { refreshCalls: number; ratioP99Max: number; met: boolean };
}

interface StormAnswer {
  waitsMs: number[];
  outcomes: Record<string, number>;
  distinctTokens: number;
}

async function versionOf(infra: Infra, userId: string): Promise<number> {
  const { rows } = await infra.sql.query<{ version: number }>(
    "select version from github_user_tokens where user_id = $1",
    [userId],
  );
  return rows[0]?.version ?? -1;
}

function storm(mf: Miniflare, person: Person, owner: string, repo: string, callers: number) {
  return callBench<StormAnswer>(mf, "storm", {
    input: { userId: person.userId, owner, repo, access: "write" },
    callers,
  });
}

/** Runs lone refreshes (the yardstick), then the storm, then the same callers without a refresh. */
export async function runP3(
  mf: Miniflare,
  infra: Infra,
  admin: SimAdmin,
  world: { stormPerson: Person; singlePeople: Person[]; owner: string; repo: string },
  options: { callers: number; refreshLatencyMs: number },
): Promise<P3Result> {
  const everyone = [world.stormPerson, ...world.singlePeople];
  // Warm: repo access cached in KV (5 min), so what is timed below is the refresh, not the access check.
  for (const person of everyone) await storm(mf, person, world.owner, world.repo, 1);
  await admin.setLatency({
    path: "/login/oauth/access_token",
    method: "POST",
    grantType: "refresh_token",
    delayMs: options.refreshLatencyMs,
  });
  try {
    // The per-isolate memo keeps a decrypted token for 5 s: let it lapse, then age the rows.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    await infra.sql.query(
      "update github_user_tokens set access_expires_at = now() - interval '1 minute' where user_id = any($1)",
      [everyone.map((p) => p.userId)],
    );
    const singleRefreshMs: number[] = [];
    for (const person of world.singlePeople) {
      const answer = await storm(mf, person, world.owner, world.repo, 1);
      if (answer.outcomes.ok !== 1) throw new Error(`a lone refresh failed: ${JSON.stringify(answer)}`);
      singleRefreshMs.push(answer.waitsMs[0]!);
    }
    const before = await admin.count(REFRESH_ROUTE);
    const versionBefore = await versionOf(infra, world.stormPerson.userId);
    const connectionsBefore = infra.postgres.proxy.stats().opened;
    const answer = await storm(mf, world.stormPerson, world.owner, world.repo, options.callers);
    const connectionsOpened = infra.postgres.proxy.stats().opened - connectionsBefore;
    const refreshCalls = (await admin.count(REFRESH_ROUTE)) - before;
    const versionDelta = (await versionOf(infra, world.stormPerson.userId)) - versionBefore;
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const again = await storm(mf, world.stormPerson, world.owner, world.repo, options.callers);
    const oneRefreshMs = median(singleRefreshMs);
    const waits = percentiles(answer.waitsMs);
    const noRefreshWaits = percentiles(again.waitsMs);
    const ratioP99 = round(waits.p99 / (oneRefreshMs + noRefreshWaits.p99));
    const met =
      refreshCalls === 1 &&
      ratioP99 <= RATIO_P99_MAX &&
      answer.outcomes.ok === options.callers &&
      answer.distinctTokens === 1;
    return {
      callers: options.callers,
      refreshLatencyMs: options.refreshLatencyMs,
      refreshCalls,
      singleRefreshMs,
      oneRefreshMs,
      waits,
      ratioP99,
      connectionsOpened,
      noRefreshWaits,
      outcomes: answer.outcomes,
      distinctTokens: answer.distinctTokens,
      versionDelta,
      goal: { refreshCalls: 1, ratioP99Max: RATIO_P99_MAX, met },
    };
  } finally {
    await admin.clearLatency();
  }
}
