/**
 * `GET /avatars/u/{id}`: the account's avatar image, so pages that show GitHub avatars (gitcred's
 * settings page) load one locally. GitHub serves these from `https://avatars.githubusercontent.com/u/<id>`
 * (GHES from `<host>/avatars/u/<id>`); the simulator serves them on its own origin, which is what its
 * `avatar_url` fields say. The image is a small SVG: a colour chosen by the id and the login's initial.
 * Unknown ids answer 404 (GitHub answers a default image; a 404 lets tests see a page's fallback), and
 * faults on this route (`GET /avatars/u/{id}`) make an avatar fail to load.
 */
import type { Hono } from "hono";
import type { SimEnv } from "../context.ts";

const COLOURS = ["#1f6feb", "#8250df", "#bf3989", "#cf222e", "#bc4c00", "#4d2d00", "#1a7f37", "#0969da"];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The avatar of `login`: deterministic, so screenshots of a page do not change between runs. */
function avatarSvg(id: number, login: string): string {
  const colour = COLOURS[id % COLOURS.length] ?? "#1f6feb";
  const initial = escapeXml((login[0] ?? "?").toUpperCase());
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">',
    `<rect width="96" height="96" fill="${colour}"/>`,
    '<circle cx="48" cy="38" r="18" fill="#ffffff" fill-opacity=".85"/>',
    '<path d="M16 96c4-22 18-32 32-32s28 10 32 32z" fill="#ffffff" fill-opacity=".85"/>',
    `<text x="48" y="45" font-family="sans-serif" font-size="20" text-anchor="middle" fill="${colour}">${initial}</text>`,
    "</svg>",
  ].join("");
}

/** Registers the route on `app`. */
export function registerAvatarRoutes(app: Hono<SimEnv>): void {
  app.get("/avatars/u/:id", (c) => {
    const id = Number(c.req.param("id"));
    const account = Number.isSafeInteger(id) ? c.env.store.accounts.get(id) : undefined;
    if (account === undefined) return c.text("Not Found", 404);
    return new Response(avatarSvg(account.id, account.login), {
      headers: {
        "content-type": "image/svg+xml",
        "cache-control": "max-age=300",
        "x-content-type-options": "nosniff",
      },
    });
  });
}
