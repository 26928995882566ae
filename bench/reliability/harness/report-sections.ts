/** The sections of docs/RELIABILITY.md, one renderer per test file's figures. */
import type {
  AttackFigures,
  CanaryFigures,
  DatabaseFigures,
  FuzzFigures,
  MatrixFigures,
  RaceFigures,
} from "./figure-types.ts";
import type { Section } from "./figures.ts";
import { attackSection, canarySection, fuzzSection, raceSection } from "./report-more.ts";

const mark = (ok: boolean) => (ok ? "✅" : "❌");
const goal = (value: number, target = 0) => `${value} ${mark(value === target)}`;
const cellText = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function faultMatrix(f: MatrixFigures | undefined): string[] {
  if (f === undefined) return ["## GitHub fault matrix", "", "_Not run in this run._"];
  const header = `| fault \\ operation | ${f.operations.join(" | ")} |`;
  const rows = f.faults.map((fault) => {
    const cols = f.operations.map((op) => {
      const cell = f.cells.find((c) => c.fault === fault && c.operation === op);
      if (cell === undefined) return "n/a";
      const recovery = cell.recovered === "n/a" ? "" : cell.recovered ? ", recovered" : ", NOT recovered";
      return `${mark(cell.matches)} ${cellText(cell.got)}${recovery}`;
    });
    return `| **${fault}** | ${cols.join(" | ")} |`;
  });
  const documented = f.operations.map((op) => {
    const examples = [...new Set(f.cells.filter((c) => c.operation === op).map((c) => c.documented))];
    return `- **${op}**: ${examples.join("; ")}`;
  });
  return [
    "## GitHub fault matrix",
    "",
    "Each fault is injected at the simulator on exactly the GitHub call the operation makes (`bench/reliability/fault-matrix/`), the operation is called as the platform or the connect worker calls it, the answer is checked against the documented one, then GitHub is healthy again and the operation must work again — where a lost token would show. `n/a`: GitHub does not answer that fault on that call (its OAuth token endpoint answers errors with HTTP 200 and an `error` field, and `bad_refresh_token` only to a refresh). Timeouts wait 11.5 s against gitcred's 10 s limit.",
    "",
    "| figure | result (goal) |",
    "|---|---|",
    `| cells run | ${f.cellsRun} |`,
    `| results differing from the documented one | ${goal(f.mismatches)} |`,
    `| operations not working again after the fault | ${goal(f.notRecovered)} |`,
    `| valid tokens lost | ${goal(f.validTokensLost)} |`,
    `| unhandled exceptions (boundary error logs, uncaught) | ${goal(f.unhandledExceptions)} |`,
    ...(f.limits === undefined
      ? []
      : [
          `| GitHub requests in flight at once, most seen (git-token) | ${f.limits.githubPeakInFlight} (goal ≤ 100) |`,
          `| App requests held back by a low App quota | ${f.limits.appQuotaHeldBack} |`,
          `| lockouts waited out without calling GitHub | ${f.limits.lockoutsSeen} |`,
        ]),
    "",
    header,
    `|---|${f.operations.map(() => "---").join("|")}|`,
    ...rows,
    "",
    "Documented results, per operation:",
    ...documented,
    ...(f.unhandledSamples.length > 0
      ? ["", "Unhandled:", ...f.unhandledSamples.map((s) => `- \`${cellText(s).slice(0, 300)}\``)]
      : []),
  ];
}

const phase = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort()
    .map(([k, v]) => `${k} ×${v}`)
    .join(", ") || "—";

