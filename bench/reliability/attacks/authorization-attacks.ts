/**
 * The authorization attacks of #12, run through the platform stand-in as an attacker's platform call
 * would: the App's token for a tenant that never claimed the installation, after a disconnect, for
 * another tenant's repository, without a tenant, after a revoked grant, and above the permission
 * ceiling. Refused only when the answer is the documented refusal *and* GitHub minted nothing.
 */
import { freshWorld, rpc, sim } from "../harness/client.ts";
import type { AttackResult } from "./types.ts";

const FILE = "oauth-attacks";
const MINT = "POST /app/installations/{installation_id}/access_tokens";

type Answer = { ok: boolean; reason?: string; token?: string };

/** Runs one attack: refused when `reason` is the answer and no installation token was minted. */
async function attempt(name: string, reason: string, call: () => Promise<Answer>): Promise<AttackResult> {
  const before = await sim().count(MINT);
  const answer = await call();
  const minted = (await sim().count(MINT)) - before;
  const refused = answer.ok === false && answer.reason === reason && minted === 0;
  return {
    category: "authorization",
    name,
    refused,
    detail: `${answer.ok ? "ok (a token)" : String(answer.reason)}, ${minted} minted`,
  };
}

/** Every App path, for callers not entitled to it. */
export async function authorizationAttacks(): Promise<AttackResult[]> {
  const cell = await freshWorld("att-authz");
  const repo = { owner: cell.owner, repo: cell.repo };
  const outsider = `${cell.tenantId}-outsider`;
  const out: AttackResult[] = [];
  out.push(
    await attempt(
      "never-connected user, unclaimed tenant: getTokenForRepo falls back",
      "no_entitlement",
      () =>
        rpc(FILE, "GIT_TOKEN", "getTokenForRepo", {
          userId: `${cell.person.userId}-new`,
          tenantId: outsider,
          ...repo,
        }),
    ),
  );
  out.push(
    await attempt("another tenant's repository: getInstallationToken", "no_entitlement", () =>
      rpc(FILE, "GIT_TOKEN", "getInstallationToken", { tenantId: outsider, ...repo }),
    ),
  );
  out.push(
    await attempt("no tenant at all: prefer app", "no_entitlement", () =>
      rpc(FILE, "GIT_TOKEN", "getTokenForRepo", { userId: cell.person.userId, ...repo, prefer: "app" }),
    ),
  );
  out.push(
    await attempt("a session for an unclaimed tenant: prepareSession prefer app", "no_entitlement", () =>
      rpc(FILE, "SESSION", "prepareSession", {
        sessionId: `authz-${cell.person.userId}`,
        userId: cell.person.userId,
        tenantId: outsider,
        ...repo,
        prefer: "app",
        mode: "now",
      }),
    ),
  );
  // The person disconnects: their token is unavailable, and their (unclaimed) tenant gets no App token.
  await rpc(FILE, "GIT_TOKEN", "disconnectUser", { userId: cell.person.userId });
  out.push(
    await attempt(
      "after a disconnect: getTokenForRepo falls back for an unclaimed tenant",
      "no_entitlement",
      () =>
        rpc(FILE, "GIT_TOKEN", "getTokenForRepo", {
          userId: cell.person.userId,
          tenantId: outsider,
          ...repo,
          access: "write",
        }),
    ),
  );
  out.push(
    await attempt("above the permission ceiling: administration:write", "permissions_not_granted", () =>
      rpc(FILE, "GIT_TOKEN", "getInstallationToken", {
        tenantId: cell.tenantId,
        ...repo,
        permissions: { administration: "write" },
      }),
    ),
  );
  // The claiming tenant is entitled (the premise), until its grant is revoked.
  const entitled = await rpc<Answer>(FILE, "GIT_TOKEN", "getInstallationToken", {
    tenantId: cell.tenantId,
    ...repo,
  });
  out.push({
    category: "authorization",
    name: "premise: the claiming tenant gets the App's token",
    refused: entitled.ok === true,
    detail: entitled.ok ? "ok" : String(entitled.reason),
  });
  await rpc(FILE, "GIT_TOKEN", "revokeInstallationGrant", {
    tenantId: cell.tenantId,
    installationId: cell.installationId,
  });
  out.push(
    await attempt("after revokeInstallationGrant, with the token cached", "no_entitlement", () =>
      rpc(FILE, "GIT_TOKEN", "getInstallationToken", { tenantId: cell.tenantId, ...repo }),
    ),
  );
  return out;
}
