import { createAppAuth } from "@octokit/auth-app";
import type { RequestInterface } from "@octokit/types";
import { octokitRequest, type RequestHook } from "./octokit-request.ts";
import type { AppCredentials, GitHubEndpoints } from "./types.ts";

/** What `appAuth` builds: auth-app's `auth` and a request authenticated as the App through its hook. */
export interface AppAuth {
  auth: ReturnType<typeof createAppAuth>;
  /** Requests sent with it get a fresh App JWT, and one retry with GitHub's clock when GitHub says ours is off. */
  request: RequestInterface;
}

/**
 * One `@octokit/auth-app` instance for the App, on our gated request (`octokit-request.ts`): auth-app
 * signs the JWT (RS256, `iat` 30 s back, ten minutes), mints installation tokens and, through its hook,
 * retries a request once with GitHub's clock when GitHub refuses the JWT's `iat`/`exp`. Its requests
 * themselves go through the hook too, so a mint gets the same retry. `cache` replaces auth-app's
 * plaintext in-memory LRU; `onMint` sees each access-token answer (the repositories GitHub minted for,
 * which auth-app reduces to bare names) before auth-app caches it.
 */
export function appAuth(
  endpoints: GitHubEndpoints,
  app: AppCredentials,
  options: {
    cache?: { get(key: string): Promise<string>; set(key: string, value: string): Promise<void> };
    onMint?: (data: unknown) => void;
  } = {},
): AppAuth {
  let auth: ReturnType<typeof createAppAuth> | undefined;
  const hook: RequestHook = async (request, parameters) => {
    if (auth === undefined) throw new Error("auth-app hook ran before auth-app was built");
    const response = await auth.hook(request, parameters);
    if (parameters.method === "POST" && /\/access_tokens$/.test(parameters.url))
      options.onMint?.(response.data);
    return response;
  };
  const request = octokitRequest(endpoints, "api").defaults({ request: { hook } });
  auth = createAppAuth({
    appId: app.appId,
    privateKey: app.privateKey,
    request,
    // Never auth-app's default: a plaintext LRU of every token for 59 minutes.
    cache: options.cache ?? { get: async () => "", set: async () => {} },
    log: { warn: (message: string) => app.warn?.(message) },
  });
  return { auth, request };
}
