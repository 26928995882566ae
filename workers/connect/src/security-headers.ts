import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./request-context.ts";

/**
 * Headers for every answer: no framing (clickjacking on Connect/Disconnect), no script at all, forms only
 * to ourselves and GitHub, no referrer to other origins (so a URL never leaks; same-origin keeps the
 * Origin header our CSRF check reads), no caching.
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const github = c.get("config").githubWebUrl;
    // Only the one avatar origin a page shows, not `https:`: images stay limited to known hosts.
    const avatar = c.get("avatarOrigin");
    c.header(
      "content-security-policy",
      [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        `img-src ${github} https://avatars.githubusercontent.com${avatar === undefined ? "" : ` ${avatar}`}`,
        `form-action 'self' ${github}`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join("; "),
    );
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "same-origin");
    c.header("x-frame-options", "DENY");
    c.header("cache-control", "no-store");
  };
}
