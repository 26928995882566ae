/**
 * The operations of the fault matrix: what each sets up, which GitHub call of it the fault hits, how it
 * is run (the RPC a platform or the connect worker makes), what the documentation says the caller gets
 * (docs/ARCHITECTURE.md, packages/client), and how it recovers once GitHub is healthy again — which is
 * where a lost valid token would show.
 */
import { createHash } from "node:crypto";
import { authorizeAtSimulator } from "../../lib/world.ts";
import { type Cell, expireAccessToken, freshWorld, harness, rpc, sim, tokenRow } from "../harness/client.ts";
import { type Fault, personOnlyFault, retryFits, SSO_FAULT_REQUEST, transientReason } from "./faults.ts";

const FILE = "fault-matrix";

export type OperationName =
  | "install token"
  | "user token"
  | "refresh"
  | "access check"
  | "OAuth exchange"
  | "device poll"
  | "disconnect";

interface Result {
  ok?: boolean;
  reason?: string;
  retryAfterSeconds?: number;
  source?: string;
  fallbackReason?: string;
  token?: string;
  identity?: string | { kind: string };
  downgraded?: boolean;
  wasConnected?: boolean;
  grantRevoked?: boolean;
  revokeFailure?: string;
  personAction?: { kind: string; organization: string };
}

export interface Judgement {
  documented: string;
  got: string;
  matches: boolean;
}

export interface Recovery {
  /** "n/a" where the documented outcome is final (the person must reconnect; the row was deleted). */
  recovered: boolean | "n/a";
  /** A token GitHub still accepts that gitcred no longer can use. */
  tokenLost: boolean;
}

export interface Context {
  cell: Cell;
  sessionId?: string;
  rejectedSha?: string;
  code?: { code: string; codeVerifier: string; redirectUri: string };
  deviceCode?: string;
}

export interface Operation {
  name: OperationName;
  applies(fault: Fault): boolean;
  prepare(tag: string): Promise<Context>;
  target(ctx: Context): { path: string; method: string; grantType?: string };
  run(ctx: Context): Promise<Result>;
  judge(fault: Fault, result: Result, ctx: Context): Promise<Judgement>;
  recover(fault: Fault, ctx: Context): Promise<Recovery>;
}

const describe = (r: Result): string =>
  r.ok === true
    ? `ok${r.source ? ` source=${r.source}` : ""}${r.fallbackReason ? ` fallback=${r.fallbackReason}` : ""}${r.downgraded ? " downgraded" : ""}${r.grantRevoked === false ? ` grantRevoked=false (${r.revokeFailure})` : ""}`
    : `${r.reason}${r.retryAfterSeconds === undefined ? "" : ` retry ${r.retryAfterSeconds}s`}`;

/** The documented answer to a transient or rate-limit fault: that reason, with a fitting retry time. */
function transientJudgement(fault: Fault, result: Result, extra = true, note = ""): Judgement {
  const reason = transientReason(fault);
  return {
    documented: `${reason} + retryAfterSeconds${note}`,
    got: describe(result),
    matches:
      result.ok === false && result.reason === reason && retryFits(fault, result.retryAfterSeconds) && extra,
  };
}

const user = (ctx: Context) => ctx.cell.person.userId;
const repoOf = (ctx: Context) => ({ owner: ctx.cell.owner, repo: ctx.cell.repo });
/** The repository for the App path, with the tenant that claimed its installation. */
const entitledRepoOf = (ctx: Context) => ({ tenantId: ctx.cell.tenantId, ...repoOf(ctx) });

async function validAtGitHub(token: string | undefined, ctx: Context): Promise<boolean> {
  if (token === undefined) return false;
  const check = await sim().checkToken(token, ctx.cell.owner, ctx.cell.repo);
  return check.valid && check.pull === true;
}

async function connectionActive(ctx: Context): Promise<boolean> {
  return (await tokenRow(user(ctx)))?.status === "active";
}

