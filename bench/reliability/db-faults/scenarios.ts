/**
 * Database faults in the middle of a request: the connection carrying one statement is cut (through the
 * WebSocket proxy, as a network cut between the worker and Neon would), either before the statement
 * reaches Postgres or after it ran but before its answer came back. Each scenario says which statement,
 * which operation, and what the caller and the data must look like afterwards.
 */
import { authorizeAtSimulator } from "../../lib/world.ts";
import { type Cell, control, expireAccessToken, freshWorld, harness, rpc } from "../harness/client.ts";
import { checkRow, lostTokens } from "./row-checks.ts";

/** A connected person whose access token is past its refresh margin: the next call refreshes. */
async function worldWithExpiredToken(tag: string) {
  const cell = await freshWorld(tag);
  await expireAccessToken(cell.person.userId);
  return cell;
}

const FILE = "database-faults";

interface Answer {
  ok?: boolean;
  reason?: string;
  retryAfterSeconds?: number;
  source?: string;
  wasConnected?: boolean;
  grantRevoked?: boolean;
}

export interface DropOutcome {
  scenario: string;
  statement: string;
  when: "before" | "after";
  fired: boolean;
  result: string;
  clear: boolean;
  rowWhole: boolean;
  recovered: boolean;
  /** GitHub still accepts a token of the person's grant, and gitcred cannot give the person one. */
  tokensLost: number;
  /** Live tokens GitHub issued that gitcred stores nowhere and did not revoke (the person recovered). */
  orphanedTokens: number;
  note: string;
}

export interface DropScenario {
  name: string;
  /** Text the statement's protocol message contains. */
  contains: string;
  when: "before" | "after";
  prepare(tag: string): Promise<Cell & { extra?: unknown }>;
  run(cell: Cell): Promise<Answer>;
  recover(cell: Cell): Promise<Answer>;
}

const label = (a: Answer) =>
  a.ok === true
    ? "ok"
    : `${a.reason}${a.retryAfterSeconds === undefined ? "" : ` (retry ${a.retryAfterSeconds}s)`}`;

const tokenFor = (cell: Cell) =>
  rpc<Answer>(FILE, "GIT_TOKEN", "getUserTokenForRepo", {
    userId: cell.person.userId,
    owner: cell.owner,
    repo: cell.repo,
    access: "write",
  });

async function connectAgain(cell: Cell): Promise<Answer> {
  const info = harness();
  const redirectUri = `${info.publicUrl}/github/callback`;
  const grant = await authorizeAtSimulator(info.simUrl, info.clientId, cell.person.login, redirectUri);
  return rpc(FILE, "GIT_TOKEN", "connectWithOAuthCode", {
    userId: cell.person.userId,
    ...grant,
    redirectUri,
  });
}

export const SCENARIOS: DropScenario[] = [
  {
    name: "read the person's row (getTokenForRepo)",
    contains: 'from "github_user_tokens"',
    when: "before",
    prepare: (tag) => freshWorld(tag),
    run: (cell) =>
      rpc(FILE, "GIT_TOKEN", "getTokenForRepo", {
        userId: cell.person.userId,
        tenantId: cell.tenantId,
        owner: cell.owner,
        repo: cell.repo,
        access: "write",
      }),
    recover: tokenFor,
  },
  {
    name: "store a refreshed token: write cut before Postgres",
    contains: 'update "github_user_tokens"',
    when: "before",
    prepare: worldWithExpiredToken,
    run: tokenFor,
    recover: tokenFor,
  },
  {
    name: "store a refreshed token: written, answer cut",
    contains: 'update "github_user_tokens"',
    when: "after",
    prepare: worldWithExpiredToken,
    run: tokenFor,
    recover: tokenFor,
  },
  {
    name: "store a new connection (connectWithOAuthCode)",
    contains: 'insert into "github_user_tokens"',
    when: "before",
    prepare: (tag) => freshWorld(tag, { connect: false }),
    run: connectAgain,
    recover: connectAgain,
  },
  {
    name: "disconnect: delete cut before Postgres",
    contains: 'delete from "github_user_tokens"',
    when: "before",
    prepare: (tag) => freshWorld(tag),
    run: (cell) => rpc(FILE, "GIT_TOKEN", "disconnectUser", { userId: cell.person.userId }),
    recover: (cell) => rpc(FILE, "GIT_TOKEN", "disconnectUser", { userId: cell.person.userId }),
  },
  {
    name: "settings link (ConnectService.createSettingsLink)",
    contains: 'insert into "settings_links"',
    when: "before",
    prepare: (tag) => freshWorld(tag, { connect: false }),
    run: (cell) => rpc(FILE, "CONNECT", "createSettingsLink", { userId: cell.person.userId }),
    recover: (cell) => rpc(FILE, "CONNECT", "createSettingsLink", { userId: cell.person.userId }),
  },
  {
    name: "session preparation (prepareSession → git-token's row read)",
    contains: 'from "github_user_tokens"',
    when: "before",
    prepare: (tag) => freshWorld(tag),
    run: (cell) =>
      rpc(FILE, "SESSION", "prepareSession", {
        sessionId: `dbf-${cell.person.userId}`,
        userId: cell.person.userId,
        tenantId: cell.tenantId,
        owner: cell.owner,
        repo: cell.repo,
        mode: "now",
      }),
    recover: (cell) =>
      rpc(FILE, "SESSION", "prepareSession", {
        sessionId: `dbf-${cell.person.userId}`,
        userId: cell.person.userId,
        tenantId: cell.tenantId,
        owner: cell.owner,
        repo: cell.repo,
        mode: "now",
      }),
  },
];

/** Runs one scenario: arm the cut, call, check the answer and the row, recover, count lost tokens. */
export async function runDropScenario(scenario: DropScenario, tag: string): Promise<DropOutcome> {
  const cell = await scenario.prepare(tag);
  const before = await control<{ fired: unknown[] }>("/db/stats");
  await control("/db/arm-drop", { contains: scenario.contains, when: scenario.when });
  const result = await scenario.run(cell);
  const fired = (await control<{ fired: unknown[] }>("/db/stats")).fired.length > before.fired.length;
  const clear =
    result.ok === false && /_unavailable$/.test(result.reason ?? "") && (result.retryAfterSeconds ?? 0) > 0;
  const row = await checkRow(cell.person.userId);
  const again = await scenario.recover(cell);
  const recovered =
    again.ok === true && (scenario.name.startsWith("disconnect") ? again.wasConnected === true : true);
  const liveNotHeld = scenario.name.startsWith("disconnect")
    ? 0
    : await lostTokens(cell.person.githubUserId, cell.person.userId);
  const after = await checkRow(cell.person.userId);
  return {
    scenario: scenario.name,
    statement: scenario.contains,
    when: scenario.when,
    fired,
    result: label(result),
    clear,
    rowWhole: row.whole && after.whole,
    recovered,
    tokensLost: recovered ? 0 : liveNotHeld,
    orphanedTokens: recovered ? liveNotHeld : 0,
    note: `after the fault: ${label(again)}; row ${after.exists ? `${after.status} v${after.version}` : "absent"}`,
  };
}
