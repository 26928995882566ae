import type { MiddlewareHandler } from "hono";
import { githubAvatarBase } from "./github-avatar-base.ts";
import type { AppEnv } from "./request-context.ts";

/**
 * Headers for every answer: no framing (clickjacking on Connect/Disconnect), no script at all, styles and
 * images only from known origins, forms only
 * to ourselves and GitHub, no referrer to other origins (so a URL never leaks; same-origin keeps the
 * Origin header our CSRF check reads), no caching.
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const github = c.get("config").githubWebUrl;
    // Images only from GitHub's avatar host and the one platform-account avatar origin a page shows,
    // not `https:`; styles only from our own stylesheet (no inline style could restyle what a page says).
    const images = new Set([new URL(githubAvatarBase(github)).origin]);
    const avatar = c.get("avatarOrigin");
    if (avatar !== undefined) images.add(avatar);
    c.header(
      "content-security-policy",
      [
        "default-src 'none'",
        "style-src 'self'",
        `img-src ${[...images].join(" ")}`,
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
