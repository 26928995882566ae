import { errorFields } from "@gitcred/utils";
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { DeviceView } from "../device/types.ts";
import {
  PAGE_SESSION_TTL_SECONDS,
  readPageSession,
  SESSION_COOKIE,
  startPageSession,
} from "../page-session.ts";
import { type AppEnv, database } from "../request-context.ts";
import { redeemSettingsLink } from "../settings-link.ts";
import { isNoticeCode, type NoticeCode } from "../views/notices.ts";
import { SettingsPage, SignedOutPage } from "../views/settings-page.tsx";

export const DEVICE_HANDLE = /^[A-Za-z0-9_-]{32,64}$/;

function signedOut(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  return c.html(<SignedOutPage />, 401);
}

async function loadDevice(
  c: Context<AppEnv>,
  userId: string,
): Promise<{ handle: string; view: DeviceView } | undefined> {
  const handle = c.req.query("device");
  if (handle === undefined || !DEVICE_HANDLE.test(handle)) return undefined;
  const stub = c.env.DEVICE_AUTHORIZATIONS.get(c.env.DEVICE_AUTHORIZATIONS.idFromName(handle));
  const view = await stub.status(userId);
  return view === undefined ? undefined : { handle, view };
}

function deviceNotice(view: DeviceView | undefined): NoticeCode | undefined {
  switch (view?.status) {
    case "connected":
      return "connected";
    case "denied":
      return "device_denied";
    case "expired":
      return "device_expired";
    case "failed":
      return isNoticeCode(view.failureReason) ? view.failureReason : "error";
    default:
      return undefined;
  }
}

export const settingsRoutes = new Hono<AppEnv>();

/**
 * `/settings?s=<link id>` trades a single-use settings link for a session cookie and redirects to
 * `/settings`, so the id never stays in the address bar, history or a Referer. Plain `/settings` shows
 * the page for the session's person.
 */
settingsRoutes.get("/settings", async (c) => {
  const linkId = c.req.query("s");
  if (linkId !== undefined) {
    const redeemed = await redeemSettingsLink(database(c).db, linkId);
    if (!redeemed.ok) {
      c.get("log").info("refused a settings link (unknown, expired or used)");
      return signedOut(c);
    }
    const { cookieValue } = await startPageSession(
      c.env.PAGE_SESSIONS,
      redeemed.userId,
      redeemed.returnTo,
      redeemed.tenantId,
    );
    setCookie(c, SESSION_COOKIE, cookieValue, {
      path: "/",
      httpOnly: true,
      secure: c.get("config").secureCookies,
      sameSite: "Lax",
      maxAge: PAGE_SESSION_TTL_SECONDS,
    });
    return c.redirect("/settings", 303);
  }

  const session = await readPageSession(c.env.PAGE_SESSIONS, getCookie(c, SESSION_COOKIE));
  if (session === undefined) return signedOut(c);
  const config = c.get("config");
  const [connection, device, claims] = await Promise.all([
    c.env.GIT_TOKEN.getConnection({ userId: session.userId }).catch((error: unknown): { ok: false } => {
      c.get("log").error("getConnection failed", { error: errorFields(error) });
      return { ok: false };
    }),
    loadDevice(c, session.userId),
    c.env.GIT_TOKEN.listInstallationGrants({ tenantId: session.tenantId }).then(
      (result) => (result.ok ? result.claims : undefined),
      (error: unknown) => {
        c.get("log").error("listInstallationGrants failed", { error: errorFields(error) });
        return undefined;
      },
    ),
  ]);
  const queryNotice = c.req.query("github");
  const notice = deviceNotice(device?.view) ?? (isNoticeCode(queryNotice) ? queryNotice : undefined);
  return c.html(
    <SettingsPage
      connection={connection}
      csrfToken={session.csrfToken}
      userTokensEnabled={config.userTokensEnabled}
      githubWebUrl={config.githubWebUrl}
      claims={claims}
      installEnabled={config.appSlug !== "" && config.userTokensEnabled}
      {...(notice === undefined ? {} : { notice })}
      {...(device === undefined ? {} : { device })}
    />,
  );
});
