/** The sections of docs/RELIABILITY.md, one renderer per test file's figures. */
import type { MatrixFigures } from "./figure-types.ts";
import type { Section } from "./figures.ts";

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

export function renderSections(figures: Partial<Record<Section, unknown>>): string[] {
  return [...faultMatrix(figures["fault-matrix"] as MatrixFigures | undefined)];
}
