import { isEnterpriseServer } from "./is-enterprise-server.ts";
import type { GitHubEndpoints } from "./types.ts";

/**
 * The page where a person installs the App: `<web>/apps/<slug>/installations/new` on github.com, and
 * `<web>/github-apps/<slug>/installations/new` on GitHub Enterprise Server (GitHub's "Sharing your GitHub
 * App" for GHES) — the github.com path is a 404 there, which would leave the settings page's install
 * button dead on GHES.
 */
export function appInstallUrl(endpoints: Pick<GitHubEndpoints, "apiUrl" | "webUrl">, slug: string): URL {
  const pages = isEnterpriseServer(endpoints.apiUrl) ? "github-apps" : "apps";
  const web = endpoints.webUrl.replace(/\/+$/, "");
  return new URL(`${web}/${pages}/${encodeURIComponent(slug)}/installations/new`);
}
