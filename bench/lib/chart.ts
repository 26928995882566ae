/**
 * The report's chart, drawn as plain SVG from the results (no chart library, no network): four panels,
 * one per figure, each against its goal.
 */
import type { BenchResults } from "./results.ts";

const W = 960;
const H = 1080;
const PANEL_W = 440;
const PANEL_H = 290;
const COLORS = { actual: "#2563eb", minimum: "#94a3b8", goal: "#dc2626", alt: "#16a34a", third: "#f59e0b" };

/** Whole numbers as they are; others with 2 decimals, or none from 10 up. */
function label(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value >= 10 ? value.toFixed(0) : value.toFixed(2);
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function text(
  x: number,
  y: number,
  body: string,
  options: { size?: number; anchor?: string; weight?: string } = {},
) {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${options.size ?? 11}" text-anchor="${options.anchor ?? "start"}"${options.weight ? ` font-weight="${options.weight}"` : ""}>${esc(body)}</text>`;
}

interface Series {
  label: string;
  color: string;
  values: number[];
}

/** Grouped bars in a panel whose top-left corner is (x, y). */
function bars(
  x: number,
  y: number,
  title: string,
  groups: string[],
  series: Series[],
  goal?: { value: number; label: string },
) {
  const left = x + 44;
  const top = y + 34;
  const width = PANEL_W - 60;
  const height = PANEL_H - 90;
  const max = Math.max(...series.flatMap((s) => s.values), goal?.value ?? 0) * 1.15 || 1;
  const out = [text(x, y + 14, title, { size: 13, weight: "bold" })];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const gy = top + height - (height * i) / 4;
    out.push(`<line x1="${left}" y1="${gy}" x2="${left + width}" y2="${gy}" stroke="#e5e7eb"/>`);
    out.push(text(left - 4, gy + 4, v >= 10 ? v.toFixed(0) : v.toFixed(2), { size: 9, anchor: "end" }));
  }
  const groupW = width / groups.length;
  const barW = Math.min(28, (groupW * 0.8) / series.length);
  groups.forEach((group, g) => {
    const gx = left + g * groupW + (groupW - barW * series.length) / 2;
    series.forEach((s, i) => {
      const value = s.values[g] ?? 0;
      const bh = (height * value) / max;
      const bx = gx + i * barW;
      out.push(
        `<rect x="${bx.toFixed(1)}" y="${(top + height - bh).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="${s.color}"/>`,
      );
      out.push(
        text(bx + barW / 2 - 1, top + height - bh - 3, label(value), {
          size: 8,
          anchor: "middle",
        }),
      );
    });
    out.push(text(left + g * groupW + groupW / 2, top + height + 14, group, { size: 9, anchor: "middle" }));
  });
  if (goal !== undefined) {
    const gy = top + height - (height * goal.value) / max;
    out.push(
      `<line x1="${left}" y1="${gy}" x2="${left + width}" y2="${gy}" stroke="${COLORS.goal}" stroke-dasharray="5,3"/>`,
    );
    out.push(text(left + width, gy - 4, goal.label, { size: 9, anchor: "end" }));
  }
  series.forEach((s, i) => {
    const lx = left + i * 140;
    out.push(`<rect x="${lx}" y="${top + height + 26}" width="10" height="10" fill="${s.color}"/>`);
    out.push(text(lx + 14, top + height + 35, s.label, { size: 10 }));
  });
  return out.join("\n");
}

