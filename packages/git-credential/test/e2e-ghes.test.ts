/**
 * The key end-to-end scenario again, against the simulator as GitHub Enterprise Server (the workers get
 * GITHUB_API_URL=<host>/api/v3, GITHUB_WEB_URL=<host>) minting stateless ~520-character
 * `ghs_<appid>_<JWT>` installation tokens: the person pushes, their grant is revoked, the session
 * downgrades to the App's bot, whose stateless token travels through git-token (memory, KV envelope), the
 * session, the helper and git; both identities carry GHES's noreply host; and no issued token is found on
 * disk or in any log. The attacks and fault scenarios do not depend on the layout and run in e2e.test.ts.
 */
import { describe, expect, it } from "vitest";
import { useGitHarness } from "./git-harness.ts";
import { expectNoIssuedTokenLeft, noreplyDomain, pushAsPersonThenBot } from "./git-scenarios.ts";

const h = useGitHarness({ flavor: "ghes", tokenFormat: "stateless" });

describe("git through the session on GitHub Enterprise Server, with stateless installation tokens", () => {
  it("the workers talk to <host>/api/v3 and commit under users.noreply.<host>", () => {
    expect(h.suite.githubApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
    expect(noreplyDomain(h)).toBe("users.noreply.127.0.0.1");
  });

  it("pushes as the person; after the grant is revoked, as the bot (stateless token) with the person as co-author", async () => {
    await pushAsPersonThenBot(h);
    const app = (await h.suite.sim.issuedTokens()).filter((t) => t.kind === "installation");
    expect(app.length).toBeGreaterThan(0);
    for (const { token } of app) {
      expect(token.startsWith(`ghs_${h.suite.appId}_`)).toBe(true);
      expect(token.length).toBeGreaterThanOrEqual(500);
      expect(token.split(".")).toHaveLength(3);
    }
  });

  it("leaves no token the simulator issued (stateless ones included) on disk or in the logs", async () => {
    const tokens = await expectNoIssuedTokenLeft(h);
    expect(tokens.some((t) => t.startsWith("ghs_") && t.length >= 500)).toBe(true);
  });
});
