/**
 * The settings page's new reads and actions inside workerd, against the real git-token and session
 * workers, Postgres and the simulator: the activity is the person's own and paged, shows no secret;
 * the coverage is the tenant's own; every action POST is CSRF-checked; end-sessions and delete-my-data
 * do what their confirmation pages say.
 */
import { env } from "cloudflare:workers";
import type { ActivityEvent } from "@gitcred/client";
import { addInstallationRepository, claimInstallation, openDatabase, upsertInstallation } from "@gitcred/db";
import { afterAll, describe, expect, it } from "vitest";
import { callAnyway } from "../../../test-support/workerd/rpc-surface.ts";
import { Browser, ORIGIN } from "./browser.ts";
import {
  connectService,
  connectThroughBrowser,
  gitToken,
  seedPerson,
  signedInBrowser,
  sim,
  unique,
} from "./helpers.ts";

const handle = openDatabase(env);
afterAll(() => handle.close());

/** Token shapes GitHub issues (classic and fine-grained user, installation, refresh, OAuth). */
const TOKEN_SHAPED = /\b(gh[opusr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{16,})/;

/** A connected person with a repository they can push to. */
async function connectedPerson() {
  const person = await seedPerson();
  const repo = unique("repo");
  await sim.seedRepo({ owner: person.login, name: repo });
  // A GitHub App's user token reaches only repositories the App is installed on.
  await sim.seedInstallation({
    app: Number(env.GITHUB_APP_ID),
    account: person.login,
    repositories: [repo],
    webhook: false,
  });
  const browser = await signedInBrowser(person.userId);
  expect(await connectThroughBrowser(browser, person.login)).toBe("/settings?github=connected");
  return { ...person, repo, browser };
}

/** A session of `userId` on their repository, prepared now (git-token hands it the person's token). */
async function sessionOf(person: { userId: string; login: string; repo: string }): Promise<string> {
  const sessionId = unique("sess");
  const prepared = await env.SESSION_PLATFORM.prepareSession({
    sessionId,
    userId: person.userId,
    owner: person.login,
    repo: person.repo,
    mode: "now",
  });
  if (!prepared.ok) throw new Error(`prepareSession: ${prepared.reason}`);
  const credentials = await env.SESSION_PLATFORM.getGitCredentials({ sessionId, userId: person.userId });
  expect(credentials).toMatchObject({ ok: true, identity: "user" });
  return sessionId;
}

async function handOuts(userId: string): Promise<ActivityEvent[]> {
  const listed = await gitToken().listActivity({ userId, limit: 50 });
  if (!listed.ok) throw new Error(listed.reason);
  return listed.events.filter((e) => e.kind === "credential_handed_out");
}

describe("what agents did as you", () => {
  it("lists the person's own hand-outs (repository, session, identity), newest first, paged, with no secret", async () => {
    const a = await connectedPerson();
    const b = await connectedPerson();
    const sessionsOfA = [await sessionOf(a), await sessionOf(a), await sessionOf(a)];
    const sessionOfB = await sessionOf(b);

    const mine = await handOuts(a.userId);
    expect(new Set(mine.map((e) => e.sessionId))).toEqual(new Set(sessionsOfA));
    for (const event of mine) {
      expect(event).toMatchObject({ repository: `${a.login}/${a.repo}`, identity: "user", access: "write" });
      expect(event.caller).toBe("gitcred-session");
    }
    expect(JSON.stringify(mine)).not.toContain(sessionOfB);

    // Pages of two: no event twice, none skipped, the cursor moves only within A's events.
    const all = await gitToken().listActivity({ userId: a.userId, limit: 50 });
    if (!all.ok) throw new Error(all.reason);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await gitToken().listActivity({
        userId: a.userId,
        limit: 2,
        ...(cursor === undefined ? {} : { cursor }),
      });
      if (!page.ok) throw new Error(page.reason);
      expect(page.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(all.events.map((e) => e.id));
    expect([...seen].sort((x, y) => Number(y) - Number(x))).toEqual(seen);

    // The page shows A's sessions and none of B's, and nothing token-shaped.
    const { status, html } = await a.browser.page("/settings");
    expect(status).toBe(200);
    for (const id of sessionsOfA) expect(html).toContain(id);
    expect(html).not.toContain(sessionOfB);
    expect(html).not.toMatch(TOKEN_SHAPED);
    expect(JSON.stringify(all)).not.toMatch(TOKEN_SHAPED);
    for (const { token } of await sim.issuedTokens()) expect(html).not.toContain(token);
  });

  it("an older page is a link; a cursor that is not one shows the newest page; bad inputs are refused", async () => {
    const a = await connectedPerson();
    for (let i = 0; i < 22; i++) await sessionOf(a);
    const first = await a.browser.page("/settings");
    const older = /href="\/settings\?activity=(\d+)#activity-title"/.exec(first.html)?.[1];
    expect(older).toBeDefined();
    const second = await a.browser.page(`/settings?activity=${older}`);
    expect(second.html).toContain("Newest activity");
    const firstIds = [...first.html.matchAll(/data-activity-id="(\d+)"/g)].map((m) => m[1]);
    const secondIds = [...second.html.matchAll(/data-activity-id="(\d+)"/g)].map((m) => m[1]);
    expect(firstIds).toHaveLength(20);
    expect(secondIds.length).toBeGreaterThan(0);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
    const junk = await a.browser.page("/settings?activity=1%20OR%201=1");
    expect([...junk.html.matchAll(/data-activity-id="(\d+)"/g)].map((m) => m[1])).toEqual(firstIds);

    expect(await gitToken().listActivity({ userId: a.userId, cursor: "abc" })).toMatchObject({
      ok: false,
      reason: "invalid_request",
    });
    expect(await gitToken().listActivity({ userId: a.userId, limit: 51 })).toMatchObject({
      ok: false,
      reason: "invalid_request",
    });
    expect(await gitToken().listActivity({ userId: "" })).toMatchObject({
      ok: false,
      reason: "invalid_request",
    });
  });
});

describe("pushes through the git proxy", () => {
  it("lists a push and a refused push with their refs, identity and session; nothing token-shaped", async () => {
    const a = await connectedPerson();
    const sessionId = await sessionOf(a);
    const head = "1a2b3c4d5e".repeat(4);
    // What the session worker's git proxy sends after a grant (its binding, GitTokenSessionAudit).
    const pushed = await env.GIT_TOKEN_AUDIT.recordGitPush({
      userId: a.userId,
      sessionId,
      owner: a.login,
      repo: a.repo,
      identity: "app",
      refs: [{ ref: "refs/heads/agent/fix", oldId: "0".repeat(40), newId: head }],
    });
    expect(pushed).toEqual({ ok: true, event: "git_push" });
    const refused = await env.GIT_TOKEN_AUDIT.recordGitPush({
      userId: a.userId,
      sessionId,
      owner: a.login,
      repo: a.repo,
      identity: "user",
      refs: [{ ref: "refs/heads/main", oldId: head, newId: "f".repeat(40) }],
      refused: { reason: "branch_policy" },
    });
    expect(refused).toEqual({ ok: true, event: "git_push_refused" });

    const { status, html } = await a.browser.page("/settings");
    expect(status).toBe(200);
    const entry = (kind: string) =>
      new RegExp(`<li data-activity="${kind}"[^>]*>([\\s\\S]*?)</ul></li>`).exec(html)?.[1] ?? "";
    const push = entry("git_push");
    expect(push).toContain("An agent session pushed");
    expect(push).toContain(`<code data-activity-repository="true">${a.login}/${a.repo}</code>`);
    expect(push).toContain('data-activity-identity="app"');
    expect(push).toContain(sessionId);
    expect(push).toMatch(/data-activity-ref="refs\/heads\/agent\/fix" data-activity-ref-action="create"/);
    expect(push).toContain(head.slice(0, 12));
    const no = entry("git_push_refused");
    expect(no).toContain("Push refused by the session");
    expect(no).toContain("reason: branch policy");
    expect(no).toMatch(/data-activity-ref="refs\/heads\/main" data-activity-ref-action="update"/);
    expect(no).toContain('data-activity-identity="user"');
    expect(html).not.toMatch(TOKEN_SHAPED);
    for (const { token } of await sim.issuedTokens()) expect(html).not.toContain(token);
  });
});

describe("where agents can work", () => {
  it("lists the tenant's own installations with what each covers, and says when one is suspended", async () => {
    const person = await seedPerson();
    const tenantId = unique("tenant");
    const org = unique("org");
    await sim.seedOrg({ login: org });
    const installationId = 900_000_000 + Math.floor(Math.random() * 99_999_999);
    await upsertInstallation(handle.db, {
      installationId,
      accountLogin: org,
      accountId: installationId,
      accountType: "Organization",
      repositorySelection: "selected",
      suspendedAt: new Date(),
    });
    await addInstallationRepository(handle.db, installationId, installationId + 1, `${org}/Widgets`);
    await addInstallationRepository(handle.db, installationId, installationId + 2, `${org}/gadgets`);
    await claimInstallation(handle.db, { tenantId, installationId, via: "grant" });

    const coverage = await gitToken().listInstallationCoverage({ tenantId });
    expect(coverage).toMatchObject({
      ok: true,
      installations: [
        {
          installationId,
          accountLogin: org,
          accountType: "Organization",
          repositorySelection: "selected",
          repositories: [`${org}/gadgets`.toLowerCase(), `${org}/widgets`.toLowerCase()],
          repositoriesTruncated: false,
          suspendedAt: expect.any(String),
          via: "grant",
        },
      ],
    });
    expect(await gitToken().listInstallationCoverage({ tenantId: unique("other") })).toEqual({
      ok: true,
      installations: [],
    });

    const link = await connectService().createSettingsLink({
      userId: person.userId,
      tenantId,
    });
    if (!link.ok) throw new Error(link.reason);
    const browser = new Browser();
    await browser.openLink(link.url);
    const { html } = await browser.page("/settings");
    expect(html).toContain(`data-installation-id="${installationId}"`);
    expect(html).toContain(`data-repository="${org.toLowerCase()}/widgets"`);
    expect(html).toContain("data-suspended");
  });
});

describe("account actions", () => {
  it("each confirmation page is a GET that changes nothing; unknown actions 404; no session, no page", async () => {
    const a = await connectedPerson();
    for (const [action, target] of [
      ["disconnect", "/github/disconnect"],
      ["reconnect", "/github/connect"],
      ["end-sessions", "/settings/end-sessions"],
      ["delete-data", "/settings/delete-data"],
    ] as const) {
      const { status, html } = await a.browser.page(`/settings/confirm/${action}`);
      expect(status).toBe(200);
      expect(html).toContain(`action="${target}"`);
      expect(html).toMatch(/name="csrf" value="[^"]+"/);
    }
    expect(await gitToken().getConnection({ userId: a.userId })).toMatchObject({ connected: true });
    expect((await a.browser.page("/settings/confirm/everything")).status).toBe(404);
    expect((await new Browser().request("/settings/confirm/disconnect")).status).toBe(303);
  });

  it("end-sessions and delete-data refuse a POST without the session's CSRF token or from another origin", async () => {
    const a = await connectedPerson();
    const sessionId = await sessionOf(a);
    const csrf = await a.browser.csrf();
    for (const path of ["/settings/end-sessions", "/settings/delete-data"]) {
      for (const [form, headers] of [
        [{}, { origin: ORIGIN }],
        [{ csrf: "x".repeat(32) }, { origin: ORIGIN }],
        [{ csrf }, { origin: "https://evil.example" }],
      ] as const) {
        const res = await a.browser.post(path, form, headers);
        expect(res.status, path).toBe(303);
        expect(res.headers.get("location")).toBe("/settings?github=csrf");
      }
    }
    // Nothing happened: the session still hands out credentials, the connection is still there.
    expect(await env.SESSION_PLATFORM.getGitCredentials({ sessionId, userId: a.userId })).toMatchObject({
      ok: true,
    });
    expect(await gitToken().getConnection({ userId: a.userId })).toMatchObject({ connected: true });
  });

  it("end-sessions ends every live session of the person (and no one else's)", async () => {
    const a = await connectedPerson();
    const b = await connectedPerson();
    const mine = [await sessionOf(a), await sessionOf(a)];
    const theirs = await sessionOf(b);
    const res = await a.browser.post("/settings/end-sessions", { csrf: await a.browser.csrf() });
    expect(res.headers.get("location")).toBe("/settings?github=sessions_ended");
    for (const sessionId of mine) {
      expect(await env.SESSION_PLATFORM.getGitCredentials({ sessionId, userId: a.userId })).toMatchObject({
        ok: false,
      });
    }
    expect(
      await env.SESSION_PLATFORM.getGitCredentials({ sessionId: theirs, userId: b.userId }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("the connect worker's own session binding ends sessions but can neither prepare one nor read credentials", async () => {
    // The connect worker parses the Internet's input: were its binding SessionService, one bug in it
    // would hand out any person's token. It is SessionConnect (wrangler.toml), which has no such method.
    const a = await connectedPerson();
    const sessionId = await sessionOf(a);
    await expect(
      callAnyway(env.SESSION, "getGitCredentials", { sessionId, userId: a.userId }),
    ).rejects.toThrow(/does not implement/);
    await expect(
      callAnyway(env.SESSION, "prepareSession", {
        sessionId: unique("sess"),
        userId: a.userId,
        owner: a.login,
        repo: a.repo,
        mode: "now",
      }),
    ).rejects.toThrow(/does not implement/);
    await expect(callAnyway(env.SESSION, "getSession", { sessionId, userId: a.userId })).rejects.toThrow(
      /does not implement/,
    );
    expect(await env.SESSION.endSessionsForUser({ userId: a.userId })).toEqual({ ok: true, ended: 1 });
  });

  it("delete-data ends the sessions, erases the person and signs the page out", async () => {
    const a = await connectedPerson();
    const sessionId = await sessionOf(a);
    const res = await a.browser.post("/settings/delete-data", { csrf: await a.browser.csrf() });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Your data is deleted");
    expect(html).toContain("1 active agent session was ended.");
    expect(html).not.toMatch(TOKEN_SHAPED);
    expect(a.browser.hasSession()).toBe(false);
    expect(await gitToken().getConnection({ userId: a.userId })).toEqual({ ok: true, connected: false });
    expect(await gitToken().listActivity({ userId: a.userId })).toEqual({ ok: true, events: [] });
    expect(await env.SESSION_PLATFORM.getGitCredentials({ sessionId, userId: a.userId })).toMatchObject({
      ok: false,
    });
    expect((await sim.grants()).some((g) => g.userId === a.githubUserId)).toBe(false);
  });
});

describe("the page's headers and stylesheet", () => {
  it("CSP: styles from our origin only, images from GitHub's avatar host only; the stylesheet is served", async () => {
    const a = await connectedPerson();
    const res = await a.browser.request("/settings");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain(`img-src ${new URL(env.GITHUB_WEB_URL).origin}`);
    const html = await res.text();
    expect(html).toContain(`src="${env.GITHUB_WEB_URL}/avatars/u/${a.githubUserId}?v=4"`);
    expect(html).not.toContain("<style");
    expect(html).not.toContain("style=");
    const css = await new Browser().request("/assets/settings.css");
    expect(css.headers.get("content-type")).toContain("text/css");
    expect(await css.text()).toContain("prefers-color-scheme: dark");
  });
});
