/**
 * Fuzz: at least 10,000 generated inputs per RPC method (all three workers' entrypoints) and per public
 * HTTP route (the connect worker's pages, OAuth and webhook routes, unknown paths; the session worker's
 * sandbox API). Generated and sent inside workerd by the measuring worker (bench/worker/src/fuzz), in
 * chunks of 1,000 with their own seeds. Goal: no 5xx, no crash (throw across RPC, internal_error,
 * malformed or undocumented answer), no echo of a token-shaped input.
 *
 * `GITCRED_FUZZ_RUNS` sets the inputs per target: 10,000 by default (`pnpm test:reliability`); CI runs
 * 1,000 to stay within its time budget. At any count each target must show both sides of its validation
 * — inputs refused as invalid and inputs that got past it — so a smaller run still reaches the code
 * behind every validator instead of only probing the refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES as HTTP_ROUTES } from "../worker/src/fuzz/http-requests.ts";
import { SESSION_COOKIE, signIn } from "./harness/browser.ts";
import { closeClients, control, freshWorld, harness, rpc } from "./harness/client.ts";
import type { FuzzFigure } from "./harness/figure-types.ts";
import { writeFigures } from "./harness/figures.ts";

const FILE = "fuzz";
const RUNS = Number(process.env.GITCRED_FUZZ_RUNS ?? "10000");
const RUNS_LABEL = RUNS.toLocaleString("en");
/**
 * HTTP routes without two sides: no input to validate (every request takes the same path), or, for
 * /dev/login, a 404 for every request in a deployed configuration (DEV_LOGIN off), which is the point.
 */
const WITHOUT_VALIDATION = new Set(["GET /healthz", "GET /", "* unknown paths", "GET /dev/login"]);
const CHUNK = 1000;
const METHODS = [
  "GIT_TOKEN.getInstallationToken",
  "GIT_TOKEN.getUserTokenForRepo",
  "GIT_TOKEN.getTokenForRepo",
  "GIT_TOKEN.getConnection",
  "GIT_TOKEN.storeConnection",
  "GIT_TOKEN.connectWithOAuthCode",
  "GIT_TOKEN.completeDeviceAuthorization",
  "GIT_TOKEN.handleGrantRevoked",
  "GIT_TOKEN.forgetInstallation",
  "SESSION.prepareSession",
  "SESSION.getSession",
  "SESSION.getGitCredentials",
  "SESSION.refreshGitHubToken",
  "SESSION.getEvents",
  "CONNECT.createSettingsLink",
  "CONNECT.startDeviceConnect",
  "CONNECT.getDeviceConnect",
  // Last: their valid inputs disconnect the world's person.
  "GIT_TOKEN.disconnectUser",
  "GIT_TOKEN.deleteUserData",
];
/** The HTTP fuzzer's routes, with POST /github/disconnect last: its valid requests disconnect the person. */
const ROUTES = [...HTTP_ROUTES.filter((r) => r !== "POST /github/disconnect"), "POST /github/disconnect"];

interface Answer {
  runs: number;
  outcomes: Record<string, number>;
  failures: number;
  samples: string[];
  unsendable: number;
}

const CONCURRENCY = Number(process.env.GITCRED_FUZZ_CONCURRENCY ?? "16");
const figures: FuzzFigure[] = [];
let rpcWorld: Record<string, unknown>;
let httpWorld: Record<string, unknown>;

async function fuzz(
  kind: "rpc" | "http",
  target: string,
  world: Record<string, unknown>,
): Promise<FuzzFigure> {
  const total: FuzzFigure = {
    kind,
    target,
    runs: 0,
    failures: 0,
    unsendable: 0,
    outcomes: {},
    samples: [],
    ms: 0,
  };
  const started = performance.now();
  for (let chunk = 0; total.runs < RUNS; chunk++) {
    const answer = await control<Answer>(`/bench/${kind === "rpc" ? "fuzz-rpc" : "fuzz-http"}`, {
      ...(kind === "rpc" ? { method: target } : { route: target }),
      runs: Math.min(CHUNK, RUNS - total.runs),
      seed: 7919 * (chunk + 1) + target.length,
      concurrency: CONCURRENCY,
      world,
    });
    total.runs += answer.runs - answer.unsendable;
    total.unsendable += answer.unsendable;
    total.failures += answer.failures;
    for (const [k, v] of Object.entries(answer.outcomes)) total.outcomes[k] = (total.outcomes[k] ?? 0) + v;
    total.samples.push(...answer.samples.slice(0, 5 - total.samples.length));
  }
  total.ms = Math.round(performance.now() - started);
  figures.push(total);
  writeFigures("fuzz", { runsPerTarget: RUNS, concurrency: CONCURRENCY, targets: figures });
  return total;
}