/** The six-panel SVG of one run (docs/benchmarks.svg), drawn from the results alone. */
export function renderChart(r: BenchResults): string {
  const kinds = ["mints", "refreshes", "accessChecks", "botIdentity", "revocationChecks"] as const;
  const p1 = bars(
    20,
    20,
    `P1 — GitHub calls, 10 sim. hours: ${r.p1.actualTotal} = ${r.p1.ratio.contract}× minimum`,
    ["mints", "refreshes", "access checks", "bot id", "revocation"],
    [
      { label: "gitcred", color: COLORS.actual, values: kinds.map((k) => r.p1.actual[k]) },
      {
        label: "minimum (contract)",
        color: COLORS.minimum,
        values: kinds.map((k) => r.p1.minimum.contract[k]),
      },
      {
        label: "minimum (full life)",
        color: COLORS.alt,
        values: kinds.map((k) => r.p1.minimum.fullLifetime[k]),
      },
    ],
  );
  const ops = Object.entries(r.p2.ops);
  const p2 = bars(
    500,
    20,
    `P2 — warm latency ÷ ping on the same binding (ping p50 ${r.p2.floors.GIT_TOKEN.p50.toFixed(2)} ms)`,
    ops.map(([name]) => name.replace("getTokenForRepo", "getToken…")),
    [
      { label: "p50 ratio", color: COLORS.actual, values: ops.map(([, o]) => o.ratioP50) },
      { label: "p99 ratio", color: COLORS.third, values: ops.map(([, o]) => o.ratioP99) },
    ],
    { value: r.p2.goal.p50RatioMax, label: `goal p50 ≤ ${r.p2.goal.p50RatioMax}` },
  );
  const yardstick = r.p3.oneRefreshMs + r.p3.noRefreshWaits.p99;
  const p3 = bars(
    20,
    370,
    `P3 — ${r.p3.callers} callers, one expired token: ${r.p3.refreshCalls} refresh call(s)`,
    ["p50", "p95", "p99"],
    [
      {
        label: "wait ÷ (refresh + fan-out)",
        color: COLORS.actual,
        values: [r.p3.waits.p50, r.p3.waits.p95, r.p3.waits.p99].map((v) => v / yardstick),
      },
      {
        label: "same callers, no refresh",
        color: COLORS.minimum,
        values: [r.p3.noRefreshWaits.p50, r.p3.noRefreshWaits.p95, r.p3.noRefreshWaits.p99].map(
          (v) => v / yardstick,
        ),
      },
    ],
    { value: r.p3.goal.ratioP99Max, label: `goal p99 ≤ ${r.p3.goal.ratioP99Max}` },
  );
  const levels = r.p4.levels;
  const p4 = bars(
    500,
    370,
    "P4 — per second by concurrency",
    levels.map((l) => `c=${l.concurrency}`),
    [
      { label: "preparations", color: COLORS.actual, values: levels.map((l) => l.perSecond) },
      { label: "empty objects", color: COLORS.minimum, values: levels.map((l) => l.emptyObjectsPerSecond) },
      {
        label: "getTokenForRepo",
        color: COLORS.third,
        values: levels.map((l) => l.getTokenForRepoPerSecond),
      },
    ],
  );
  // Every goal against its measurement, as the same ratio (P3's refresh count is a count: 1 = 1).
  const goals = bars(
    20,
    720,
    "Goals — measured against goal",
    r.goals.map(
      (g, i) =>
        `${g.id}${r.goals.filter((o) => o.id === g.id).length > 1 ? String.fromCharCode(97 + r.goals.slice(0, i).filter((o) => o.id === g.id).length) : ""}`,
    ),
    [
      { label: "measured", color: COLORS.actual, values: r.goals.map((g) => g.measured) },
      { label: "goal", color: COLORS.goal, values: r.goals.map((g) => g.goal) },
    ],
  );
  const [one, ten] = r.p5.sizes;
  const billKeys = [
    "durableObjectRequests",
    "kvReads",
    "kvWrites",
    "postgresQueries",
    "postgresConnections",
    "githubCalls",
  ] as const;
  const p5 = bars(
    500,
    720,
    "P5 — per 1,000 hand-outs, × 1 and × 10",
    ["DO req", "KV reads", "KV writes", "PG queries", "PG conns", "GitHub"],
    [
      { label: "× 1", color: COLORS.actual, values: billKeys.map((k) => one?.per1000Handouts[k] ?? 0) },
      { label: "× 10", color: COLORS.third, values: billKeys.map((k) => ten?.per1000Handouts[k] ?? 0) },
    ],
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" role="img" aria-labelledby="title">`,
    `<title id="title">gitcred benchmarks P1–P6 against their goals (${esc(r.generatedAt)})</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    p1,
    p2,
    p3,
    p4,
    goals,
    p5,
    text(W / 2, H - 8, `gitcred pnpm bench — ${r.generatedAt} — ${r.machine.cores} cores, ${r.machine.cpu}`, {
      size: 10,
      anchor: "middle",
    }),
    "</svg>",
    "",
  ].join("\n");
}
