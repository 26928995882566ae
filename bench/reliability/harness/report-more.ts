/** Sections of docs/RELIABILITY.md for fuzzing, the OAuth attack set, races and the canary scan. */
import type { AttackFigures, CanaryFigures, FuzzFigures, RaceFigures } from "./figure-types.ts";

const mark = (ok: boolean) => (ok ? "✅" : "❌");
const goal = (value: number, target = 0) => `${value} ${mark(value === target)}`;
const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const top = (counts: Record<string, number>, n = 6) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${esc(k)} ${v}`)
    .join(", ");

/** The fuzz section: totals and one row per method or route. */
export function fuzzSection(f: FuzzFigures | undefined): string[] {
  if (f === undefined) return ["## Fuzz", "", "_Not run in this run._"];
  const failures = f.targets.reduce((n, t) => n + t.failures, 0);
  const rpc = f.targets.filter((t) => t.kind === "rpc");
  const rpcRuns = rpc.reduce((n, t) => n + t.runs, 0);
  const pastValidation = rpc.reduce((n, t) => n + t.runs - (t.outcomes.invalid_request ?? 0), 0);
  const rows = f.targets.map(
    (t) =>
      `| ${t.kind === "rpc" ? "RPC" : "HTTP"} | \`${esc(t.target)}\` | ${t.runs} | ${goal(t.failures)} | ${t.unsendable} | ${top(t.outcomes)} |`,
  );
  const samples = f.targets.flatMap((t) =>
    t.samples.map((s) => `- ${t.target}: \`${esc(s).slice(0, 200)}\``),
  );
  return [
    "## Fuzz",
    "",
    `At least ${f.runsPerTarget.toLocaleString("en")} generated inputs per RPC method (every method of GitTokenService, SessionService and ConnectService that takes input) and per public HTTP route (the connect worker's pages, OAuth and webhook routes and unknown paths; the session worker's sandbox API). They are generated *inside workerd* by the measuring worker with fast-check (\`bench/worker/src/fuzz\`) — so RPC inputs are real structured-clone values (undefined, NaN, -0, Date, Map, Set, BigInt, boxed values, \`__proto__\` keys, hostile and token-shaped strings) — and sent over the same service bindings a platform worker or the Internet reaches, ${f.concurrency} in flight, in chunks of 1,000 with their own seeds. Valid pieces are mixed in (the run's real person, repository, sessions, device handle, page cookie and CSRF token, correctly signed webhooks), so part of the inputs reach Postgres and GitHub — for RPC, ${Math.round((1000 * pastValidation) / Math.max(1, rpcRuns)) / 10}% got past validation (${pastValidation.toLocaleString("en")} of ${rpcRuns.toLocaleString("en")}) — while the rest probe validation. A failure is a 5xx, a throw across RPC, \`internal_error\`, a malformed or undocumented answer, or a token-shaped input echoed back. *Unsendable*: generated values the caller's side could not send at all (never reach gitcred; not counted in the runs).`,
    "",
    `| figure | result (goal) |`,
    `|---|---|`,
    `| targets fuzzed | ${f.targets.length} (${f.targets.filter((t) => t.kind === "rpc").length} RPC methods, ${f.targets.filter((t) => t.kind === "http").length} HTTP routes) |`,
    `| inputs that reached gitcred | ${f.targets.reduce((n, t) => n + t.runs, 0).toLocaleString("en")} |`,
    `| 5xx answers and crashes | ${goal(failures)} |`,
    "",
    "| | target | inputs | failures | unsendable | most frequent answers |",
    "|---|---|---|---|---|---|",
    ...rows,
    ...(samples.length > 0 ? ["", "Failing inputs (first few):", ...samples] : []),
  ];
}

/** The attack set: refused/total, per category, and every attack. */
export function attackSection(f: AttackFigures | undefined): string[] {
  if (f === undefined) return ["## OAuth attack set", "", "_Not run in this run._"];
  const refused = f.attacks.filter((a) => a.refused).length;
  const categories = [...new Set(f.attacks.map((a) => a.category))];
  return [
    "## OAuth attack set",
    "",
    "The attacks of #5, run against the suite over HTTP like a browser or an attacker would (`bench/reliability/attacks`): each counts as refused only when the answer is the refusal *and* nothing changed (no connection stored or altered, no state created, the logs clean). The `authorization` row is #12's: the App's token asked for by a caller not entitled to it (no claim, another tenant's repository, no tenant, after a disconnect or a revoked grant, above the permission ceiling), refused only when GitHub minted nothing.",
    "",
    `| figure | result (goal) |`,
    `|---|---|`,
    `| refused / total | ${refused} / ${f.attacks.length} = ${Math.round((1000 * refused) / Math.max(1, f.attacks.length)) / 10}% ${mark(refused === f.attacks.length)} (100%) |`,
    "",
    "| category | attacks | refused |",
    "|---|---|---|",
    ...categories.map((c) => {
      const of = f.attacks.filter((a) => a.category === c);
      return `| ${c} | ${of.length} | ${of.filter((a) => a.refused).length} ${mark(of.every((a) => a.refused))} |`;
    }),
    "",
    "<details><summary>Every attack</summary>",
    "",
    "| attack | refused | what happened |",
    "|---|---|---|",
    ...f.attacks.map((a) => `| ${esc(a.name)} | ${mark(a.refused)} | ${esc(a.detail)} |`),
    "",
    "</details>",
  ];
}

