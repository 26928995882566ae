import { decryptSecret, encryptSecret, secretAad } from "@gitcred/utils";
import type { ServiceDeps } from "../deps.ts";

/** GitHub's authorize URL "expires after one hour": nothing is kept longer. */
const SSO_URL_TTL_SECONDS = 3600;

/**
 * Under the person's repo-access prefix (`repo-access:v1:<userId>:<connectionId>:`), so erasure and a
 * reconnect (new connection id) leave nothing behind; `!` cannot start a GitHub owner, so the key never
 * meets a repository's.
 */
function keyPrefix(userId: string, connectionId: string): string {
  return `repo-access:v1:${userId}:${connectionId}:!sso:`;
}

function aad(userId: string, connectionId: string, organization: string): string {
  return secretAad("kv", "sso_authorize_url", userId, connectionId, organization.toLowerCase());
}

/** This isolate recorded an SSO refusal for `userId:org`: only then does a later success clear it. */
const pending = new Set<string>();

/**
 * Where the SAML SSO authorize URL of a refused person's token is kept for the settings page: in KV,
 * encrypted (AES-GCM envelope, AAD naming user, connection and organization) for its one-hour life. The
 * URL finishes the person's SAML authorization for whoever opens it, so it goes to the person only:
 * never into a token result, a session, a log line (the logger redacts it too) or a cached verdict.
 */
export const ssoRequirements = {
  /** Keeps the latest URL of one organization (best effort: a lost write only costs the page a hint). */
  async remember(
    deps: ServiceDeps,
    input: { userId: string; connectionId: string; organization: string; authorizeUrl: string },
  ): Promise<void> {
    const keyring = await deps.config.keyring;
    const value = await encryptSecret(
      keyring,
      JSON.stringify({ organization: input.organization, authorizeUrl: input.authorizeUrl }),
      aad(input.userId, input.connectionId, input.organization),
    );
    pending.add(`${input.userId}:${input.organization.toLowerCase()}`);
    await deps.kv.put(keyPrefix(input.userId, input.connectionId) + input.organization.toLowerCase(), value, {
      expirationTtl: SSO_URL_TTL_SECONDS,
    });
  },

  /** Forgets the organization's URL once GitHub let the token in (the person authorized it). */
  async forget(deps: ServiceDeps, input: { userId: string; connectionId: string; organization: string }) {
    const org = input.organization.toLowerCase();
    if (!pending.delete(`${input.userId}:${org}`)) return;
    await deps.kv.delete(keyPrefix(input.userId, input.connectionId) + org);
  },

  /** The newest-listed organization still waiting for the person, with its URL, or undefined. */
  async read(
    deps: ServiceDeps,
    input: { userId: string; connectionId: string },
  ): Promise<{ organization: string; authorizeUrl: string } | undefined> {
    const prefix = keyPrefix(input.userId, input.connectionId);
    const listed = await deps.kv.list({ prefix, limit: 10 });
    const keyring = await deps.config.keyring;
    for (const key of listed.keys) {
      const envelope = await deps.kv.get(key.name);
      if (envelope === null) continue;
      try {
        const plain = await decryptSecret(
          keyring,
          envelope,
          aad(input.userId, input.connectionId, key.name.slice(prefix.length)),
        );
        const parsed = JSON.parse(plain) as { organization?: unknown; authorizeUrl?: unknown };
        if (typeof parsed.organization === "string" && typeof parsed.authorizeUrl === "string") {
          return { organization: parsed.organization, authorizeUrl: parsed.authorizeUrl };
        }
      } catch (error) {
        deps.logger.warn("a stored SSO requirement does not decrypt", { error });
      }
    }
    return undefined;
  },
};
