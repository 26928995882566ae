/**
 * The routes the simulator answers, as templates. The call log, the counters and path patterns of
 * faults use these names (`GET /repos/{owner}/{repo}`).
 */

/** `[method, template, surface]`: `api` routes carry rate-limit headers, `web` routes do not. */
export const ROUTES: ReadonlyArray<readonly [string, string, "api" | "web"]> = [
  ["GET", "/", "api"],
  ["GET", "/app", "api"],
  ["GET", "/app/installations/{installation_id}", "api"],
  ["POST", "/app/installations/{installation_id}/access_tokens", "api"],
  ["GET", "/repos/{owner}/{repo}/installation", "api"],
  ["DELETE", "/installation/token", "api"],
  ["GET", "/installation/repositories", "api"],
  ["GET", "/users/{username}", "api"],
  ["GET", "/user", "api"],
  ["GET", "/user/installations", "api"],
  ["GET", "/repos/{owner}/{repo}", "api"],
  ["GET", "/repositories/{repository_id}", "api"],
  ["GET", "/rate_limit", "api"],
  ["POST", "/applications/{client_id}/token", "api"],
  ["DELETE", "/applications/{client_id}/token", "api"],
  ["DELETE", "/applications/{client_id}/grant", "api"],
  ["GET", "/login/oauth/authorize", "web"],
  ["POST", "/login/oauth/authorize", "web"],
  ["POST", "/login/oauth/access_token", "web"],
  ["POST", "/login/device/code", "web"],
  ["GET", "/login/device", "web"],
  ["POST", "/login/device", "web"],
  ["POST", "/login/device/confirm", "web"],
  ["GET", "/apps/{app_slug}/installations/new", "web"],
  ["POST", "/apps/{app_slug}/installations/new", "web"],
  ["GET", "/apps/{app_slug}/installations/new/permissions", "web"],
  ["GET", "/avatars/u/{id}", "web"],
  ["GET", "/orgs/{org}/sso", "web"],
  ["POST", "/orgs/{org}/sso", "web"],
];

/** Compiles a path pattern: `{name}` matches one segment, `*` matches anything. */
export function compilePattern(pattern: string): RegExp {
  const source = pattern
    .split(/(\{[^}]+\}|\*)/)
    .map((part) => {
      if (part === "*") return ".*";
      if (/^\{[^}]+\}$/.test(part)) return "[^/]+";
      return part.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}$`, "i");
}

const COMPILED = ROUTES.map(([method, template, surface]) => ({
  method,
  template,
  surface,
  regex: compilePattern(template),
}));

/** The route a request hits: its template and surface, or `OTHER` for unknown paths. */
export function classify(method: string, path: string): { route: string; surface: "api" | "web" | "other" } {
  for (const r of COMPILED) {
    if (r.method === method && r.regex.test(path))
      return { route: `${method} ${r.template}`, surface: r.surface };
  }
  const known = COMPILED.find((r) => r.regex.test(path));
  return { route: `${method} ${known ? known.template : "OTHER"}`, surface: known?.surface ?? "other" };
}
