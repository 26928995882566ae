import type { GetSessionResult } from "@gitcred/client";
import type { Caller, SessionDeps } from "../types.ts";
import { authorizeCaller } from "./authorize-caller.ts";
import { toSnapshot } from "./to-snapshot.ts";

/** The session as the platform may show it: state, repository, identity, author, expiry, reasons. */
export async function getSession(deps: SessionDeps, caller: Caller): Promise<GetSessionResult> {
  const authorized = await authorizeCaller(deps, caller);
  if (!authorized.ok) return authorized;
  return { ok: true, session: toSnapshot(authorized.record) };
}
