import type { GetSessionResult } from "@gitcred/client";
import type { Caller, SessionDeps } from "../types.ts";
import { authorizeCaller } from "./authorize-caller.ts";
import { personOf } from "./person-of.ts";
import { toSnapshot } from "./to-snapshot.ts";

/** The session as the platform may show it: state, repository, identity, author, expiry, reasons. */
export async function getSession(deps: SessionDeps, caller: Caller): Promise<GetSessionResult> {
  const authorized = await authorizeCaller(deps, caller);
  if (!authorized.ok) return authorized;
  const { record } = authorized;
  const person = record.identity === null ? null : await personOf(deps, record.userId);
  return { ok: true, session: toSnapshot(record, person, deps.lifetimeMs) };
}