/** The race invariants and, when one is violated, why and what would fix it. */
export function raceSection(f: RaceFigures | undefined): string[] {
  if (f === undefined) return ["## Races", "", "_Not run in this run._"];
  const v = f.violations;
  const all = [...v.oneRowPerPerson, ...v.noValidTokenCleared, ...v.versionPlusOne, ...v.wholeRow];
  const calls = f.rounds.reduce((n, r) => n + r.calls, 0);
  const lines = [
    "## Races",
    "",
    `${f.rounds.length} rounds on three people (seeded, so every run replays them): each round prepares 2–4 operations — connect (a web-flow code), device flow (two pollers on one approved code), refresh (two callers on an aged token), disconnect — and runs their ${calls} calls in total concurrently. A trigger installed in the run's database records every write to \`github_user_tokens\` (\`bench/reliability/races/history.ts\`), so "version + 1 per write" is checked on each write, not only on the final row.`,
    "",
    "| invariant, checked after every round | violations (goal) |",
    "|---|---|",
    `| one row per person and per GitHub account | ${goal(v.oneRowPerPerson.length)} |`,
    `| no valid token cleared (an active row's token works at GitHub; a marked row's refresh token is dead; a row only disappears in a round with a disconnect) | ${goal(v.noValidTokenCleared.length)} |`,
    `| version + 1 per write (every write) | ${goal(v.versionPlusOne.length)} |`,
    `| the row whole (tokens decrypt under their AAD) | ${goal(v.wholeRow.length)} |`,
    "",
    `Answers seen: ${top(Object.fromEntries([...new Set(f.rounds.flatMap((r) => r.outcomes))].map((o) => [o, f.rounds.flatMap((r) => r.outcomes).filter((x) => x === o).length])), 10)}.`,
  ];
  if (all.length > 0) lines.push("", "Violations:", ...all.slice(0, 10).map((x) => `- ${esc(x)}`));
  if (v.noValidTokenCleared.some((x) => x.includes("refused (revoked)"))) {
    lines.push(
      "",
      "**Missed: a disconnect racing a (re)connect of the same person can leave an active connection whose token is dead.** `removeConnection` (workers/git-token/src/connection/remove-connection.ts) reads the row, deletes it, then revokes the person's *grant* at GitHub (`DELETE /applications/{client_id}/grant`), which kills every token of that GitHub account for the App — including the one a concurrent connect (web flow or device flow) obtained and stored after the delete. The person then looks connected (`active`) but every use fails until GitHub's 401 makes gitcred fall back to the App. Neither order of the two actions gives that result. **What would fix it:** after the grant is revoked, remove (or mark `reconnect_required`, with an audit event) every row of that GitHub account whose connection was stored before the revocation completed — GitHub has just invalidated all of them — or serialise connect and disconnect of one person through that person's `UserTokenRefresher` object, which already owns their refreshes.",
    );
  }
  return lines;
}

/** The canary scan: what was searched where. */
export function canarySection(f: CanaryFigures | undefined): string[] {
  if (f === undefined) return ["## Canary scan", "", "_Not run in this run._"];
  return [
    "## Canary scan",
    "",
    `Run last, after every other test of the run: ${f.secrets.toLocaleString("en")} secrets — every token the simulator issued during the run (${top(f.issuedByKind, 10)}), the App's client secret, webhook secret and a slice of its private key — searched in the places below${f.ssoUrls === undefined ? "" : `; and ${f.ssoUrls.toLocaleString("en")} SAML SSO authorize URLs and request ids (every one the simulator handed out, and the fault matrix's) in all of them but the person's own settings pages, where the URL belongs`}:`,
    "",
    "| place | items | bytes | found (goal 0) |",
    "|---|---|---|---|",
    ...f.places.map(
      (p) =>
        `| ${p.place} | ${p.items.toLocaleString("en")} | ${p.bytes.toLocaleString("en")} | ${goal(f.found.filter((x) => x.endsWith(p.place)).length)} |`,
    ),
    ...(f.found.length > 0 ? ["", "Found:", ...f.found.slice(0, 20).map((x) => `- ${esc(x)}`)] : []),
  ];
}
