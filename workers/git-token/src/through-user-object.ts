import type { StoreConnectionResult } from "@gitcred/client";
import type { ConnectionChanges, RemovedConnection } from "./connection/connection-changes.ts";
import type { RefreshOptions, ServiceDeps } from "./deps.ts";
import { log } from "./log.ts";
import type { BoundaryFailure } from "./rpc-boundary.ts";
import type { RefreshOutcome } from "./user/refresh-outcome.ts";
import { userTokenMemo } from "./user/user-token-memo.ts";
import type { UserTokenRefresher } from "./user-token-refresher.ts";

/** The per-person calls of `ServiceDeps` that go to the person's Durable Object. */
export interface UserObjectCalls {
  refreshUserToken: ServiceDeps["refreshUserToken"];
  connections: ConnectionChanges;
}

const UNREACHABLE = {
  ok: false,
  reason: "internal_error",
  message: "the person's token object is unreachable",
  retryAfterSeconds: 1,
} as const;

/** Calls an RPC result's disposer, if it has one (workerd warns about results left to the GC). */
function release(value: unknown): void {
  if (typeof value !== "object" || value === null || !(Symbol.dispose in value)) return;
  const dispose = (value as Partial<Disposable>)[Symbol.dispose];
  if (typeof dispose === "function") dispose.call(value);
}

/**
 * Built calls by namespace and caller. They hold no state of a request (a stub is made when a call is
 * made, in the request making it), so one set serves every call of a caller instead of a fresh set of
 * closures on every warm getTokenForRepo (the gain in P2 was within its run-to-run noise, about ±4 µs).
 * Callers are a handful of short ids per deployment.
 */
const built = new WeakMap<DurableObjectNamespace<UserTokenRefresher>, Map<string, UserObjectCalls>>();
const MAX_CALLERS = 256;

/**
 * Routes a person's refreshes and connection changes to their UserTokenRefresher (named by the user id),
 * the one place each person's refresh token is spent and their connection changes run one at a time.
 * An unreachable object becomes a typed, retryable `internal_error` (nothing is thrown across RPC).
 */
export function throughUserObject(
  namespace: DurableObjectNamespace<UserTokenRefresher>,
  caller: string,
): UserObjectCalls {
  let byCaller = built.get(namespace);
  if (byCaller === undefined) {
    byCaller = new Map();
    built.set(namespace, byCaller);
  }
  let calls = byCaller.get(caller);
  if (calls === undefined) {
    if (byCaller.size >= MAX_CALLERS) byCaller.clear();
    calls = buildUserObjectCalls(namespace, caller);
    byCaller.set(caller, calls);
  }
  return calls;
}

function buildUserObjectCalls(
  namespace: DurableObjectNamespace<UserTokenRefresher>,
  caller: string,
): UserObjectCalls {
  const object = (userId: string) => namespace.get(namespace.idFromName(userId));
  async function reach<T>(what: string, call: () => Promise<T>): Promise<T | typeof UNREACHABLE> {
    try {
      const result = await call();
      // Plain data, already copied out: releasing the result now keeps the runtime from holding the
      // object's side of the call until garbage collection (and warning about it then).
      release(result);
      return result;
    } catch (error) {
      log.error("user token object unreachable", { caller, what, error });
      return UNREACHABLE;
    }
  }
  return {
    refreshUserToken: (userId: string, options?: RefreshOptions) =>
      reach<RefreshOutcome>(
        "refresh",
        async () =>
          await object(userId).refresh({
            userId,
            caller,
            ...(options?.rejectedVersion === undefined ? {} : { rejectedVersion: options.rejectedVersion }),
          }),
      ),
    // The object may run in another isolate: the memo of this one is dropped here too, whatever the
    // answer, so this isolate never serves the connection that was just replaced or removed.
    connections: {
      store: (userId, tokens) =>
        reach<StoreConnectionResult>(
          "storeConnection",
          async () => await object(userId).storeConnection({ userId, caller, tokens }),
        ).finally(() => userTokenMemo.forget(userId)),
      remove: (userId) =>
        reach<RemovedConnection | BoundaryFailure>(
          "removeConnection",
          async () => await object(userId).removeConnection({ userId, caller }),
        ).finally(() => userTokenMemo.forget(userId)),
    },
  };
}
