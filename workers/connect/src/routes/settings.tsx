import { errorFields } from "@gitcred/utils";
import { type Context, Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { readDeviceConnection } from "../device/read-device-connection.ts";
import type { DeviceView } from "../device/types.ts";
import { githubAvatarBase } from "../github-avatar-base.ts";
import { SESSION_COOKIE } from "../page-session.ts";
import { avatarOrigin } from "../platform-account.ts";
import { type AppEnv, database } from "../request-context.ts";
import { isNoticeCode, type NoticeCode } from "../views/notices.ts";
import { SettingsPage, SignedOutPage } from "../views/settings-page.tsx";
import { readLivePageSession } from "./live-page-session.ts";
import { showLinkInterstitial } from "./settings-link.tsx";

export const DEVICE_HANDLE = /^[A-Za-z0-9_-]{32,64}$/;
/** An activity page cursor as listActivity returns them (an event id); anything else shows the newest. */
const ACTIVITY_CURSOR = /^[1-9][0-9]{0,15}$/;

function signedOut(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
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
 * `/settings?s=<link id>` shows the link's interstitial and redeems nothing (its POST does, in
 * `settings-link.tsx`). Plain `/settings` shows the page for the session's person and platform account.
 */
settingsRoutes.get("/settings", async (c) => {
  const linkId = c.req.query("s");
  if (linkId !== undefined) return showLinkInterstitial(c, linkId);

  const session = await readLivePageSession(c);
  if (session === undefined) return signedOut(c);
  const config = c.get("config");
  const cursor = c.req.query("activity");
  const activityCursor = cursor !== undefined && ACTIVITY_CURSOR.test(cursor) ? cursor : undefined;
  const [connection, device, installations, activity] = await Promise.all([
    c.env.GIT_TOKEN.getConnection({ userId: session.userId }).catch((error: unknown): { ok: false } => {
      c.get("log").error("getConnection failed", { error: errorFields(error) });
      return { ok: false };
    }),
    loadDevice(c, session.userId),
    c.env.GIT_TOKEN.listInstallationCoverage({ tenantId: session.tenantId }).then(
      (result) => (result.ok ? result.installations : undefined),
      (error: unknown) => {
        c.get("log").error("listInstallationCoverage failed", { error: errorFields(error) });
        return undefined;
      },
    ),
    // Only the page session's own person: the user id comes from the session, never from the request.
    c.env.GIT_TOKEN.listActivity({
      userId: session.userId,
      ...(activityCursor === undefined ? {} : { cursor: activityCursor }),
    }).then(
      (result) => (result.ok ? result : undefined),
      (error: unknown) => {
        c.get("log").error("listActivity failed", { error: errorFields(error) });
        return undefined;
      },
    ),
  ]);
  const connectedLogin = connection.ok && connection.connected ? connection.login : undefined;
  const deviceConnection = await readDeviceConnection(database(c).db, session.userId, connectedLogin).catch(
    (error: unknown) => {
      // Only a line of the page: the rest of it still shows.
      c.get("log").warn("readDeviceConnection failed", { error: errorFields(error) });
      return undefined;
    },
  );
  c.set("avatarOrigin", avatarOrigin(session.account));
  const queryNotice = c.req.query("github");
  const notice = deviceNotice(device?.view) ?? (isNoticeCode(queryNotice) ? queryNotice : undefined);
  return c.html(
    <SettingsPage
      account={session.account}
      connection={connection}
      deviceConnection={deviceConnection}
      csrfToken={session.csrfToken}
      userTokensEnabled={config.userTokensEnabled}
      githubWebUrl={config.githubWebUrl}
      avatarBase={githubAvatarBase(config.githubWebUrl)}
      installations={installations}
      installEnabled={config.appSlug !== "" && config.userTokensEnabled}
      activity={activity}
      activityPaged={activityCursor !== undefined}
      {...(notice === undefined ? {} : { notice })}
      {...(device === undefined ? {} : { device })}
    />,
  );
});
