import { describe, expect, it } from "vitest";
import { clientSecret, ghr80, ghsStateless, ghu40, pemPkcs8 } from "../test/samples.ts";
import { redactValue } from "./redact-value.ts";

describe("redactValue", () => {
  it("redacts secret-named keys whatever the value, and strings everywhere", () => {
    const input = {
      user_id: "user-1",
      access_token: ghu40,
      refresh_token_enc: "v1.k1.AAAAAAAAAAAAAAAA.QUJDREVGR0hJSktMTU5PUFFS",
      nested: { list: [`token ${ghsStateless}`, { clientSecret }, 42, true, null], note: `got ${ghr80}` },
      headers: { Authorization: { scheme: "token", value: ghu40 }, accept: "application/json" },
      state: 12345,
    };
    expect(redactValue(input)).toEqual({
      user_id: "user-1",
      access_token: "[REDACTED]",
      refresh_token_enc: "v1.k1.AAAAAAAAAAAAAAAA.QUJDREVGR0hJSktMTU5PUFFS",
      nested: {
        list: ["token ghs_[REDACTED]", { clientSecret: "[REDACTED]" }, 42, true, null],
        note: "got ghr_[REDACTED]",
      },
      headers: { Authorization: "[REDACTED]", accept: "application/json" },
      state: "[REDACTED]",
    });
  });

  it("does not modify its input", () => {
    const input = { token: ghu40, list: [ghu40] };
    redactValue(input);
    expect(input).toEqual({ token: ghu40, list: [ghu40] });
  });

  it("survives cycles and bounds depth", () => {
    type Node = { name: string; self?: Node; child?: unknown };
    const node: Node = { name: "a" };
    node.self = node;
    let deep: unknown = "bottom";
    for (let i = 0; i < 50; i++) deep = { d: deep };
    node.child = deep;
    const out = redactValue(node, { maxDepth: 5 }) as Record<string, unknown>;
    expect(out.self).toBe("[Circular]");
    expect(JSON.stringify(out)).toContain("[Truncated]");
    expect(JSON.stringify(redactValue(deep))).not.toContain("bottom");
  });

  it("repeats a shared (non-cyclic) object instead of calling it circular", () => {
    const shared = { a: 1 };
    expect(redactValue({ x: shared, y: shared })).toEqual({ x: { a: 1 }, y: { a: 1 } });
  });

  it("reduces errors to name, status and message", () => {
    const error = Object.assign(new Error(`failed with ${ghu40}`), {
      status: 401,
      request: { body: `refresh_token=${ghr80}` },
    });
    expect(redactValue({ cause: error })).toEqual({
      cause: { name: "Error", status: 401, message: "failed with ghu_[REDACTED]" },
    });
  });

  const special: [string, unknown, unknown][] = [
    ["bigint", 10n, "10"],
    ["function", () => 1, "[Function]"],
    ["date", new Date("2026-11-22T10:00:00Z"), "2026-11-22T10:00:00.000Z"],
    [
      "url with credentials",
      new URL(`https://x-access-token:${ghu40}@github.com/o/r`),
      "https://x-access-token:[REDACTED]@github.com/o/r",
    ],
    ["bytes", new Uint8Array(32), "[binary 32 bytes]"],
    ["array buffer", new ArrayBuffer(16), "[binary 16 bytes]"],
    [
      "headers",
      new Headers({ authorization: `Bearer ${ghu40}`, "x-github-request-id": "A:B" }),
      { authorization: "[REDACTED]", "x-github-request-id": "A:B" },
    ],
    [
      "map",
      new Map([
        ["token", ghu40],
        ["login", "octocat"],
      ]),
      { token: "[REDACTED]", login: "octocat" },
    ],
    ["set", new Set([ghu40]), ["ghu_[REDACTED]"]],
    ["pem string", pemPkcs8, "-----BEGIN PRIVATE KEY-----[REDACTED]"],
    ["token as key", { [ghu40]: 1 }, { "ghu_[REDACTED]": 1 }],
    ["undefined", undefined, undefined],
  ];
  it.each(special)("handles %s", (_name, input, expected) => {
    expect(redactValue(input)).toEqual(expected);
  });

  it("bounds arrays and strings when asked", () => {
    const out = redactValue(
      { list: Array.from({ length: 150 }, (_, i) => i), text: "x".repeat(50) },
      {
        maxArrayLength: 3,
        maxStringLength: 10,
      },
    );
    expect(out).toEqual({ list: [0, 1, 2, "[+147 more]"], text: `${"x".repeat(10)}…` });
  });

  it("does not let a hostile key set the prototype", () => {
    const out = redactValue(JSON.parse('{"__proto__":{"polluted":true},"a":1}')) as Record<string, unknown>;
    expect(out).toEqual({ a: 1 });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it("survives throwing getters", () => {
    const hostile = {
      get boom(): string {
        throw new Error("no");
      },
      fine: "yes",
    };
    expect(redactValue(hostile)).toEqual({ boom: "[Unreadable]", fine: "yes" });
  });
});
