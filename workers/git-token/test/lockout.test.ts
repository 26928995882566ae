/**
 * GitHub's failed login limit and the refresh cap (#15 §5), against the simulator, counting its calls:
 * a token GitHub called dead is never sent again (had it been, the person's refusals would lock them
 * out); a lockout caused elsewhere answers `rate_limited` with a wait and no further GitHub call until
 * that wait has passed on git-token's clock (injected here); the 31st refresh of a person within an hour
 * is refused by their UserTokenRefresher without a call to GitHub's token endpoint.
 */
import { env } from "cloudflare:workers";
import { sha256Hex } from "@gitcred/utils";
import { describe, expect, it } from "vitest";
import { createDeps } from "../src/deps.ts";
import { throughUserObject } from "../src/through-user-object.ts";
import { getUserTokenForRepo } from "../src/user/get-user-token-for-repo.ts";
import { REFRESH_ATTEMPTS_PER_HOUR } from "../src/user/take-refresh-attempt.ts";
import {
  authorizeAt,
  connect,
  expireAccessToken,
  issued,
  refreshThroughDurableObject,
  seedWorld,
  service,
  sim,
  tokenRow,
  unique,
} from "./helpers.ts";

/** Calls GitHub got with this token (the simulator logs a 12-hex fingerprint, never the token). */
async function callsWith(token: string): Promise<number> {
  const hash = (await sha256Hex(token)).slice(0, 12);
  return (await sim.calls()).filter((c) => c.auth.tokenHash === hash).length;
}

/** Git-token's logic on a clock the test moves (`clock.now`), with waits collected. */
function depsAt(clock: { now: number }) {
  const waits: Promise<unknown>[] = [];
  const handle = createDeps(env, {
    caller: "lockout-test",
    now: () => clock.now,
    waitUntil: (p) => void waits.push(p),
    ...throughUserObject(env.USER_TOKEN_REFRESHER, "lockout-test"),
  });
  return {
    deps: handle.deps,
    done: async () => {
      handle.finish();
      await Promise.allSettled(waits);
    },
  };
}

/** A second access token of the person (another authorization of the App), revoked at GitHub. */
async function deadTokenOf(login: string): Promise<string> {
  const { code, codeVerifier, redirectUri } = await authorizeAt(login);
  const res = await fetch(`${env.GITHUB_WEB_URL}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: env.GITHUB_CLIENT_ID,
      client_secret: env.GITHUB_CLIENT_SECRET,
      code,
      code_verifier: codeVerifier,
      redirect_uri: redirectUri,
    }),
  });
  const { access_token: token } = (await res.json()) as { access_token: string };
  await sim.revokeToken(token);
  return token;
}

describe("a token GitHub called dead", () => {
  it("is never sent again: one refusal, then reconnect_required from the row, and no lockout", async () => {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    const dead = (await issued({ kind: "user", userId: world.githubUserId })).at(-1)?.token ?? "";
    const atConnect = await callsWith(dead);
    await sim.revokeGrant(Number(env.GITHUB_APP_ID), world.login);
    const ask = () =>
      service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo: world.repos[0]! });

    expect(await ask()).toMatchObject({ ok: false, reason: "reconnect_required" });
    expect((await callsWith(dead)) - atConnect).toBe(1);
    // 25 more calls (past GitHub's failed-login threshold of 20): none reaches GitHub with the dead token.
    for (let i = 0; i < 25; i++) expect(await ask()).toMatchObject({ reason: "reconnect_required" });
    expect((await callsWith(dead)) - atConnect).toBe(1);

    // Had they been sent, GitHub would now refuse the person's new token too: it does not.
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    expect(await ask()).toMatchObject({ ok: true, access: "write" });
  });
});

describe("GitHub's failed login limit", () => {
  it("answers rate_limited with the wait, asks GitHub nothing until it passed, then asks once", async () => {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    const live = (await issued({ kind: "user", userId: world.githubUserId })).at(-1)?.token ?? "";
    const atConnect = await callsWith(live);
    // Something else (the person's own script) keeps sending a revoked token of theirs: GitHub locks
    // every authentication of the person out, their valid token too (20 refusals in a minute).
    const dead = await deadTokenOf(world.login);
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${env.GITHUB_API_URL}/user`, { headers: { authorization: `Bearer ${dead}` } });
      expect(res.status).toBe(401);
    }

    const clock = { now: Date.now() };
    const { deps, done } = depsAt(clock);
    const input = {
      userId: world.userId,
      owner: world.owner,
      repo: world.repos[0]!,
      access: "read" as const,
    };
    try {
      const locked = await getUserTokenForRepo(deps, input);
      expect(locked).toMatchObject({ ok: false, reason: "rate_limited", retryAfterSeconds: 300 });
      expect((await callsWith(live)) - atConnect).toBe(1);

      for (const step of [1, 60, 120]) {
        clock.now += step * 1000;
        const held = await getUserTokenForRepo(deps, input);
        expect(held).toMatchObject({ ok: false, reason: "rate_limited" });
        expect(held.ok ? 0 : held.retryAfterSeconds).toBeLessThanOrEqual(300 - step);
      }
      expect((await callsWith(live)) - atConnect).toBe(1);
      // The connection is not marked: a lockout is a wait, not a dead token.
      expect(await tokenRow(world.userId)).toMatchObject({ status: "active", version: 1 });

      // The wait is over on git-token's clock: GitHub is asked again, once (the simulator's own lockout,
      // on its clock, still holds, so the answer is the same wait again).
      clock.now += 300_000;
      expect(await getUserTokenForRepo(deps, input)).toMatchObject({ ok: false, reason: "rate_limited" });
      expect((await callsWith(live)) - atConnect).toBe(2);
    } finally {
      await done();
    }
  });
});

describe("the refresh cap", () => {
  it(`refuses refresh ${REFRESH_ATTEMPTS_PER_HOUR + 1} within an hour in the person's refresher, without GitHub`, async () => {
    const world = await seedWorld();
    const userId = unique("capped");
    expect(await connect(userId, world.login)).toMatchObject({ ok: true });
    for (let i = 1; i <= REFRESH_ATTEMPTS_PER_HOUR; i++) {
      await expireAccessToken(userId);
      expect(await refreshThroughDurableObject(userId)).toMatchObject({ ok: true });
    }
    const refreshes = await issued({ kind: "refresh", userId: world.githubUserId });
    const row = await tokenRow(userId);
    expect(row?.version).toBe(1 + REFRESH_ATTEMPTS_PER_HOUR);

    await expireAccessToken(userId);
    const refused = await refreshThroughDurableObject(userId);
    expect(refused).toMatchObject({ ok: false, reason: "rate_limited" });
    const wait = refused.ok ? 0 : (refused.retryAfterSeconds ?? 0);
    expect(wait).toBeGreaterThan(3000);
    expect(wait).toBeLessThanOrEqual(3600);
    // Nothing reached GitHub's token endpoint: no new pair issued, the row as it was.
    expect(await issued({ kind: "refresh", userId: world.githubUserId })).toHaveLength(refreshes.length);
    expect((await tokenRow(userId))?.version).toBe(row?.version);
    // The platform's call answers the same wait, and the connection stays active.
    const viaService = await service().getUserTokenForRepo({
      userId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(viaService).toMatchObject({ ok: false, reason: "rate_limited" });
    expect((await tokenRow(userId))?.status).toBe("active");
  });
});
