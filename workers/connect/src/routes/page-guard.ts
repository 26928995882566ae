import type { Context } from "hono";
import { csrfTokenMatches, type PageSession } from "../page-session.ts";
import type { AppEnv } from "../request-context.ts";
import { readLivePageSession } from "./live-page-session.ts";
import { readForm } from "./read-form.ts";

export type GuardResult = { ok: true; session: PageSession } | { ok: false; response: Response };

function sameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header("origin");
  // Browsers send Origin on POST; a missing one (old clients) is left to the CSRF token alone.
  return origin === undefined || origin === c.get("config").publicUrl;
}

/**
 * Every state-changing POST: a valid session cookie, our own Origin, and the session's CSRF token in the
 * form. SameSite=Lax already keeps the cookie off cross-site POSTs; this holds even without it.
 */
export async function guardPost(c: Context<AppEnv>): Promise<GuardResult> {
  const session = await readLivePageSession(c);
  if (session === undefined) return { ok: false, response: c.redirect("/settings", 303) };
  const read = await readForm(c);
  if (!read.ok) return { ok: false, response: c.text("Request too large.", 413) };
  const { form } = read;
  if (!sameOrigin(c) || !csrfTokenMatches(session, form.csrf)) {
    c.get("log").warn("refused a POST without a valid CSRF token");
    return { ok: false, response: c.redirect("/settings?github=csrf", 303) };
  }
  return { ok: true, session };
}
