import { type Context, Hono } from "hono";
import { setCookie } from "hono/cookie";
import { PAGE_SESSION_TTL_SECONDS, SESSION_COOKIE, startPageSession } from "../page-session.ts";
import { avatarOrigin } from "../platform-account.ts";
import { previewSettingsLink } from "../preview-settings-link.ts";
import { type AppEnv, database } from "../request-context.ts";
import { redeemSettingsLink } from "../settings-link.ts";
import { LinkInterstitialPage, LinkRefusedPage } from "../views/link-interstitial.tsx";
import { SignedOutPage } from "../views/settings-page.tsx";
import { readForm } from "./read-form.ts";

/**
 * GET or HEAD `/settings?s=<id>`: the interstitial naming the link's platform account, with a POST
 * button. It reads the link and nothing more — no redemption, no cookie (not even a cleared one) — so a
 * link-preview scanner cannot spend it, and a person who opens someone else's link gets no session.
 */
export async function showLinkInterstitial(c: Context<AppEnv>, linkId: string): Promise<Response> {
  const preview = await previewSettingsLink(database(c).db, linkId);
  if (!preview.ok) {
    c.get("log").info("refused a settings link (unknown, expired or used)");
    return c.html(<SignedOutPage />, 401);
  }
  c.set("avatarOrigin", avatarOrigin(preview.account));
  return c.html(
    <LinkInterstitialPage account={preview.account} linkId={linkId} expiresAt={preview.expiresAt} />,
  );
}

/**
 * Whether the redemption POST came from our own page. The link's holder may be the attacker (they sent
 * it), so no token in the form could be secret from them; what they cannot forge is the browser's
 * `Origin` (and `Sec-Fetch-Site`): another site's auto-submitting form carries its own, or `null`. So
 * unlike the other POSTs, a missing Origin is refused here too.
 */
function fromOurOwnPage(c: Context<AppEnv>): boolean {
  const site = c.req.header("sec-fetch-site");
  return (
    c.req.header("origin") === c.get("config").publicUrl && (site === undefined || site === "same-origin")
  );
}

export const settingsLinkRoutes = new Hono<AppEnv>();

/**
 * The interstitial's POST: spends the link (once, `DELETE ... RETURNING`), starts the page session for
 * the link's person and platform account, and redirects to `/settings`, so the id leaves the address bar.
 */
settingsLinkRoutes.post("/settings/link", async (c) => {
  if (!fromOurOwnPage(c)) {
    c.get("log").warn("refused a settings-link redemption from another origin");
    return c.html(<LinkRefusedPage />, 403);
  }
  // Capped: anyone can POST here without a session, so an unbounded read would buffer whatever they send.
  const read = await readForm(c);
  if (!read.ok) return c.text("Request too large.", 413);
  const linkId = read.form.s ?? "";
  const redeemed = await redeemSettingsLink(database(c).db, linkId);
  if (!redeemed.ok) {
    c.get("log").info("refused a settings link (unknown, expired or used)");
    return c.html(<SignedOutPage />, 401);
  }
  const { cookieValue } = await startPageSession(
    c.env.PAGE_SESSIONS,
    redeemed.userId,
    redeemed.returnTo,
    redeemed.tenantId,
    redeemed.account,
  );
  // Secure always (the `__Host-` prefix requires it): browsers keep Secure cookies on http://127.0.0.1.
  setCookie(c, SESSION_COOKIE, cookieValue, {
    path: "/",
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    maxAge: PAGE_SESSION_TTL_SECONDS,
  });
  return c.redirect("/settings", 303);
});
