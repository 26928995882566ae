import { errorFields } from "@gitcred/utils";
import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { SESSION_COOKIE } from "../page-session.ts";
import { avatarOrigin } from "../platform-account.ts";
import type { AppEnv } from "../request-context.ts";
import { DataDeletedPage } from "../views/data-deleted-page.tsx";
import { backTo } from "./back-to.ts";
import { guardPost } from "./page-guard.ts";

export const accountActionRoutes = new Hono<AppEnv>();

/**
 * Ends every live agent session of the page's person (`endSessionsForUser`): their credentials are
 * forgotten and their secrets stop working. The user id is the page session's, never the form's.
 */
accountActionRoutes.post("/settings/end-sessions", async (c) => {
  const guard = await guardPost(c);
  if (!guard.ok) return guard.response;
  const result = await c.env.SESSION.endSessionsForUser({ userId: guard.session.userId }).catch(
    (error: unknown) => {
      c.get("log").error("endSessionsForUser failed", { error: errorFields(error) });
      return { ok: false } as const;
    },
  );
  if (!result.ok) return c.redirect(backTo("/settings", "sessions_end_failed"), 303);
  c.get("log").info("sessions ended from the settings page", { ended: result.ended });
  return c.redirect(backTo("/settings", "sessions_ended"), 303);
});

/**
 * "Delete my data" for the page's own person: their sessions end first (else a running one would keep
 * its credential until it expires), then git-token erases them (`deleteMyData`, the connect backend's
 * narrow form of the operator's `deleteUserData`). The erasure marks this page session dead, so the
 * answer is the final page itself, with the cookie cleared.
 */
accountActionRoutes.post("/settings/delete-data", async (c) => {
  const guard = await guardPost(c);
  if (!guard.ok) return guard.response;
  const { userId, account } = guard.session;
  const ended = await c.env.SESSION.endSessionsForUser({ userId }).catch((error: unknown) => {
    c.get("log").error("endSessionsForUser failed", { error: errorFields(error) });
    return { ok: false } as const;
  });
  const result = await c.env.GIT_TOKEN.deleteMyData({ userId }).catch((error: unknown) => {
    c.get("log").error("deleteMyData failed", { error: errorFields(error) });
    return { ok: false } as const;
  });
  if (!result.ok) return c.redirect(backTo("/settings", "delete_failed"), 303);
  c.get("log").info("data deleted from the settings page");
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
  c.set("avatarOrigin", avatarOrigin(account));
  return c.html(
    <DataDeletedPage account={account} result={result} sessionsEnded={ended.ok ? ended.ended : undefined} />,
  );
});
