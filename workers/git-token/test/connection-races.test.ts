/**
 * A person's connect and disconnect racing, run for real (concurrent calls through GitTokenService, the
 * simulator as GitHub). A disconnect revokes the person's whole grant at GitHub, so a connect whose token
 * was issued under that grant must never end up stored as `active` with a token GitHub no longer accepts.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { connectWithOAuthCode } from "../src/connection/connect-with-oauth-code.ts";
import type { ServiceDeps } from "../src/deps.ts";
import { decryptUserToken } from "../src/user/user-token-crypto.ts";
import {
  authorizeAt,
  connect,
  connectBackend,
  holdTokenEndpointAnswer,
  logicDeps,
  seedWorld,
  service,
  sim,
  tokenRow,
} from "./helpers.ts";

afterEach(async () => {
  await sim.clearLatency();
});

/** The invariant: no row, or an active row whose access token GitHub still accepts. */
async function storedTokenWorks(userId: string): Promise<string> {
  const row = await tokenRow(userId);
  if (row === undefined) return "no row";
  if (row.status !== "active") return row.status;
  const keyring = await loadConfig(env).keyring;
  const token = await decryptUserToken(
    keyring,
    "access_token_enc",
    row.userId,
    row.githubUserId,
    row.accessTokenEnc,
  );
  const check = await sim.checkToken(token);
  return check.valid ? "active" : `active with a token GitHub refuses (${check.reason})`;
}

/** The connecting call's dependencies with GitHub's answer to its code exchange held back. */
function holdCodeExchangeAnswer(deps: ServiceDeps) {
  const github = deps.config.github;
  const held = holdTokenEndpointAnswer(github.fetch ?? fetch);
  return {
    deps: { ...deps, config: { ...deps.config, github: { ...github, fetch: held.fetch } } },
    answered: held.answered,
    release: held.release,
  };
}

describe("connect racing disconnect for one person", () => {
  it("a connect that arrives while a disconnect revokes the grant stores no dead token", async () => {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    // The grant revocation is slow, so the connect below lands inside the disconnect's window.
    await sim.setLatency({ path: "/applications/{client_id}/grant", method: "DELETE", delayMs: 400 });
    const grant = await authorizeAt(world.login);
    // The connect trades its code first: GitHub issues its token under the grant the disconnect is about
    // to revoke, and the answer is held until the disconnect is under way.
    const connecting = logicDeps();
    const held = holdCodeExchangeAnswer(connecting.deps);
    try {
      const connection = connectWithOAuthCode(held.deps, { userId: world.userId, ...grant });
      await held.answered;
      const disconnecting = service("gitcred-connect").disconnectUser({ userId: world.userId });
      // The row is gone: the disconnect is inside the person's object, revoking the grant (held at GitHub).
      await expect.poll(() => tokenRow(world.userId)).toBeUndefined();
      held.release();
      const [disconnected, connected] = await Promise.all([disconnecting, connection]);
      expect(disconnected).toEqual({ ok: true, wasConnected: true, grantRevoked: true });
      // The connect was stored after the disconnect: its token died with the grant, and GitHub says so.
      expect(connected).toMatchObject({ ok: false, reason: "invalid_token" });
      expect(await tokenRow(world.userId)).toBeUndefined();
    } finally {
      held.release();
      await connecting.done();
    }
  });

  it("interleaved at random, every round leaves no row or a working one", async () => {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    await sim.setLatency({ path: "/applications/{client_id}/grant", method: "DELETE", delayMs: 60 });
    for (let round = 0; round < 6; round++) {
      const grants = await Promise.all([authorizeAt(world.login), authorizeAt(world.login)]);
      const calls = [
        () => service().disconnectUser({ userId: world.userId }),
        () => connectBackend().connectWithOAuthCode({ userId: world.userId, ...grants[0]! }),
        () => service().disconnectUser({ userId: world.userId }),
        () => connectBackend().connectWithOAuthCode({ userId: world.userId, ...grants[1]! }),
      ];
      // Rotate the order each round; all start together.
      const order = calls.map((_, i) => calls[(i + round) % calls.length]!);
      const answers = await Promise.all(order.map((call) => call()));
      for (const answer of answers) {
        expect(["ok", "invalid_token"]).toContain(answer.ok ? "ok" : answer.reason);
      }
      expect(await storedTokenWorks(world.userId)).toMatch(/^(no row|active)$/);
    }
  });
});
