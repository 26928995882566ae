import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  clientSecret,
  deviceCode,
  gho40,
  ghp40,
  ghr80,
  ghs40,
  ghsStateless,
  ghu40,
  githubPat93,
  jwt,
  oauthCode,
  oauthState,
  pemPkcs1,
  pemPkcs8,
} from "../test/samples.ts";
import { redact } from "./redact.ts";

/** The part of a token that must never survive (the prefix may, as a hint). */
function body(token: string): string {
  return token.replace(/^(gh[pousr]_|github_pat_)/, "");
}

describe("samples", () => {
  it("have the lengths GitHub issues", () => {
    expect([ghp40, gho40, ghu40, ghs40].map((t) => t.length)).toEqual([40, 40, 40, 40]);
    expect(ghr80).toHaveLength(80);
    expect(githubPat93).toHaveLength(93);
    expect(ghsStateless.length).toBeGreaterThanOrEqual(515);
    expect(ghsStateless).toMatch(/^ghs_\d+_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });
});

describe("redact: GitHub tokens", () => {
  const tokens = [
    ["ghp_ (40)", ghp40],
    ["gho_ (40)", gho40],
    ["ghu_ (40)", ghu40],
    ["ghs_ (40)", ghs40],
    ["ghr_ (80)", ghr80],
    ["github_pat_ (93)", githubPat93],
    ["stateless ghs_ (~520)", ghsStateless],
  ] as const;
  const contexts: [string, (t: string) => string][] = [
    ["alone", (t) => t],
    ["in a sentence", (t) => `refreshed user token ${t} for user-1`],
    ["at a sentence end", (t) => `got ${t}.`],
    ["in a clone URL", (t) => `https://x-access-token:${t}@github.com/o/r.git`],
    ["as URL user", (t) => `https://${t}@github.com/o/r.git`],
    ["in JSON", (t) => `{"token":"${t}","expires_at":"2026-11-22T10:00:00Z"}`],
    ["in a JSON array", (t) => `["${t}"]`],
    ["in nested escaped JSON", (t) => `{"body":"{\\"access_token\\":\\"${t}\\"}"}`],
    ["in a bearer header", (t) => `Authorization: Bearer ${t}`],
    ["in a token header", (t) => `authorization: token ${t}`],
    ["in a query string", (t) => `GET /cb?access_token=${t}&scope=repo`],
    ["in a form body", (t) => `refresh_token=${t}&grant_type=refresh_token`],
    ["in an error message", (t) => `HttpError: Bad credentials (token ${t}) - https://docs.github.com/rest`],
    ["in an inspected object", (t) => `{ headers: { authorization: 'token ${t}' } }`],
    ["in an env line", (t) => `GH_TOKEN=${t}`],
    ["quoted with single quotes", (t) => `'${t}'`],
    ["after an underscore", (t) => `value_${t}`],
    [
      "in a git credential reply",
      (t) => `protocol=https\nhost=github.com\nusername=x-access-token\npassword=${t}\n`,
    ],
  ];
  for (const [tokenName, token] of tokens) {
    for (const [contextName, wrap] of contexts) {
      it(`${tokenName} ${contextName}`, () => {
        const out = redact(wrap(token));
        expect(out).not.toContain(body(token));
        expect(out).toContain("[REDACTED]");
        // No fragment of the body survives either (e.g. the JWT-like part after a dot).
        for (const part of body(token)
          .split(/[._-]/)
          .filter((p) => p.length >= 12)) {
          expect(out).not.toContain(part);
        }
      });
    }
  }

  it("keeps the prefix as a hint", () => {
    expect(redact(`token is ${ghu40} ok`)).toBe("token is ghu_[REDACTED] ok");
    expect(redact(githubPat93)).toBe("github_pat_[REDACTED]");
    expect(redact(ghsStateless)).toBe("ghs_[REDACTED]");
  });
});

describe("redact: exact outputs", () => {
  const cases: [string, string, string][] = [
    ["bearer header", "Authorization: Bearer abc.def-ghi", "Authorization: [REDACTED]"],
    ["basic header", "authorization: Basic SXYxLmFiYzpzZWNyZXQ=", "authorization: [REDACTED]"],
    ["bearer in prose", "sent Bearer abc123 to api", "sent Bearer [REDACTED] to api"],
    ["basic in prose", "with Basic SXYxLmFiYzpzZWNyZXQ= header", "with Basic [REDACTED] header"],
    ["token scheme", "used token 0123456789abcdef0123456789abcdef01234567", "used token [REDACTED]"],
    ["cookie header", "Cookie: gc_session=abc123; theme=dark", "Cookie: [REDACTED]"],
    ["url password", "https://user:hunter2@example.com/x", "https://user:[REDACTED]@example.com/x"],
    [
      "x-access-token url",
      "https://x-access-token:abc@github.com/o/r",
      "https://x-access-token:[REDACTED]@github.com/o/r",
    ],
    ["x-access-token bare", "x-access-token:secretvalue", "x-access-token:[REDACTED]"],
    [
      "json client_secret",
      `{"client_id":"Iv1.abc","client_secret":"${clientSecret}"}`,
      `{"client_id":"Iv1.abc","client_secret":"[REDACTED]"}`,
    ],
    ["json code", `{"code":"${oauthCode}"}`, `{"code":"[REDACTED]"}`],
    ["json with spaces", `{ "device_code" : "${deviceCode}" }`, `{ "device_code" : "[REDACTED]" }`],
    ["json escaped quote in value", `{"password":"a\\"b","x":1}`, `{"password":"[REDACTED]","x":1}`],
    ["json trailing backslash", `{"password":"a\\\\","x":"y"}`, `{"password":"[REDACTED]","x":"y"}`],
    ["json number", `{"code":123456}`, `{"code":[REDACTED]}`],
    [
      "json camelCase",
      `{"refreshToken":"abc","clientSecret":"def"}`,
      `{"refreshToken":"[REDACTED]","clientSecret":"[REDACTED]"}`,
    ],
    ["json *_token suffix", `{"installation_token":"abc"}`, `{"installation_token":"[REDACTED]"}`],
    [
      "escaped json",
      `"{\\"client_secret\\":\\"${clientSecret}\\"}"`,
      `"{\\"client_secret\\":\\"[REDACTED]\\"}"`,
    ],
    [
      "query string",
      `/login/oauth/access_token?client_id=Iv1.a&client_secret=${clientSecret}&code=${oauthCode}&state=${oauthState}`,
      "/login/oauth/access_token?client_id=Iv1.a&client_secret=[REDACTED]&code=[REDACTED]&state=[REDACTED]",
    ],
    ["fragment", `https://app.example/cb#state=${oauthState}`, "https://app.example/cb#state=[REDACTED]"],
    [
      "colon form",
      `private_key: abc\ncode: ${oauthCode}`,
      String.raw`private_key: [REDACTED]\ncode: [REDACTED]`,
    ],
    ["single-quoted", `{ password: 'p4ss word' }`, `{ password: '[REDACTED]' }`],
    ["jwt", `assertion ${jwt} sent`, "assertion [REDACTED] sent"],
    ["pem pkcs8", `key=\n${pemPkcs8}\nafter`, String.raw`key=\n-----BEGIN PRIVATE KEY-----[REDACTED]\nafter`],
    ["pem pkcs1", pemPkcs1, "-----BEGIN RSA PRIVATE KEY-----[REDACTED]"],
    [
      "pem json-escaped",
      JSON.stringify({ pem: pemPkcs1 }),
      `{"pem":"-----BEGIN RSA PRIVATE KEY-----[REDACTED]"}`,
    ],
    [
      "pem truncated",
      "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI",
      "-----BEGIN EC PRIVATE KEY-----[REDACTED]",
    ],
    ["CR LF", "line1\r\nline2", String.raw`line1\r\nline2`],
    ["other controls", "a\tb\u0000c\u001bd\u2028e\u0085f", String.raw`a\tb\u0000c\u001bd\u2028e\u0085f`],
    [
      "forged log line",
      'ok\n{"level":"error","msg":"forged"}',
      String.raw`ok\n{"level":"error","msg":"forged"}`,
    ],
    ["empty", "", ""],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });
});

