/**
 * The end-to-end scenarios both runs share (github.com + classic tokens, GHES + stateless tokens), written
 * once so the second run checks the same behaviour rather than a copy that drifts.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { GitHarness } from "./git-harness.ts";
import { connectPerson, seedWorld, serverLog } from "./world.ts";

/** GitHub's noreply domain for the suite's GitHub: github.com's, or `users.noreply.<host>` on GHES. */
export function noreplyDomain(h: GitHarness): string {
  const api = new URL(h.suite.githubApiUrl);
  return api.pathname.replace(/\/+$/, "") === "/api/v3"
    ? `users.noreply.${api.hostname}`
    : "users.noreply.github.com";
}

/**
 * The person pushes; their grant is revoked mid-session; the next push is refused, the helper's `erase`
 * reports it, the session downgrades to the App's bot, and the push after that succeeds — commits before
 * show the person, commits after the bot with the person as co-author, both at the GitHub's noreply host.
 */
export async function pushAsPersonThenBot(h: GitHarness): Promise<void> {
  const { suite, server } = h;
  const domain = noreplyDomain(h).replace(/\./g, "\\.");
  const world = await seedWorld(suite);
  await connectPerson(suite, world);
  const box = await h.sandbox(world);
  const person = `${world.githubUserId}+${world.login}@${noreplyDomain(h)}`;
  expect((await box.git("config", "user.email")).stdout.trim()).toBe(person);
  const config = readFileSync(join(box.dir, ".git", "config"), "utf8");
  expect(config).not.toMatch(/gh[usr]_/);
  // Scoped to the GitHub host over https; no unscoped helper that would answer any host.
  expect((await box.git("config", "--get-all", `credential.${server.url}.helper`)).stdout).toMatch(/cli\.js/);
  expect((await box.git("config", "--local", "--get-all", "credential.helper")).stdout).toBe("");
  expect((await box.git("remote", "get-url", "origin")).stdout.trim()).toBe(
    `${server.url}/${world.owner}/${world.repo}.git`,
  );

  expect((await box.commit("first, by the person")).status).toBe(0);
  expect(await box.git("push", "--quiet", "origin", "main")).toMatchObject({ status: 0 });

  await suite.sim.revokeGrant(suite.appId, world.login, { webhook: false });
  expect((await box.commit("second, made before anyone knew")).status).toBe(0);
  const refused = await box.git("push", "--quiet", "origin", "main");
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain("now pushes and commits as gitcred-e2e[bot]");
  const pushed = await box.git("push", "--quiet", "origin", "main");
  expect(pushed).toMatchObject({ status: 0 });

  const botEmail = (await box.git("config", "user.email")).stdout.trim();
  expect(botEmail).toMatch(new RegExp(`^\\d+\\+gitcred-e2e\\[bot\\]@${domain}$`));
  expect((await box.commit("third, by the bot")).status).toBe(0);
  expect(await box.git("push", "--quiet", "origin", "main")).toMatchObject({ status: 0 });

  const log = serverLog(box.bare);
  expect(log.map((c) => [c.author, c.email])).toEqual([
    ["gitcred-e2e[bot]", botEmail],
    [world.name, person],
    [world.name, person],
    ["Seed", "seed@example.com"],
  ]);
  expect(log[0]?.message).toBe(`third, by the bot\n\nCo-authored-by: ${world.name} <${person}>`);
  expect(log[1]?.message).toBe("second, made before anyone knew");
  const logins = server.accepted.filter((a) => a.repo === `${world.owner}/${world.repo}`).map((a) => a.login);
  expect(logins).toContain(world.login);
  expect(logins).toContain("gitcred-e2e[bot]");

  const downgrades = (await h.events(world, box.session.sessionId)).filter((e) => e.type === "downgraded");
  expect(downgrades).toHaveLength(1);
  expect(downgrades[0]).toMatchObject({ reason: "token_revoked" });
}

/**
 * No token the simulator ever issued is found in the workers' storage (Durable Objects, KV), the clones,
 * the helper's files or any log line. Returns the tokens looked for (callers check they include the kind
 * they care about, e.g. stateless ones).
 */
export async function expectNoIssuedTokenLeft(h: GitHarness): Promise<string[]> {
  const { suite } = h;
  const tokens = (await suite.sim.issuedTokens()).map((t) => t.token);
  expect(tokens.length).toBeGreaterThan(2);
  const files: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(suite.persistDir);
  for (const clone of h.clones) walk(clone);
  // The scan looks at something: the workers logged (e.g. the downgrades) and stored their objects.
  expect(suite.logs.some((line) => line.includes("session downgraded"))).toBe(true);
  const storage = files.filter((f) => f.startsWith(suite.persistDir));
  expect(storage.some((f) => /\.sqlite/.test(f))).toBe(true);
  const haystacks = [...files.map((f) => readFileSync(f).toString("latin1")), suite.logs.join("\n")];
  const found = tokens.filter((token) => haystacks.some((text) => text.includes(token)));
  expect(found).toEqual([]);
  return tokens;
}
