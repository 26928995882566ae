/**
 * Attacks on the OAuth web flow's state and code (#5): replayed callbacks, a state finished in another
 * browser or without one, an expired or tampered state, a code from another flow or another person
 * (PKCE binds a code to its flow), and an account that belongs to another user.
 */
import { Browser, signIn } from "../harness/browser.ts";
import { type Cell, freshWorld, sql, tokenRow } from "../harness/client.ts";
import { approveAtGitHub, finishCallback, freshCsrf, startConnect } from "./flow.ts";
import type { AttackResult } from "./types.ts";

const FILE = "oauth-attacks";
const CATEGORY = "OAuth state and code";

async function person(tag: string): Promise<Cell> {
  return freshWorld(tag, { connect: false });
}

/** A started flow: the browser, and the callback URL GitHub sent the person back to. */
async function approvedFlow(cell: Cell): Promise<{ browser: Browser; callback: string }> {
  const { browser, csrf } = await signIn(FILE, cell.person.userId);
  const started = await startConnect(browser, csrf);
  if (started.location === null) throw new Error(`connect answered ${started.status}`);
  return { browser, callback: await approveAtGitHub(started.location, cell.person.login) };
}

const connected = async (cell: Cell) => (await tokenRow(cell.person.userId)) !== undefined;

function result(name: string, refused: boolean, detail: string): AttackResult {
  return { category: CATEGORY, name, refused, detail };
}

/** Every state and code attack, each on its own people. */
export async function stateAttacks(): Promise<AttackResult[]> {
  const out: AttackResult[] = [];

  {
    const cell = await person("att-replay");
    const flow = await approvedFlow(cell);
    const first = await finishCallback(flow.browser, flow.callback);
    const version = (await tokenRow(cell.person.userId))?.version;
    const replay = await finishCallback(flow.browser, flow.callback);
    const after = (await tokenRow(cell.person.userId))?.version;
    out.push(
      result(
        "replayed callback (same browser, after success)",
        first.notice === "connected" && replay.notice === "invalid_state" && after === version,
        `first ${first.notice}, replay ${replay.notice}, version ${version}→${after}`,
      ),
    );
  }
  {
    const victim = await person("att-otherbrowser");
    const thief = await person("att-thief");
    const flow = await approvedFlow(victim);
    const other = (await signIn(FILE, thief.person.userId)).browser;
    const stolen = await finishCallback(other, flow.callback);
    const refused =
      stolen.notice === "invalid_state" && !(await connected(victim)) && !(await connected(thief));
    out.push(result("state finished in another browser", refused, `answer ${stolen.notice}`));
  }
  {
    const cell = await person("att-nocookie");
    const flow = await approvedFlow(cell);
    const bare = await finishCallback(new Browser(FILE), flow.callback);
    out.push(
      result(
        "callback without the browser's session",
        bare.notice === "invalid_state" && !(await connected(cell)),
        `answer ${bare.notice}`,
      ),
    );
  }
  {
    const cell = await person("att-expired");
    const flow = await approvedFlow(cell);
    await sql().query("update oauth_states set expires_at = now() - interval '1 minute' where user_id = $1", [
      cell.person.userId,
    ]);
    const late = await finishCallback(flow.browser, flow.callback);
    out.push(
      result(
        "expired state (older than 10 minutes)",
        late.notice === "expired_state" && !(await connected(cell)),
        `answer ${late.notice}`,
      ),
    );
  }
  {
    const cell = await person("att-tamper");
    const flow = await approvedFlow(cell);
    const url = new URL(flow.callback);
    const state = url.searchParams.get("state") ?? "";
    url.searchParams.set("state", `${state.slice(0, -1)}${state.endsWith("A") ? "B" : "A"}`);
    const tampered = await finishCallback(flow.browser, url.toString());
    out.push(
      result(
        "tampered state",
        tampered.notice === "invalid_state" && !(await connected(cell)),
        `answer ${tampered.notice}`,
      ),
    );
    const missing = new URL(flow.callback);
    missing.searchParams.delete("state");
    const none = await finishCallback(flow.browser, missing.toString());
    out.push(
      result(
        "callback without a state",
        none.notice === "invalid_state" && !(await connected(cell)),
        `answer ${none.notice}`,
      ),
    );
  }
  {
    // Two flows in one browser: the code of the first with the state of the second (PKCE must refuse).
    const cell = await person("att-mix");
    const { browser, csrf } = await signIn(FILE, cell.person.userId);
    const first = await startConnect(browser, csrf);
    const second = await startConnect(browser, await freshCsrf(browser));
    const callbackA = await approveAtGitHub(first.location ?? "", cell.person.login);
    const callbackB = await approveAtGitHub(second.location ?? "", cell.person.login);
    const mixed = new URL(callbackB);
    mixed.searchParams.set("code", new URL(callbackA).searchParams.get("code") ?? "");
    const answer = await finishCallback(browser, mixed.toString());
    out.push(
      result(
        "code of one flow with the state of another (PKCE)",
        answer.notice !== "connected" && !(await connected(cell)),
        `answer ${answer.notice}`,
      ),
    );
  }
  {
    // An attacker's code injected into the victim's own flow: the victim must not end up connected
    // to the attacker's GitHub account.
    const victim = await person("att-victim");
    const attacker = await person("att-attacker");
    const attackerFlow = await approvedFlow(attacker);
    const { browser, csrf } = await signIn(FILE, victim.person.userId);
    const started = await startConnect(browser, csrf);
    const victimCallback = new URL(await approveAtGitHub(started.location ?? "", victim.person.login));
    victimCallback.searchParams.set("code", new URL(attackerFlow.callback).searchParams.get("code") ?? "");
    const answer = await finishCallback(browser, victimCallback.toString());
    const row = await sql().query<{ github_login: string }>(
      "select github_login from github_user_tokens where user_id = $1",
      [victim.person.userId],
    );
    out.push(
      result(
        "another person's code injected into the victim's flow",
        answer.notice !== "connected" && row.rows.length === 0,
        `answer ${answer.notice}`,
      ),
    );
  }
  {
    // One GitHub account, two platform users: the second must get account_in_use.
    const owner = await freshWorld("att-inuse");
    const other = await person("att-inuse2");
    const { browser, csrf } = await signIn(FILE, other.person.userId);
    const started = await startConnect(browser, csrf);
    const callback = await approveAtGitHub(started.location ?? "", owner.person.login);
    const answer = await finishCallback(browser, callback);
    const ownerRow = await tokenRow(owner.person.userId);
    out.push(
      result(
        "GitHub account already connected to another user",
        answer.notice === "account_in_use" && !(await connected(other)) && ownerRow?.status === "active",
        `answer ${answer.notice}`,
      ),
    );
  }
  return out;
}
