import type { ClaimInstallationAsUserResult } from "@gitcred/client";
import { appInstallUrl } from "@gitcred/github";
import { Hono } from "hono";
import { consumeInstallState, createInstallState } from "../install-state.ts";
import { type AppEnv, database } from "../request-context.ts";
import { safeReturnPath } from "../safe-return-path.ts";
import type { NoticeCode } from "../views/notices.ts";
import { backTo } from "./back-to.ts";
import { readLivePageSession } from "./live-page-session.ts";
import { guardPost } from "./page-guard.ts";

const INSTALLATION_ID = /^[1-9][0-9]{0,15}$/;

function claimOutcome(result: ClaimInstallationAsUserResult): NoticeCode {
  if (result.ok) return "installation_claimed";
  switch (result.reason) {
    case "installation_not_visible":
      return "installation_not_visible";
    case "not_connected":
    case "reconnect_required":
      return "install_needs_connection";
    case "disabled":
      return "install_not_configured";
    case "github_unavailable":
    case "rate_limited":
      return "github_unavailable";
    case "database_unavailable":
    case "busy":
      return "try_again";
    default:
      return "error";
  }
}

export const installRoutes = new Hono<AppEnv>();

/**
 * Starts the install flow from the settings page (a CSRF-checked POST): a single-use state bound to this
 * browser, this person and the page's tenant, then GitHub's install page for the App.
 */
installRoutes.post("/github/install", async (c) => {
  const guard = await guardPost(c);
  if (!guard.ok) return guard.response;
  const config = c.get("config");
  if (config.appSlug === "") return c.redirect(backTo("/settings", "install_not_configured"), 303);
  const state = await createInstallState(database(c).db, {
    userId: guard.session.userId,
    tenantId: guard.session.tenantId,
    browserBinding: guard.session.browserBinding,
    returnTo: safeReturnPath(guard.session.returnTo),
  });
  // GHES serves the install page at /github-apps/<slug>, github.com at /apps/<slug> (appInstallUrl).
  const install = appInstallUrl({ apiUrl: config.githubApiUrl, webUrl: config.githubWebUrl }, config.appSlug);
  install.searchParams.set("state", state);
  c.get("log").info("install flow started", { tenantId: guard.session.tenantId });
  return c.redirect(install.toString(), 303);
});

/**
 * The App's Setup URL: GitHub returns here with `installation_id`, `setup_action` and our `state`. The
 * state is consumed first, whatever else the request says, so it is never replayable; it must come back
 * to the browser and person that started it. Only then does git-token check, with the person's own
 * token, that they can see the installation, and record the claim. An install started on GitHub itself
 * (no state) claims nothing.
 */
installRoutes.get("/github/setup", async (c) => {
  const log = c.get("log");
  const state = c.req.query("state");
  if (state === undefined || state === "") {
    log.warn("refused a Setup URL callback", { reason: "no_state" });
    return c.redirect(backTo("/settings", "install_state_invalid"), 303);
  }
  const session = await readLivePageSession(c);
  const consumed = await consumeInstallState(database(c).db, {
    state,
    browserBinding: session?.browserBinding,
  });
  if (!consumed.ok || session === undefined || session.userId !== consumed.userId) {
    log.warn("refused a Setup URL callback", { reason: consumed.ok ? "other_person" : consumed.reason });
    return c.redirect(backTo("/settings", "install_state_invalid"), 303);
  }
  const installationId = c.req.query("installation_id");
  if (installationId === undefined || !INSTALLATION_ID.test(installationId)) {
    log.info("install flow ended without an installation");
    return c.redirect(backTo(consumed.returnTo, "install_cancelled"), 303);
  }
  const result = await c.env.GIT_TOKEN.claimInstallationAsUser({
    userId: consumed.userId,
    tenantId: consumed.tenantId,
    installationId: Number(installationId),
  });
  const outcome = claimOutcome(result);
  log.info("install flow finished", {
    outcome,
    setupAction: c.req.query("setup_action") === "update" ? "update" : "install",
  });
  return c.redirect(backTo(consumed.returnTo, outcome), 303);
});
