import type { MintedRepository } from "./types.ts";

/** Enough for every token an isolate hands out within an hour; the oldest goes first beyond it. */
const MAX_ENTRIES = 2000;

const byToken = new Map<string, { repositories: MintedRepository[]; expiresAt: number }>();

/**
 * Remembers which repositories GitHub minted a token for, for the isolate. auth-app shares one mint
 * among concurrent callers and returns bare names: a caller that joined another's mint (or read it from
 * the store through another's call) learns the full names here, to check them against what it asked.
 * Facts from GitHub's answer only; nobody's entitlement is decided by who wrote them.
 */
export function rememberMintedRepositories(
  token: string,
  repositories: MintedRepository[],
  expiresAt: number,
): void {
  byToken.delete(token);
  byToken.set(token, { repositories, expiresAt });
  if (byToken.size > MAX_ENTRIES) {
    const oldest = byToken.keys().next();
    if (oldest.done !== true) byToken.delete(oldest.value);
  }
}

/**
 * The repositories a token was minted for, while it has not expired (by the isolate's clock: this is
 * memory hygiene, expiry decisions are the callers'); undefined when not known here.
 */
export function mintedRepositoriesOf(token: string): MintedRepository[] | undefined {
  const entry = byToken.get(token);
  if (entry === undefined) return undefined;
  if (entry.expiresAt <= Date.now()) {
    byToken.delete(token);
    return undefined;
  }
  return entry.repositories;
}

/**
 * Forgets a token refused by the caller that minted it (it is revoked): a caller that joined that mint
 * then finds nothing here and asks for its own, instead of handing out a token about to die.
 */
export function forgetMintedRepositories(token: string): void {
  byToken.delete(token);
}
