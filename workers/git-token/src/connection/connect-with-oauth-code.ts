import type { StoreConnectionResult } from "@gitcred/client";
import { exchangeWebFlowCode } from "@gitcred/github";
import { requireOAuth } from "../config.ts";
import type { ServiceDeps } from "../deps.ts";
import { oauthFailure } from "./oauth-failure.ts";

/**
 * Finishes the OAuth web flow inside this worker: trades the code (with the PKCE verifier) for tokens
 * and stores the connection, so the connect worker never holds a person's tokens.
 */
export async function connectWithOAuthCode(
  deps: ServiceDeps,
  input: { userId: string; code: string; codeVerifier: string; redirectUri: string },
): Promise<StoreConnectionResult> {
  if (!deps.config.userTokensEnabled) {
    return { ok: false, reason: "disabled", message: "people's own GitHub tokens are turned off" };
  }
  const oauth = requireOAuth(deps.config);
  const exchanged = await exchangeWebFlowCode(deps.config.github, { ...oauth, ...input });
  if (!exchanged.ok) return oauthFailure(deps, exchanged);
  return deps.connections.store(input.userId, exchanged.tokens);
}