beforeAll(async () => {
  const cell = await freshWorld("fuzz");
  const userId = cell.person.userId;
  const sessionIds = ["fuzz-s1", "fuzz-s2", "fuzz-s3"];
  for (const sessionId of sessionIds) {
    const prepared = await rpc<{ ok: boolean }>(FILE, "SESSION", "prepareSession", {
      sessionId,
      userId,
      tenantId: cell.tenantId,
      owner: cell.owner,
      repo: cell.repo,
      mode: "now",
    });
    if (!prepared.ok) throw new Error("fuzz session not prepared");
  }
  const device = await rpc<{ ok: boolean; handle: string }>(FILE, "CONNECT", "startDeviceConnect", {
    userId,
  });
  if (!device.ok) throw new Error("fuzz device authorization not started");
  rpcWorld = {
    userId,
    tenantId: cell.tenantId,
    owner: cell.owner,
    repo: cell.repo,
    sessionIds,
    deviceHandles: [device.handle],
    githubUserId: cell.person.githubUserId,
    installationId: cell.installationId,
  };
});

/** The HTTP fuzz's own person, page session and sandbox session (the RPC fuzz re-issues secrets). */
async function makeHttpWorld(): Promise<void> {
  const cell = await freshWorld("fuzzhttp");
  const prepared = await rpc<{ ok: boolean; sessionSecret: string }>(FILE, "SESSION", "prepareSession", {
    sessionId: "fuzz-http-session",
    userId: cell.person.userId,
    tenantId: cell.tenantId,
    owner: cell.owner,
    repo: cell.repo,
    mode: "now",
  });
  if (!prepared.ok) throw new Error("fuzz session not prepared");
  const page = await signIn(FILE, cell.person.userId);
  httpWorld = {
    publicUrl: harness().publicUrl,
    cookie: `${SESSION_COOKIE}=${page.browser.cookie(SESSION_COOKIE)}`,
    csrf: page.csrf,
    sessionId: "fuzz-http-session",
    sessionSecret: prepared.sessionSecret,
    webhookSecret: harness().webhookSecret,
  };
}

afterAll(async () => {
  await closeClients();
});

describe("fuzzed RPC methods", () => {
  it.each(METHODS)(`%s: ≥${RUNS_LABEL} inputs, no crash, both sides of validation`, async (method) => {
    const result = await fuzz("rpc", method, rpcWorld);
    expect(result.runs).toBeGreaterThanOrEqual(RUNS);
    expect(result.samples).toEqual([]);
    expect(result.failures).toBe(0);
    const refused = result.outcomes.invalid_request ?? 0;
    expect(refused, "inputs refused as invalid_request").toBeGreaterThan(0);
    expect(result.runs - refused, "inputs that got past validation").toBeGreaterThan(0);
  });
});

describe("fuzzed public HTTP routes", () => {
  beforeAll(makeHttpWorld);
  it.each(ROUTES)(`%s: ≥${RUNS_LABEL} requests, no 5xx, both sides of validation`, async (route) => {
    const result = await fuzz("http", route, httpWorld);
    expect(result.runs).toBeGreaterThanOrEqual(RUNS);
    expect(result.samples).toEqual([]);
    expect(result.failures).toBe(0);
    if (!WITHOUT_VALIDATION.has(route)) {
      const count = (test: (status: number) => boolean) =>
        Object.entries(result.outcomes).reduce((n, [label, v]) => n + (test(Number(label)) ? v : 0), 0);
      expect(
        count((s) => s >= 400 && s < 500),
        "requests refused with a 4xx",
      ).toBeGreaterThan(0);
      expect(
        count((s) => s >= 200 && s < 400),
        "requests that got past validation",
      ).toBeGreaterThan(0);
    }
  });
});
