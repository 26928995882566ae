/**
 * Erasure and budgets (#13 §6, §3), against the whole suite: what an erased person leaves behind (an
 * unopened settings link, an open page, a pending device authorization), a page session starting device
 * flows twenty at a time, webhook bodies over the cap or without a signature, and a connection whose
 * `GET /user` failed transiently (the pair GitHub issued must be revoked). Each is refused only if the
 * outcome is measured: statuses, rows left, bytes the worker pulled, the simulator's token records.
 */
import { randomUUID } from "node:crypto";
import { Browser, signIn } from "../harness/browser.ts";
import { freshWorld, harness, rpc, sim, sql } from "../harness/client.ts";
import { approveAtGitHub, finishCallback, startConnect } from "./flow.ts";
import type { AttackResult } from "./types.ts";

const FILE = "oauth-attacks";
const ERASURE = "erasure";
const BUDGETS = "budgets";
/** The connect worker's webhook cap (workers/connect/src/routes/webhooks.ts). */
const WEBHOOK_CAP = 5 * 1024 * 1024;
const CHUNK = 64 * 1024;

async function rows(table: string, userId: string): Promise<number> {
  const { rowCount } = await sql().query(`select 1 from ${table} where user_id = $1`, [userId]);
  return rowCount ?? 0;
}

function deviceHandle(location: string | null): string | undefined {
  return /[?&]device=([A-Za-z0-9_-]+)/.exec(location ?? "")?.[1];
}

/** An erased person's open page, unopened link and pending device authorization. */
async function erasureAttacks(): Promise<AttackResult[]> {
  const cell = await freshWorld("att-erase", { connect: false });
  const { userId } = cell.person;
  const open = await signIn(FILE, userId);
  const device = await open.browser.request(`${harness().publicUrl}/github/device`, {
    form: { csrf: open.csrf },
    headers: { origin: harness().publicUrl },
  });
  const handle = deviceHandle(device.location) ?? "";
  const unopened = await rpc<{ ok: boolean; url: string }>(FILE, "CONNECT", "createSettingsLink", { userId });
  const erased = await rpc<{ ok: boolean }>(FILE, "GIT_TOKEN", "deleteUserData", { userId });
  const page = await open.browser.request(`${harness().publicUrl}/settings`);
  const link = await new Browser(FILE).request(unopened.url);
  const status = await rpc<{ ok: boolean; reason?: string }>(FILE, "CONNECT", "getDeviceConnect", { handle });
  const linksLeft = await rows("settings_links", userId);
  const devicesLeft = await rows("device_authorizations", userId);
  return [
    {
      category: ERASURE,
      name: "an open settings page after the person's erasure",
      refused: erased.ok && page.status === 401,
      detail: `deleteUserData ok: ${erased.ok}; page ${page.status}`,
    },
    {
      category: ERASURE,
      name: "an unopened settings link after the person's erasure",
      refused: link.status === 401 && linksLeft === 0,
      detail: `link ${link.status}; settings_links rows left: ${linksLeft}`,
    },
    {
      category: ERASURE,
      name: "a pending device authorization after the person's erasure",
      refused: handle !== "" && status.ok === false && status.reason === "not_found" && devicesLeft === 0,
      detail: `handle: ${handle !== ""}; status ${status.reason ?? "ok"}; device rows left: ${devicesLeft}`,
    },
  ];
}

/** Twenty device starts at once from one page session. */
async function deviceStartStorm(): Promise<AttackResult> {
  const cell = await freshWorld("att-storm", { connect: false });
  const { browser, csrf } = await signIn(FILE, cell.person.userId);
  const answers = await Promise.all(
    Array.from({ length: 20 }, () =>
      browser.request(`${harness().publicUrl}/github/device`, {
        form: { csrf },
        headers: { origin: harness().publicUrl },
      }),
    ),
  );
  const started = answers.filter((a) => a.status === 303 && deviceHandle(a.location) !== undefined).length;
  const limited = answers.filter((a) => a.status === 429).length;
  const pending = await rows("device_authorizations", cell.person.userId);
  return {
    category: BUDGETS,
    name: "20 concurrent device starts from one page session",
    refused: started <= 3 && started + limited === 20 && pending === 1,
    detail: `${started} started, ${limited} answered 429; authorizations that may poll: ${pending}`,
  };
}

