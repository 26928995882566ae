import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSessionConfig } from "./load-session-config.ts";

const secret = "s".repeat(43);

describe("loadSessionConfig", () => {
  it("reads the environment, trimming the URL's trailing slash", () => {
    expect(
      loadSessionConfig({
        env: {
          GITCRED_SESSION_URL: "https://s.example/",
          GITCRED_SESSION_ID: "abc",
          GITCRED_SESSION_SECRET: secret,
        },
      }),
    ).toEqual({ apiUrl: "https://s.example", sessionId: "abc", secret, githubHost: "github.com" });
  });

  it("takes the GitHub host from the environment, normalized; refuses one that is not a bare host", () => {
    const env = {
      GITCRED_SESSION_URL: "https://s.example",
      GITCRED_SESSION_ID: "a",
      GITCRED_SESSION_SECRET: secret,
    };
    expect(
      loadSessionConfig({ env: { ...env, GITCRED_GITHUB_HOST: "GHE.Example.com:443" } }).githubHost,
    ).toBe("ghe.example.com");
    expect(loadSessionConfig({ env: { ...env, GITCRED_GITHUB_HOST: "127.0.0.1:8443" } }).githubHost).toBe(
      "127.0.0.1:8443",
    );
    for (const githubHost of ["evil.example/@github.com", "x@github.com", "github.com/", "a b"]) {
      expect(() => loadSessionConfig({ env: { ...env, GITCRED_GITHUB_HOST: githubHost } })).toThrow(
        /GITCRED_GITHUB_HOST/,
      );
    }
  });

  it("reads the file setup wrote", () => {
    const file = join(mkdtempSync(join(tmpdir(), "gitcred-config-")), "session.json");
    writeFileSync(file, JSON.stringify({ apiUrl: "http://127.0.0.1:1", sessionId: "a:b", secret }));
    // A file an older version wrote names no host: github.com, never "any host".
    expect(loadSessionConfig({ configPath: file, env: {} })).toMatchObject({
      sessionId: "a:b",
      githubHost: "github.com",
    });
  });

  it("refuses incomplete or odd settings without echoing the secret", () => {
    for (const env of [
      {},
      { GITCRED_SESSION_URL: "ftp://x", GITCRED_SESSION_ID: "a", GITCRED_SESSION_SECRET: secret },
      // Plain http off this machine: the secret would go out, and a token come back, in clear text.
      {
        GITCRED_SESSION_URL: "http://sessions.internal",
        GITCRED_SESSION_ID: "a",
        GITCRED_SESSION_SECRET: secret,
      },
      { GITCRED_SESSION_URL: "https://x", GITCRED_SESSION_ID: "a/b", GITCRED_SESSION_SECRET: secret },
      { GITCRED_SESSION_URL: "https://x", GITCRED_SESSION_ID: "a", GITCRED_SESSION_SECRET: "short" },
    ]) {
      expect(() => loadSessionConfig({ env })).toThrow(/GITCRED_SESSION_URL/);
    }
    expect(() => loadSessionConfig({ configPath: "/nonexistent/session.json", env: {} })).toThrow(
      /cannot read/,
    );
  });
});
