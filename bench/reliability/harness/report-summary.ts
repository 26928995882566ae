/** The table of figures against goals at the top of docs/RELIABILITY.md. */
import type {
  AttackFigures,
  CanaryFigures,
  DatabaseFigures,
  FuzzFigures,
  MatrixFigures,
  RaceFigures,
} from "./figure-types.ts";
import type { Section } from "./figures.ts";

const row = (figure: string, goal: string, value: string | undefined, met: boolean | undefined) =>
  `| ${figure} | ${goal} | ${value ?? "not run"} | ${met === undefined ? "—" : met ? "✅ met" : "❌ **missed**"} |`;

/** One row per goal: the figure of this run, met or missed. */
export function summary(figures: Partial<Record<Section, unknown>>): string[] {
  const m = figures["fault-matrix"] as MatrixFigures | undefined;
  const d = figures["database-faults"] as DatabaseFigures | undefined;
  const fz = figures.fuzz as FuzzFigures | undefined;
  const c = figures.canary as CanaryFigures | undefined;
  const a = figures["oauth-attacks"] as AttackFigures | undefined;
  const r = figures.races as RaceFigures | undefined;
  const dbLost = d?.drops.reduce((n, x) => n + x.tokensLost, 0);
  const dbUnclear =
    d === undefined
      ? undefined
      : d.drops.filter((x) => !x.clear).length + d.outages.reduce((n, o) => n + o.unclear.length, 0);
  const dbHalf =
    d === undefined ? undefined : d.drops.filter((x) => !x.rowWhole).length + d.rows.broken.length;
  const dbNotBack =
    d === undefined
      ? undefined
      : d.drops.filter((x) => !x.recovered).length + d.outages.filter((o) => !o.allOkAfter).length;
  const fuzzFail = fz?.targets.reduce((n, t) => n + t.failures, 0);
  const fuzzMin = fz === undefined ? undefined : Math.min(...fz.targets.map((t) => t.runs));
  const refused = a?.attacks.filter((x) => x.refused).length;
  const raceViolations =
    r === undefined
      ? undefined
      : r.violations.oneRowPerPerson.length +
        r.violations.noValidTokenCleared.length +
        r.violations.versionPlusOne.length +
        r.violations.wholeRow.length;
  return [
    "| figure | goal | this run | |",
    "|---|---|---|---|",
    row(
      "fault matrix: results as documented",
      "all",
      m && `${m.cellsRun - m.mismatches} / ${m.cellsRun} cells`,
      m && m.mismatches === 0,
    ),
    row(
      "fault matrix: unhandled exceptions",
      "0",
      m && `${m.unhandledExceptions}`,
      m && m.unhandledExceptions === 0,
    ),
    row("fault matrix: valid tokens lost", "0", m && `${m.validTokensLost}`, m && m.validTokensLost === 0),
    row(
      "database faults: answers other than clear `*_unavailable`",
      "0",
      dbUnclear?.toString(),
      dbUnclear === undefined ? undefined : dbUnclear === 0,
    ),
    row(
      "database faults: half-written rows",
      "0",
      dbHalf?.toString(),
      dbHalf === undefined ? undefined : dbHalf === 0,
    ),
    row(
      "database faults: not working again without a restart",
      "0",
      dbNotBack?.toString(),
      dbNotBack === undefined ? undefined : dbNotBack === 0,
    ),
    row(
      "database faults: valid tokens lost",
      "0",
      dbLost?.toString(),
      dbLost === undefined ? undefined : dbLost === 0,
    ),
    row(
      "fuzz: inputs per method / route",
      `≥ ${(fz?.runsPerTarget ?? 10_000).toLocaleString("en")}${fz !== undefined && fz.runsPerTarget !== 10_000 ? " (GITCRED_FUZZ_RUNS; default 10,000)" : ""}`,
      fuzzMin?.toLocaleString("en"),
      fuzzMin === undefined ? undefined : fuzzMin >= (fz?.runsPerTarget ?? 10_000),
    ),
    row(
      "fuzz: 5xx and crashes",
      "0",
      fuzzFail?.toString(),
      fuzzFail === undefined ? undefined : fuzzFail === 0,
    ),
    row(
      "canary scan: secrets found",
      "0",
      c && `${c.found.length} (of ${c.secrets} searched)`,
      c && c.found.length === 0,
    ),
    row(
      "OAuth attack set: refused / total",
      "100%",
      a && `${refused} / ${a.attacks.length}`,
      a && refused === a.attacks.length,
    ),
    row(
      "races: invariant violations",
      "0",
      r && `${raceViolations} in ${r.rounds.length} rounds`,
      r && raceViolations === 0,
    ),
  ];
}
