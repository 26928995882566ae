/** Settings of the connect worker, read once per request from its Env. */
export interface ConnectConfig {
  /** Origin people reach this worker on, e.g. `https://gitcred.example.com` (no trailing slash). */
  publicUrl: string;
  userTokensEnabled: boolean;
  githubWebUrl: string;
  githubApiUrl: string;
  clientId: string;
  /** The App's slug (`GITHUB_APP_SLUG`); empty turns the install flow off. */
  appSlug: string;
}

export function readConnectConfig(env: Env): ConnectConfig {
  const publicUrl = new URL(env.PUBLIC_URL || "http://127.0.0.1:8787");
  return {
    publicUrl: publicUrl.origin,
    userTokensEnabled: env.ENABLE_GITHUB_USER_TOKENS === "true",
    githubWebUrl: (env.GITHUB_WEB_URL || "https://github.com").replace(/\/+$/, ""),
    githubApiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, ""),
    clientId: env.GITHUB_CLIENT_ID ?? "",
    appSlug: (env.GITHUB_APP_SLUG ?? "").trim(),
  };
}
