/** Sorting the simulator's counters into the kinds of GitHub calls P1 compares with its minimum. */
import type { RouteCounter } from "../../packages/github-sim/local/index.ts";
import type { CallKinds } from "./p1-minimum.ts";

const KIND_OF_ROUTE: Record<string, keyof CallKinds> = {
  "POST /app/installations/{installation_id}/access_tokens": "mints",
  "POST /login/oauth/access_token#refresh_token": "refreshes",
  "GET /repos/{owner}/{repo}": "accessChecks",
  "GET /users/{username}": "botIdentity",
  "POST /applications/{client_id}/token": "revocationChecks",
  "GET /repos/{owner}/{repo}/installation": "installationLookups",
};

/** Calls per route between two counter snapshots (routes with a `#grant` variant count by variant). */
export function routeDeltas(
  before: Record<string, RouteCounter>,
  after: Record<string, RouteCounter>,
): Record<string, number> {
  const out: Record<string, number> = {};
  const hasVariants = new Set(
    Object.keys(after)
      .filter((k) => k.includes("#"))
      .map((k) => k.split("#")[0]),
  );
  for (const [route, counter] of Object.entries(after)) {
    if (hasVariants.has(route)) continue;
    const delta = counter.count - (before[route]?.count ?? 0);
    if (delta > 0) out[route] = delta;
  }
  return out;
}

/** Sorts per-route call counts into the kinds the minimum is computed for (unknown routes: `other`). */
export function classifyCalls(deltas: Record<string, number>): CallKinds {
  const kinds: CallKinds = {
    mints: 0,
    refreshes: 0,
    accessChecks: 0,
    botIdentity: 0,
    revocationChecks: 0,
    installationLookups: 0,
    other: 0,
  };
  for (const [route, n] of Object.entries(deltas)) kinds[KIND_OF_ROUTE[route] ?? "other"] += n;
  return kinds;
}
