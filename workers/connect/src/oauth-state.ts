import { type Database, oauthStates } from "@gitcred/db";
import {
  base64UrlEncode,
  decryptSecret,
  encryptSecret,
  type Keyring,
  randomToken,
  secretAad,
  sha256Hex,
} from "@gitcred/utils";
import { eq, lt } from "drizzle-orm";

/** GitHub's authorization codes live 10 minutes; a state need not outlive them. */
export const OAUTH_STATE_TTL_SECONDS = 10 * 60;

export interface CreatedOAuthState {
  /** The random value sent to GitHub as `state` (only its hash is stored). */
  state: string;
  /** S256 challenge of the PKCE verifier (the verifier stays here, encrypted). */
  codeChallenge: string;
}

const verifierAad = (stateHash: string) => secretAad("oauth_states", "pkce_verifier_enc", stateHash);

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}

/**
 * Starts an OAuth web flow for one person in one browser: a random 256-bit state (stored as a hash),
 * bound to the browser's session, with a PKCE verifier kept encrypted, so a stolen code alone cannot
 * be exchanged and a state cannot be finished from another browser.
 */
export async function createOAuthState(
  db: Database,
  keyring: Keyring,
  input: { userId: string; browserBinding: string; returnTo: string; now?: Date },
): Promise<CreatedOAuthState> {
  const state = randomToken(32);
  const verifier = randomToken(48);
  const stateHash = await sha256Hex(state);
  const now = input.now ?? new Date();
  await db.insert(oauthStates).values({
    stateHash,
    userId: input.userId,
    browserBindingHash: await sha256Hex(input.browserBinding),
    pkceVerifierEnc: await encryptSecret(keyring, verifier, verifierAad(stateHash)),
    returnTo: input.returnTo,
    expiresAt: new Date(now.getTime() + OAUTH_STATE_TTL_SECONDS * 1000),
  });
  await db.delete(oauthStates).where(lt(oauthStates.expiresAt, new Date(now.getTime() - 60 * 60 * 1000)));
  return { state, codeChallenge: await s256(verifier) };
}

export type ConsumedOAuthState =
  | { ok: true; userId: string; codeVerifier: string; returnTo: string }
  | { ok: false; reason: "invalid_state" | "expired_state"; returnTo?: string };

/**
 * Consumes a state exactly once (`DELETE ... RETURNING`: a replayed or concurrently repeated callback
 * finds nothing), then checks expiry and that the callback arrived in the browser that started it.
 */
export async function consumeOAuthState(
  db: Database,
  keyring: Keyring,
  input: { state: string; browserBinding: string | undefined; now?: Date },
): Promise<ConsumedOAuthState> {
  if (input.state.length < 16 || input.state.length > 128) return { ok: false, reason: "invalid_state" };
  const stateHash = await sha256Hex(input.state);
  const [row] = await db.delete(oauthStates).where(eq(oauthStates.stateHash, stateHash)).returning();
  if (row === undefined) return { ok: false, reason: "invalid_state" };
  if (row.expiresAt.getTime() <= (input.now ?? new Date()).getTime()) {
    return { ok: false, reason: "expired_state", returnTo: row.returnTo };
  }
  if (
    input.browserBinding === undefined ||
    (await sha256Hex(input.browserBinding)) !== row.browserBindingHash
  ) {
    return { ok: false, reason: "invalid_state" };
  }
  const codeVerifier = await decryptSecret(keyring, row.pkceVerifierEnc, verifierAad(stateHash));
  return { ok: true, userId: row.userId, codeVerifier, returnTo: row.returnTo };
}