const installToken: Operation = {
  name: "install token",
  applies: (f) => !personOnlyFault(f) && f.class !== "bad_refresh_token",
  prepare: async (tag) => ({ cell: await freshWorld(tag, { connect: false }) }),
  target: (ctx) => ({ path: `/app/installations/${ctx.cell.installationId}/access_tokens`, method: "POST" }),
  run: (ctx) => rpc(FILE, "GIT_TOKEN", "getInstallationToken", entitledRepoOf(ctx)),
  judge: async (fault, result) =>
    fault.class === "unauthorized"
      ? {
          documented: "app_not_configured",
          got: describe(result),
          matches: result.reason === "app_not_configured",
        }
      : transientJudgement(fault, result),
  recover: async (_fault, ctx) => {
    const again = await rpc<Result>(FILE, "GIT_TOKEN", "getInstallationToken", entitledRepoOf(ctx));
    return { recovered: again.ok === true && (await validAtGitHub(again.token, ctx)), tokenLost: false };
  },
};

const userToken: Operation = {
  name: "user token",
  applies: (f) => f.class !== "bad_refresh_token",
  prepare: async (tag) => ({ cell: await freshWorld(tag) }),
  target: (ctx) => ({ path: `/repos/${ctx.cell.owner}/${ctx.cell.repo}`, method: "GET" }),
  run: (ctx) =>
    rpc(FILE, "GIT_TOKEN", "getTokenForRepo", { userId: user(ctx), ...entitledRepoOf(ctx), access: "write" }),
  judge: async (fault, result, ctx) => {
    if (fault.class === "sso") {
      const matches =
        result.ok === true &&
        result.source === "app" &&
        result.fallbackReason === "sso_required" &&
        result.personAction?.organization === ctx.cell.owner &&
        !JSON.stringify(result).includes(SSO_FAULT_REQUEST) &&
        (await connectionActive(ctx));
      return {
        documented: "App token, fallbackReason sso_required + personAction naming the org; no SSO URL",
        got: describe(result),
        matches,
      };
    }
    if (fault.class === "lockout") {
      const path = `/repos/${ctx.cell.owner}/${ctx.cell.repo}`;
      const before = (await sim().calls({ route: "GET /repos/{owner}/{repo}" })).filter(
        (c) => c.path === path,
      );
      const again = await rpc<Result>(FILE, "GIT_TOKEN", "getTokenForRepo", {
        userId: user(ctx),
        ...entitledRepoOf(ctx),
        access: "write",
      });
      const after = (await sim().calls({ route: "GET /repos/{owner}/{repo}" })).filter(
        (c) => c.path === path,
      );
      // The wait is honoured: a second call within it sends GitHub nothing for the person.
      const held = again.ok === false && again.reason === "rate_limited" && after.length === before.length;
      const judged = transientJudgement(
        fault,
        result,
        result.source === undefined && held && (await connectionActive(ctx)),
        ", no fallback, the next call held without a GitHub call, connection not marked",
      );
      return judged;
    }
    if (fault.class === "unauthorized") {
      // One 401 is not proof (#13 §4): GitHub's token check still calls the token valid, so a repository
      // that keeps answering 401 is GitHub contradicting itself: retry later, never a downgrade for good.
      const matches =
        result.ok === false &&
        result.reason === "github_unavailable" &&
        typeof result.retryAfterSeconds === "number" &&
        (await connectionActive(ctx));
      return {
        documented:
          "github_unavailable with a retry time (the token check says valid); no fallback; connection not marked",
        got: describe(result),
        matches,
      };
    }
    // Transient trouble is never papered over with the App's identity.
    return transientJudgement(fault, result, result.source === undefined, ", no fallback to the App");
  },
  recover: async (fault, ctx) => {
    // A lockout is waited out (5 minutes, no call meanwhile): nothing to recover within the run.
    if (fault.class === "lockout") return { recovered: "n/a", tokenLost: !(await connectionActive(ctx)) };
    const again = await rpc<Result>(FILE, "GIT_TOKEN", "getTokenForRepo", {
      userId: user(ctx),
      ...repoOf(ctx),
      access: "write",
    });
    const recovered = again.ok === true && again.source === "user" && (await validAtGitHub(again.token, ctx));
    return { recovered, tokenLost: !recovered && !(await connectionActive(ctx)) };
  },
};

