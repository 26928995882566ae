/**
 * A missing or unusable GitHub setting (App id, private key, client credentials). Raised at startup or
 * on first use so a misconfiguration is loud and obvious; its message names the setting, never its value.
 */
export class GitHubConfigError extends Error {
  override readonly name = "GitHubConfigError";
}
