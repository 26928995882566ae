/**
 * Response helpers shaped like GitHub's: JSON with `application/json; charset=utf-8`, error bodies
 * `{ message, documentation_url, status }` (GitHub added the string `status` in 2024).
 */

/** GitHub's REST docs root, used in `documentation_url`. */
export const DOCS = "https://docs.github.com/rest";

/** Documentation URLs GitHub puts in error bodies, per operation. */
export const DOC_URLS = {
  getApp: `${DOCS}/apps/apps#get-the-authenticated-app`,
  getInstallation: `${DOCS}/apps/apps#get-an-installation-for-the-authenticated-app`,
  getRepoInstallation: `${DOCS}/apps/apps#get-a-repository-installation-for-the-authenticated-app`,
  createInstallationToken: `${DOCS}/apps/apps#create-an-installation-access-token-for-an-app`,
  revokeInstallationToken: `${DOCS}/apps/installations#revoke-an-installation-access-token`,
  listInstallationRepos: `${DOCS}/apps/installations#list-repositories-accessible-to-the-app-installation`,
  getUser: `${DOCS}/users/users#get-a-user`,
  getAuthenticatedUser: `${DOCS}/users/users#get-the-authenticated-user`,
  listUserInstallations: `${DOCS}/apps/installations#list-app-installations-accessible-to-the-user-access-token`,
  getRepo: `${DOCS}/repos/repos#get-a-repository`,
  checkToken: `${DOCS}/apps/oauth-applications#check-a-token`,
  deleteToken: `${DOCS}/apps/oauth-applications#delete-an-app-token`,
  deleteGrant: `${DOCS}/apps/oauth-applications#delete-an-app-authorization`,
  rateLimit: `${DOCS}/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user`,
  rateLimits: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
  secondaryRateLimits:
    "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
} as const;

const JSON_TYPE = "application/json; charset=utf-8";

/** A JSON response with GitHub's content type. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": JSON_TYPE, ...headers },
  });
}

/** An empty 204. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** A GitHub REST error body. */
export function ghError(
  status: number,
  message: string,
  documentationUrl: string = DOCS,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return json(
    { message, documentation_url: documentationUrl, ...extra, status: String(status) },
    status,
    headers,
  );
}

/** `401 Bad credentials`, GitHub's answer to an unknown, expired or revoked token. */
export function badCredentials(): Response {
  return ghError(401, "Bad credentials", DOCS);
}

/** `401 Requires authentication`. */
export function requiresAuthentication(documentationUrl: string): Response {
  return ghError(401, "Requires authentication", documentationUrl);
}

/** `404 Not Found`, also GitHub's answer where it hides what exists. */
export function notFound(documentationUrl: string): Response {
  return ghError(404, "Not Found", documentationUrl);
}

/** `403 Resource not accessible by integration`. */
export function notAccessibleByIntegration(documentationUrl: string): Response {
  return ghError(403, "Resource not accessible by integration", documentationUrl);
}

/** `422` validation failure. */
export function validationFailed(message: string, documentationUrl: string): Response {
  return ghError(422, message, documentationUrl);
}

/** Parses a request body sent as JSON or form data (or nothing); query parameters fill the gaps. */
export async function readParams(req: Request): Promise<Record<string, string>> {
  const url = new URL(req.url);
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  const type = req.headers.get("content-type") ?? "";
  const text = await req.text();
  if (text.trim() === "") return out;
  if (type.includes("json") || /^\s*\{/.test(text)) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object") {
        for (const [k, v] of Object.entries(parsed)) {
          if (v !== null && v !== undefined) out[k] = typeof v === "string" ? v : JSON.stringify(v);
        }
      }
      return out;
    } catch {
      return out;
    }
  }
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

/** Reads a JSON object body; `{}` when empty, null when it is not a JSON object. */
export async function readJsonObject(req: Request): Promise<Record<string, unknown> | null> {
  const text = await req.text();
  if (text.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** HTML-escapes text for the OAuth and device pages. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