function databaseFaults(f: DatabaseFigures | undefined): string[] {
  if (f === undefined) return ["## Database faults", "", "_Not run in this run._"];
  const lost = f.drops.reduce((n, d) => n + d.tokensLost, 0);
  const orphaned = f.drops.reduce((n, d) => n + d.orphanedTokens, 0);
  const unclear =
    f.drops.filter((d) => !d.clear).length + f.outages.reduce((n, o) => n + o.unclear.length, 0);
  const notRecovered =
    f.drops.filter((d) => !d.recovered).length + f.outages.filter((o) => !o.allOkAfter).length;
  const halfWritten = f.drops.filter((d) => !d.rowWhole).length + f.rows.broken.length;
  const lines = [
    "## Database faults",
    "",
    "A Postgres connection is cut in the middle of a request by the local WebSocket proxy the Neon driver goes through (`packages/db/local/ws-proxy.ts`, `armDrop`): *before* the statement reaches the server (it never runs) or *after* it ran but before its answer came back. Then, while four lanes of calls run (getConnection, createSettingsLink, prepareSession, getTokenForRepo), the run's private PostgreSQL server is restarted, stopped for 3 s, and every connection is cut at once. Whole rows: a known status and version, and both tokens decrypt under their own AAD (`bench/reliability/db-faults/row-checks.ts`).",
    "",
    "| figure | result (goal) |",
    "|---|---|",
    `| answers other than success or \`*_unavailable\` with a retry time | ${goal(unclear)} |`,
    `| half-written rows (cut scenarios + every row after the outages, ${f.rows.rows} rows) | ${goal(halfWritten)} |`,
    `| cases not working again afterwards (workers never restarted) | ${goal(notRecovered)} |`,
    `| valid tokens lost | ${goal(lost)} |`,
    `| live tokens orphaned (issued, stored nowhere, not revoked; the person recovered) | ${orphaned} |`,
    "",
    "| connection cut during | statement | answer | row whole | afterwards | tokens lost |",
    "|---|---|---|---|---|---|",
    ...f.drops.map(
      (d) =>
        `| ${d.scenario} (${d.when}) | \`${cellText(d.statement)}\` | ${mark(d.clear)} ${cellText(d.result)} | ${mark(d.rowWhole)} | ${mark(d.recovered)} ${cellText(d.note)} | ${goal(d.tokensLost)}${d.orphanedTokens > 0 ? ` (${d.orphanedTokens} orphaned)` : ""} |`,
    ),
    "",
    "| outage | calls | fault lasted | before | during (in flight while it lasted) | after (started once lifted) | back to success |",
    "|---|---|---|---|---|---|---|",
    ...f.outages.map(
      (o) =>
        `| ${o.kind} | ${o.calls} | ${o.faultMs} ms | ${phase(o.byPhase.before)} | ${phase(o.byPhase.during)} | ${mark(o.allOkAfter)} ${phase(o.byPhase.after)} | ${o.recoveryMs === null ? "never" : `${o.recoveryMs} ms`} |`,
    ),
  ];
  const refreshLoss = f.drops.find((d) => d.tokensLost > 0 && d.statement.startsWith("update"));
  if (refreshLoss !== undefined) {
    lines.push(
      "",
      `**Missed: a refresh whose write is lost loses the person's token.** GitHub's refresh tokens are single use: the refresher spends the old one, GitHub answers with a new pair, and the \`UPDATE ... WHERE version\` that stores it never reaches Postgres. The caller gets a clear \`database_unavailable\`, the row is whole — but it still holds the spent refresh token, so the next refresh gets \`bad_refresh_token\` and the connection is marked \`reconnect_required\` (${cellText(refreshLoss.note)}), while GitHub still accepts the new access token nobody stored. **What would fix it** (workers/git-token/src/user/refresh-user-token-row.ts, \`storeRefreshed\`): treat a failed write of a new pair as retryable — retry the compare-and-set on a fresh connection with a short backoff; if the database stays away, keep the pair in the refresher Durable Object (in memory, and as an AES-GCM envelope in its storage so an eviction does not lose it) and have the next refresh of that person write it (or hand it out) before spending the refresh token again.`,
    );
  }
  if (orphaned > 0) {
    lines.push(
      "",
      "Orphaned tokens: when storing a *new* connection fails after GitHub issued its tokens, the person simply connects again (the web flow says `github_unavailable`), but the first pair stays live at GitHub until it expires; revoking it (as `storeRefreshed` already does for a pair nobody will store) would close that.",
    );
  }
  return lines;
}

/** All sections, in the report's order. */
export function renderSections(figures: Partial<Record<Section, unknown>>): string[] {
  return [
    ...faultMatrix(figures["fault-matrix"] as MatrixFigures | undefined),
    "",
    ...databaseFaults(figures["database-faults"] as DatabaseFigures | undefined),
    "",
    ...fuzzSection(figures.fuzz as FuzzFigures | undefined),
    "",
    ...canarySection(figures.canary as CanaryFigures | undefined),
    "",
    ...attackSection(figures["oauth-attacks"] as AttackFigures | undefined),
    "",
    ...raceSection(figures.races as RaceFigures | undefined),
  ];
}