const refresh: Operation = {
  name: "refresh",
  applies: (f) => !personOnlyFault(f) && f.class !== "unauthorized",
  prepare: async (tag) => {
    const cell = await freshWorld(tag);
    await expireAccessToken(cell.person.userId);
    return { cell };
  },
  target: () => ({ path: "/login/oauth/access_token", method: "POST", grantType: "refresh_token" }),
  run: (ctx) =>
    rpc(FILE, "GIT_TOKEN", "getUserTokenForRepo", { userId: user(ctx), ...repoOf(ctx), access: "write" }),
  judge: async (fault, result, ctx) => {
    const row = await tokenRow(user(ctx));
    if (fault.class === "bad_refresh_token") {
      return {
        documented: "reconnect_required; row marked reconnect_required",
        got: `${describe(result)}; row ${row?.status}`,
        matches: result.reason === "reconnect_required" && row?.status === "reconnect_required",
      };
    }
    const untouched = row?.status === "active" && row.version === 1;
    const judged = transientJudgement(fault, result, untouched, "; row untouched");
    return { ...judged, got: `${judged.got}; row ${row?.status} v${row?.version}` };
  },
  recover: async (fault, ctx) => {
    if (fault.class === "bad_refresh_token") return { recovered: "n/a", tokenLost: false };
    const again = await rpc<Result>(FILE, "GIT_TOKEN", "getUserTokenForRepo", {
      userId: user(ctx),
      ...repoOf(ctx),
      access: "write",
    });
    const recovered = again.ok === true && (await validAtGitHub(again.token, ctx));
    return { recovered, tokenLost: !recovered };
  },
};

const accessCheck: Operation = {
  name: "access check",
  applies: (f) => !personOnlyFault(f) && f.class !== "bad_refresh_token",
  prepare: async (tag) => {
    const cell = await freshWorld(tag);
    const sessionId = `fm-${tag}`;
    const prepared = await rpc<Result>(FILE, "SESSION", "prepareSession", {
      sessionId,
      userId: cell.person.userId,
      ...{ tenantId: cell.tenantId, owner: cell.owner, repo: cell.repo },
      mode: "now",
    });
    if (prepared.ok !== true) throw new Error(`session not prepared: ${prepared.reason}`);
    const creds = await rpc<Result>(FILE, "SESSION", "getGitCredentials", {
      sessionId,
      userId: cell.person.userId,
    });
    const rejectedSha = createHash("sha256")
      .update(creds.token ?? "")
      .digest("hex");
    return { cell, sessionId, rejectedSha };
  },
  target: (ctx) => ({ path: `/repos/${ctx.cell.owner}/${ctx.cell.repo}`, method: "GET" }),
  run: (ctx) =>
    rpc(FILE, "SESSION", "refreshGitHubToken", {
      sessionId: ctx.sessionId,
      userId: user(ctx),
      reason: "rejected",
      rejectedTokenSha256: ctx.rejectedSha,
    }),
  judge: async (fault, result, ctx) => {
    const session = await rpc<{ session?: { identity?: string; downgradedAt?: string } }>(
      FILE,
      "SESSION",
      "getSession",
      {
        sessionId: ctx.sessionId,
        userId: user(ctx),
      },
    );
    if (fault.class === "unauthorized") {
      return {
        documented: "switch to the App for good (downgraded), connection untouched",
        got: describe(result),
        matches: result.ok === true && result.downgraded === true && (await connectionActive(ctx)),
      };
    }
    const notDowngraded = session.session?.identity === "user" && session.session.downgradedAt === undefined;
    return transientJudgement(fault, result, notDowngraded, ", no downgrade");
  },
  recover: async (fault, ctx) => {
    if (fault.class === "unauthorized")
      return { recovered: "n/a", tokenLost: !(await connectionActive(ctx)) };
    const again = await rpc<Result>(FILE, "SESSION", "refreshGitHubToken", {
      sessionId: ctx.sessionId,
      userId: user(ctx),
      reason: "rejected",
      rejectedTokenSha256: ctx.rejectedSha,
    });
    const recovered =
      again.ok === true && again.downgraded === false && (await validAtGitHub(again.token, ctx));
    return { recovered, tokenLost: !recovered && !(await connectionActive(ctx)) };
  },
};