/** A body produced only as it is read: what the worker pulled is what it buffered at most. */
function countingBody(total: number): { body: ReadableStream<Uint8Array>; pulled(): number } {
  let produced = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (produced >= total) return controller.close();
        produced += CHUNK;
        controller.enqueue(new Uint8Array(CHUNK).fill(0x7b));
      },
    },
    { highWaterMark: 0 },
  );
  return { body, pulled: () => produced };
}

async function postStream(headers: Record<string, string>, total: number) {
  const stream = countingBody(total);
  let status = 0;
  try {
    const res = await fetch(`${harness().publicUrl}/github/webhooks`, {
      method: "POST",
      headers: { "x-github-event": "installation", "x-github-delivery": randomUUID(), ...headers },
      body: stream.body,
      duplex: "half",
    } as RequestInit);
    status = res.status;
    await res.arrayBuffer();
  } catch {
    // The worker may answer and close the connection while the upload still runs (EPIPE, "terminated"):
    // the status, if it came, is kept; a connection closed before any answer counts as 0 (refused too).
  }
  return { status, pulled: stream.pulled() };
}

/** Webhook bodies over the cap (streamed, no Content-Length) and unsigned ones. */
async function webhookBodyAttacks(): Promise<AttackResult[]> {
  const total = 8 * WEBHOOK_CAP;
  const big = await postStream({ "x-hub-signature-256": `sha256=${"0".repeat(64)}` }, total);
  const unsigned = await postStream({}, total);
  // Between this process and the worker, sockets and the local runtime's proxy buffer some megabytes of a
  // stream on their own; "not buffered" is measured as the upload cut well before its end (the unfixed
  // route read all 40 MB before answering).
  const slack = total / 2;
  return [
    {
      category: BUDGETS,
      name: "a webhook body over the 5 MB cap without Content-Length",
      refused: (big.status === 413 || big.status === 0) && big.pulled <= slack,
      detail: `${big.status}; ${Math.round(big.pulled / 1024)} KiB of ${total / 1024} pulled`,
    },
    {
      category: BUDGETS,
      name: "an unsigned webhook with a 40 MB body",
      refused: (unsigned.status === 401 || unsigned.status === 0) && unsigned.pulled <= slack,
      detail: `${unsigned.status}; ${Math.round(unsigned.pulled / 1024)} KiB pulled`,
    },
  ];
}

/** `GET /user` fails once while the person connects: the pair GitHub issued must not stay live. */
async function lookupFailureAttack(): Promise<AttackResult> {
  const cell = await freshWorld("att-lookup", { connect: false });
  const { browser, csrf } = await signIn(FILE, cell.person.userId);
  const started = await startConnect(browser, csrf);
  const callback = await approveAtGitHub(started.location ?? "", cell.person.login);
  await sim().injectFault({ path: "/user", method: "GET", status: 503, times: 1 });
  const finished = await finishCallback(browser, callback);
  let statuses: string[] = [];
  // The revocation runs in the background of the RPC: a bounded wait for the simulator's record.
  for (let i = 0; i < 100; i++) {
    statuses = (await sim().issuedTokens())
      .filter((t) => t.kind === "user" && t.userId === cell.person.githubUserId)
      .map((t) => t.status);
    if (statuses.length > 0 && !statuses.includes("active")) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await sim().clearFaults();
  return {
    category: ERASURE,
    name: "a pair issued while GET /user failed transiently",
    refused: finished.notice === "github_unavailable" && statuses.length === 1 && statuses[0] !== "active",
    detail: `notice ${finished.notice}; issued pair: ${statuses.join(", ") || "none"}`,
  };
}

/** The erasure and budget attacks of #13, each refused only when measured so. */
export async function erasureBudgetAttacks(): Promise<AttackResult[]> {
  return [
    ...(await erasureAttacks()),
    await deviceStartStorm(),
    ...(await webhookBodyAttacks()),
    await lookupFailureAttack(),
  ];
}
