import { type Database, installStates } from "@gitcred/db";
import { randomToken, sha256Hex } from "@gitcred/utils";
import { eq, lt } from "drizzle-orm";

/** An install on GitHub takes a few clicks; a state need not outlive an OAuth state. */
export const INSTALL_STATE_TTL_SECONDS = 10 * 60;

/**
 * Starts an install flow for one person, tenant and browser: a random 256-bit state (only its hash is
 * stored) that GitHub hands back on the App's Setup URL. Without it, anyone could send a person a
 * Setup URL with an installation id of their choosing and have it claimed for the wrong tenant.
 */
export async function createInstallState(
  db: Database,
  input: { userId: string; tenantId: string; browserBinding: string; returnTo: string; now?: Date },
): Promise<string> {
  const state = randomToken(32);
  const now = input.now ?? new Date();
  await db.insert(installStates).values({
    stateHash: await sha256Hex(state),
    userId: input.userId,
    tenantId: input.tenantId,
    browserBindingHash: await sha256Hex(input.browserBinding),
    returnTo: input.returnTo,
    expiresAt: new Date(now.getTime() + INSTALL_STATE_TTL_SECONDS * 1000),
  });
  await db.delete(installStates).where(lt(installStates.expiresAt, new Date(now.getTime() - 60 * 60 * 1000)));
  return state;
}

export type ConsumedInstallState =
  | { ok: true; userId: string; tenantId: string; returnTo: string }
  | { ok: false; reason: "invalid_state" | "expired_state" };

/**
 * Consumes a state exactly once (`DELETE ... RETURNING`: a replayed or concurrent callback finds
 * nothing), then checks expiry and that it came back to the browser that started it.
 */
export async function consumeInstallState(
  db: Database,
  input: { state: string; browserBinding: string | undefined; now?: Date },
): Promise<ConsumedInstallState> {
  if (input.state.length < 16 || input.state.length > 128) return { ok: false, reason: "invalid_state" };
  const stateHash = await sha256Hex(input.state);
  const [row] = await db.delete(installStates).where(eq(installStates.stateHash, stateHash)).returning();
  if (row === undefined) return { ok: false, reason: "invalid_state" };
  if (row.expiresAt.getTime() <= (input.now ?? new Date()).getTime())
    return { ok: false, reason: "expired_state" };
  if (
    input.browserBinding === undefined ||
    (await sha256Hex(input.browserBinding)) !== row.browserBindingHash
  ) {
    return { ok: false, reason: "invalid_state" };
  }
  return { ok: true, userId: row.userId, tenantId: row.tenantId, returnTo: row.returnTo };
}
