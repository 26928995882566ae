import type { GitTokenRpc } from "@gitcred/client";
import type { GitTokenPort } from "../types.ts";

/**
 * git-token as the session uses it, typed by the consumer contract in @gitcred/client (the one every
 * platform worker codes against) rather than by git-token's source, which the generated Env points at.
 */
export function gitTokenPort(binding: Service<GitTokenRpc>): GitTokenPort {
  return {
    getTokenForRepo: (input) => binding.getTokenForRepo(input),
    getConnection: (input) => binding.getConnection(input),
  };
}
