import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clientSecret, ghr80, ghsStateless, ghu40, oauthCode, pemPkcs1 } from "../test/samples.ts";
import { createLogger } from "./create-logger.ts";
import { setLogLevel, setLogSink } from "./logger.ts";
import type { LogLevel } from "./types.ts";

let lines: { line: string; level: LogLevel }[] = [];

beforeEach(() => {
  lines = [];
  setLogSink((line, level) => lines.push({ line, level }));
  setLogLevel("debug");
});
afterEach(() => {
  setLogSink(null);
  setLogLevel("info");
});

const SECRETS = [ghu40.slice(4), ghr80.slice(4), ghsStateless.slice(4, 60), clientSecret, oauthCode, "MIIE"];

function parsed(index = 0): Record<string, unknown> {
  const entry = lines[index];
  if (entry === undefined) throw new Error(`no line ${index}`);
  return JSON.parse(entry.line) as Record<string, unknown>;
}

describe("createLogger", () => {
  it("writes one JSON line with level, time, msg, bindings and fields in that order", () => {
    createLogger({ worker: "git-token", version: "1" }).info("minted", { repo: "o/r", ms: 12 });
    expect(lines).toHaveLength(1);
    const entry = parsed();
    expect(Object.keys(entry)).toEqual(["level", "time", "msg", "worker", "version", "repo", "ms"]);
    expect(entry).toMatchObject({ level: "info", msg: "minted", worker: "git-token", repo: "o/r", ms: 12 });
    expect(new Date(String(entry.time)).toISOString()).toBe(entry.time);
  });

  it.each(["debug", "info", "warn", "error"] as const)("%s passes its level to the sink", (level) => {
    createLogger({ worker: "w" })[level]("m");
    expect(lines).toEqual([{ line: expect.stringContaining(`"level":"${level}"`), level }]);
  });

  it("filters by level", () => {
    const log = createLogger({ worker: "w" });
    setLogLevel("warn");
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(lines.map((l) => l.level)).toEqual(["warn", "error"]);
    expect(() => setLogLevel("loud" as LogLevel)).toThrow(TypeError);
  });

  it("reduces an octokit-shaped error to name, status and message", () => {
    const error = Object.assign(new Error("Bad credentials"), {
      name: "HttpError",
      status: 401,
      request: {
        url: "https://github.com/login/oauth/access_token",
        headers: { authorization: `Basic ${btoa(`Iv1.abc:${clientSecret}`)}` },
        body: `client_id=Iv1.abc&client_secret=${clientSecret}&grant_type=refresh_token&refresh_token=${ghr80}`,
      },
      response: { status: 401, data: { error: "bad_refresh_token", refresh_token: ghr80 } },
    });
    createLogger({ worker: "git-token" }).error("refresh failed", { error, userId: "user-1" });
    expect(parsed()).toMatchObject({
      msg: "refresh failed",
      error: { name: "HttpError", status: 401, message: "Bad credentials" },
      userId: "user-1",
    });
    const first = lines[0]?.line ?? "";
    for (const secret of [...SECRETS, "request", "response", "bad_refresh_token"])
      expect(first).not.toContain(secret);
  });

  it("cannot be made to write a second line", () => {
    const log = createLogger({ worker: "w" });
    log.info('user said\n{"level":"error","msg":"forged"}\r\nbye', { note: "a\nb", "k\ney": 1 });
    expect(lines).toHaveLength(1);
    const line = lines[0]?.line ?? "";
    expect(line).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(parsed().msg).toBe(String.raw`user said\n{"level":"error","msg":"forged"}\r\nbye`);
  });

  it("redacts secrets in message, bindings, fields and nested values", () => {
    const log = createLogger({ worker: "w", token: ghu40 }).child({
      requestUrl: `https://x-access-token:${ghu40}@github.com/o/r`,
    });
    log.warn(`got ${ghsStateless} and Bearer ${ghu40}`, {
      body: JSON.stringify({ refresh_token: ghr80, client_secret: clientSecret }),
      form: `code=${oauthCode}&state=abc123`,
      nested: { deeper: { pem: pemPkcs1, list: [ghr80] } },
      refreshToken: ghr80,
      access_token_enc: "v1.k1.AAAAAAAAAAAAAAAA.QUJD",
    });
    const line = lines[0]?.line ?? "";
    for (const secret of SECRETS) expect(line).not.toContain(secret);
    expect(parsed()).toMatchObject({
      token: "[REDACTED]",
      refreshToken: "[REDACTED]",
      access_token_enc: "v1.k1.AAAAAAAAAAAAAAAA.QUJD",
    });
  });

  it("child loggers add bindings without changing the parent", () => {
    const parent = createLogger({ worker: "w" });
    const child = parent.child({ requestId: "r1" }).child({ userId: "u1" });
    child.info("c");
    parent.info("p");
    expect(parsed(0)).toMatchObject({ worker: "w", requestId: "r1", userId: "u1" });
    expect(parsed(1)).not.toHaveProperty("requestId");
  });

  it("does not let fields overwrite level, time or msg", () => {
    createLogger({ worker: "w" }).info("real", { level: "error", msg: "fake", time: "then" });
    expect(parsed()).toMatchObject({
      level: "info",
      msg: "real",
      _level: "error",
      _msg: "fake",
      _time: "then",
    });
  });

  it("bounds long strings", () => {
    createLogger({ worker: "w" }).info("x".repeat(100_000), { body: "y".repeat(100_000) });
    expect(lines[0]?.line.length).toBeLessThan(10_000);
  });

  it("never throws, even with unserializable input or a failing sink", () => {
    const log = createLogger({ worker: "w" });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    log.info("cyclic", { cyclic, big: 1n });
    expect(parsed()).toMatchObject({ cyclic: { self: "[Circular]" }, big: "1" });
    setLogSink(() => {
      throw new Error("sink down");
    });
    expect(() => log.error("still fine")).not.toThrow();
  });

  it("stays valid JSON when a field holds JSON with a secret", () => {
    createLogger({ worker: "w" }).info("m", {
      raw: `{"a":"code=","code":"${oauthCode}"}`,
      tricky: 'x\\"code\\":\\"y',
    });
    expect(() => parsed()).not.toThrow();
    expect(lines[0]?.line).not.toContain(oauthCode);
  });
});
