/**
 * Who may call what is decided by which methods an entrypoint has (docs/ARCHITECTURE.md, "Who calls
 * what"), so an entrypoint must have no method besides the ones its role is given. Workers RPC reaches
 * every method on an entrypoint's prototype chain, TypeScript's `protected` and `private` included: the
 * helpers that once lived there (`call`, `callParsed`, `memoryOnly`, `caller`) were callable by every
 * caller of every entrypoint, with the caller's own callbacks. They live in an instance field now
 * (`EntrypointCalls`), which RPC cannot reach.
 */
import { DurableObject, exports, WorkerEntrypoint } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  ADMIN_METHODS,
  CONNECT_BACKEND_METHODS,
  SESSION_AUDIT_METHODS,
} from "../../../test-support/git-token-entrypoints.ts";
import { callAnyway, rpcSurface } from "../../../test-support/workerd/rpc-surface.ts";
import { GitTokenAdmin } from "../src/entrypoints/git-token-admin.ts";
import { GitTokenConnectBackend } from "../src/entrypoints/git-token-connect-backend.ts";
import { GitTokenService } from "../src/entrypoints/git-token-service.ts";
import { GitTokenSessionAudit } from "../src/entrypoints/git-token-session-audit.ts";
import { UserTokenRefresher } from "../src/user-token-refresher.ts";
import { admin, connectBackend, service } from "./helpers.ts";

/** What every git-token entrypoint has besides its role's methods. */
const SHARED = ["fetch", "health"];
const sorted = (names: readonly string[]) => [...names].sort();

describe("git-token's RPC surface", () => {
  it("each entrypoint has exactly its role's methods, and no helper", () => {
    expect(rpcSurface(GitTokenService, WorkerEntrypoint)).toEqual(
      sorted([
        ...SHARED,
        "ping",
        "getInstallationToken",
        "getUserTokenForRepo",
        "getTokenForRepo",
        "getConnection",
        "disconnectUser",
        "grantInstallation",
        "revokeInstallationGrant",
        "listInstallationGrants",
      ]),
    );
    // The harnesses' lists name what only these entrypoints have; the rest they share with the platform's.
    expect(rpcSurface(GitTokenConnectBackend, WorkerEntrypoint)).toEqual(
      sorted([
        ...SHARED,
        ...CONNECT_BACKEND_METHODS,
        "getConnection",
        "disconnectUser",
        "listInstallationGrants",
      ]),
    );
    expect(rpcSurface(GitTokenAdmin, WorkerEntrypoint)).toEqual(
      sorted([...SHARED, ...ADMIN_METHODS, "grantInstallation", "revokeInstallationGrant"]),
    );
    expect(rpcSurface(GitTokenSessionAudit, WorkerEntrypoint)).toEqual(
      sorted([...SHARED, ...SESSION_AUDIT_METHODS]),
    );
  });

  it("the refresher object has only what git-token's own calls use", () => {
    expect(rpcSurface(UserTokenRefresher, DurableObject)).toEqual(
      sorted(["refresh", "storeConnection", "removeConnection"]),
    );
  });

  it("a caller of any entrypoint cannot run its own code with a call's dependencies", async () => {
    const audit = exports.GitTokenSessionAudit({ props: { caller: "gitcred-session" } });
    let reached = 0;
    // As an attacker holding a binding would try: the call's dependencies (connection store,
    // database, the person's refresher) handed to a function of the caller's.
    const body = async (deps: unknown) => {
      reached++;
      return deps;
    };
    for (const stub of [service(), connectBackend(), admin(), audit]) {
      await expect(callAnyway(stub, "callParsed", "getConnection", { userId: "u-1" }, body)).rejects.toThrow(
        /does not implement/,
      );
      await expect(
        callAnyway(stub, "call", "getConnection", { safeParse: () => ({ success: true }) }, {}, body),
      ).rejects.toThrow(/does not implement/);
      await expect(callAnyway(stub, "memoryOnly", body)).rejects.toThrow(/does not implement/);
      await expect(callAnyway(stub, "caller")).rejects.toThrow(/does not implement/);
      await expect(callAnyway(stub, "calls")).rejects.toThrow(/does not implement/);
    }
    expect(reached).toBe(0);
  });
});