describe("redact: leaves normal text alone", () => {
  const unchanged = [
    "ghost_town is a word",
    "codec and encode and decode",
    "status_code=500 error_code: 42",
    "the token expired after 8 hours",
    "Basic authentication is required",
    "bearer of bad news",
    "statement: fine",
    "the state machine moved",
    "github_pattern matching",
    "prefixes are ghp_ gho_ ghu_ ghs_ ghr_ github_pat_",
    "commit 3f786850e387550fdab836ed7e6dc881de23001b",
    "access_token_enc=v1.k1.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB",
    '{"refresh_token_enc":"v1.k1.abc.def","token_type":"bearer"}',
    "ssh://git@github.com/o/r.git and git@github.com:o/r.git",
    "https://api.github.com/repos/o/r?per_page=100&page=2",
    "user-1 connected octocat (12345) with scope repo",
    "x-ratelimit-remaining: 0",
    "café ünïcødé ✓ 🎉",
  ];
  it.each(unchanged)("%s", (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe("redact: properties", () => {
  const tokenArb = fc.constantFrom(ghp40, ghu40, ghr80, githubPat93, ghsStateless);
  const separator = fc.constantFrom(" ", "\n", '"', "'", "=", ":", "(", "/", ",");

  it("never lets a token through, whatever surrounds it", () => {
    fc.assert(
      fc.property(
        fc.string(),
        separator,
        tokenArb,
        separator,
        fc.string(),
        (before, s1, token, s2, after) => {
          expect(redact(`${before}${s1}${token}${s2}${after}`)).not.toContain(body(token));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never emits a raw line break or control character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
        expect(redact(text)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      }),
      { numRuns: 300 },
    );
  });

  it("is idempotent", () => {
    const pieces = fc.constantFrom(
      ghu40,
      ghsStateless,
      "Bearer abc123",
      "token ",
      '"code":"x"',
      "code=",
      "&state=",
      "https://u:p@h/",
      "x-access-token:",
      "\n",
      '\\"',
      "'",
      " ",
      "Authorization: ",
      jwt,
      "-----BEGIN PRIVATE KEY-----",
      "-----END PRIVATE KEY-----",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 12 }), (parts) => {
        const once = redact(parts.join(""));
        expect(redact(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps JSON valid when applied to serialized JSON", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom("msg", "code", "state", "token", "url", "body", "note"),
          fc.oneof(
            fc.string(),
            fc.constantFrom(ghu40, `{"refresh_token":"${ghr80}"}`, `a\\`, `x"y`, "Bearer q1", pemPkcs1),
          ),
        ),
        (record) => {
          const line = JSON.stringify(record);
          expect(() => JSON.parse(redact(line))).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });

  // workerd freezes the clock during synchronous work, so the test timeout is the speed check.
  const pathological: [string, string][] = [
    ["query pairs", "a=b&".repeat(50_000)],
    ["backslashes", "\\".repeat(200_000)],
    ["dotted words", "a.".repeat(100_000)],
    ["schemes", "a://".repeat(50_000)],
    ["unclosed json fields", '\\"code\\":\\"'.repeat(20_000)],
    ["repeated schemes", "token ".repeat(40_000)],
    ["long word", "x".repeat(200_000)],
    ["jwt-ish", "eyJ".repeat(70_000)],
    ["pem openings", "-----BEGIN PRIVATE KEY-----".repeat(5_000)],
  ];
  it.each(pathological)(
    "stays linear on %s",
    (_name, text) => {
      const out = redact(`${text} code=${oauthCode} ${text}`);
      expect(out).not.toContain(oauthCode);
    },
    1500,
  );
});