const oauthExchange: Operation = {
  name: "OAuth exchange",
  applies: (f) => !personOnlyFault(f) && f.class !== "bad_refresh_token" && f.class !== "unauthorized",
  prepare: async (tag) => {
    const cell = await freshWorld(tag, { connect: false });
    const info = harness();
    const redirectUri = `${info.publicUrl}/github/callback`;
    const grant = await authorizeAtSimulator(info.simUrl, info.clientId, cell.person.login, redirectUri);
    return { cell, code: { ...grant, redirectUri } };
  },
  target: () => ({ path: "/login/oauth/access_token", method: "POST", grantType: "authorization_code" }),
  run: (ctx) => rpc(FILE, "GIT_TOKEN", "connectWithOAuthCode", { userId: user(ctx), ...ctx.code }),
  judge: async (fault, result, ctx) =>
    transientJudgement(fault, result, (await tokenRow(user(ctx))) === undefined, "; nothing stored"),
  recover: async (_fault, ctx) => {
    const again = await rpc<Result>(FILE, "GIT_TOKEN", "connectWithOAuthCode", {
      userId: user(ctx),
      ...ctx.code,
    });
    return { recovered: again.ok === true, tokenLost: again.ok !== true };
  },
};

const devicePoll: Operation = {
  name: "device poll",
  applies: (f) => !personOnlyFault(f) && f.class !== "bad_refresh_token" && f.class !== "unauthorized",
  prepare: async (tag) => {
    const cell = await freshWorld(tag, { connect: false });
    const info = harness();
    const res = await fetch(`${info.simUrl}/login/device/code`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: info.clientId }),
    });
    const started = (await res.json()) as { device_code: string; user_code: string };
    await sim().authorizeDevice(started.user_code, { login: cell.person.login });
    return { cell, deviceCode: started.device_code };
  },
  target: () => ({
    path: "/login/oauth/access_token",
    method: "POST",
    grantType: "urn:ietf:params:oauth:grant-type:device_code",
  }),
  run: (ctx) =>
    rpc(FILE, "GIT_TOKEN", "completeDeviceAuthorization", { userId: user(ctx), deviceCode: ctx.deviceCode }),
  judge: async (fault, result, ctx) =>
    transientJudgement(fault, result, (await tokenRow(user(ctx))) === undefined, "; nothing stored"),
  recover: async (_fault, ctx) => {
    const again = await rpc<Result>(FILE, "GIT_TOKEN", "completeDeviceAuthorization", {
      userId: user(ctx),
      deviceCode: ctx.deviceCode,
    });
    return { recovered: again.ok === true, tokenLost: again.ok !== true };
  },
};

const disconnect: Operation = {
  name: "disconnect",
  applies: (f) => !personOnlyFault(f) && f.class !== "bad_refresh_token",
  prepare: async (tag) => ({ cell: await freshWorld(tag) }),
  target: () => ({ path: `/applications/${harness().clientId}/grant`, method: "DELETE" }),
  run: (ctx) => rpc(FILE, "GIT_TOKEN", "disconnectUser", { userId: user(ctx) }),
  judge: async (_fault, result, ctx) => {
    const gone = (await tokenRow(user(ctx))) === undefined;
    return {
      documented: "ok, grantRevoked false + revokeFailure; the connection deleted anyway",
      got: `${describe(result)}${gone ? "; row deleted" : "; row kept"}`,
      matches:
        result.ok === true &&
        result.wasConnected === true &&
        result.grantRevoked === false &&
        typeof result.revokeFailure === "string" &&
        gone,
    };
  },
  recover: async () => ({ recovered: "n/a", tokenLost: false }),
};

export const OPERATIONS: Operation[] = [
  installToken,
  userToken,
  refresh,
  accessCheck,
  oauthExchange,
  devicePoll,
  disconnect,
];
