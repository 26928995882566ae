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
    ).toEqual({ apiUrl: "https://s.example", sessionId: "abc", secret });
  });

  it("reads the file setup wrote", () => {
    const file = join(mkdtempSync(join(tmpdir(), "gitcred-config-")), "session.json");
    writeFileSync(file, JSON.stringify({ apiUrl: "http://127.0.0.1:1", sessionId: "a:b", secret }));
    expect(loadSessionConfig({ configPath: file, env: {} }).sessionId).toBe("a:b");
  });

  it("refuses incomplete or odd settings without echoing the secret", () => {
    for (const env of [
      {},
      { GITCRED_SESSION_URL: "ftp://x", GITCRED_SESSION_ID: "a", GITCRED_SESSION_SECRET: secret },
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
