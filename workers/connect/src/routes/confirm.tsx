import { Hono } from "hono";
import { avatarOrigin } from "../platform-account.ts";
import type { AppEnv } from "../request-context.ts";
import { ConfirmPage, isAccountAction } from "../views/confirm-page.tsx";
import { readLivePageSession } from "./live-page-session.ts";

export const confirmRoutes = new Hono<AppEnv>();

/**
 * `GET /settings/confirm/<action>`: the confirmation page of a settings action. A GET changes nothing
 * (a link preview or a prefetch cannot disconnect anyone); the page's form is the CSRF-checked POST.
 */
confirmRoutes.get("/settings/confirm/:action", async (c) => {
  const action = c.req.param("action");
  if (!isAccountAction(action)) return c.text("Not found", 404);
  const session = await readLivePageSession(c);
  if (session === undefined) return c.redirect("/settings", 303);
  c.set("avatarOrigin", avatarOrigin(session.account));
  return c.html(<ConfirmPage action={action} account={session.account} csrfToken={session.csrfToken} />);
});
