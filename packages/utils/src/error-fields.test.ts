import { describe, expect, it } from "vitest";
import { clientSecret, ghr80, ghu40, oauthCode } from "../test/samples.ts";
import { errorFields } from "./error-fields.ts";

/** Shaped like @octokit/request-error's RequestError, which keeps the request it failed on. */
class RequestError extends Error {
  override name = "HttpError";
  status: number;
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  response: { status: number; url: string; headers: Record<string, string>; data: unknown };
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
    this.request = {
      method: "POST",
      url: "https://github.com/login/oauth/access_token",
      headers: { authorization: `token ${ghu40}` },
      body: JSON.stringify({
        client_id: "Iv1.abc",
        client_secret: clientSecret,
        refresh_token: ghr80,
        code: oauthCode,
      }),
    };
    this.response = {
      status,
      url: "https://github.com/login/oauth/access_token",
      headers: {},
      data: { access_token: ghu40, refresh_token: ghr80 },
    };
  }
}

describe("errorFields", () => {
  it("keeps name, status and message of an octokit error and nothing else", () => {
    const fields = errorFields(new RequestError("Bad credentials - https://docs.github.com/rest", 401));
    expect(fields).toEqual({
      name: "HttpError",
      status: 401,
      message: "Bad credentials - https://docs.github.com/rest",
    });
    const text = JSON.stringify(fields);
    for (const secret of [clientSecret, ghr80.slice(4), ghu40.slice(4), oauthCode])
      expect(text).not.toContain(secret);
  });

  const cases: [string, unknown, unknown][] = [
    ["plain error", new TypeError("bad input"), { name: "TypeError", message: "bad input" }],
    [
      "message with a token",
      new Error(`token ${ghu40} rejected`),
      { name: "Error", message: "token ghu_[REDACTED] rejected" },
    ],
    ["message with CR/LF", new Error("a\r\nb"), { name: "Error", message: String.raw`a\r\nb` }],
    ["string", `oops ${ghu40}`, { name: "Error", message: "oops ghu_[REDACTED]" }],
    ["number", 42, { name: "Error", message: "42" }],
    ["undefined", undefined, { name: "Error", message: "undefined" }],
    ["null", null, { name: "Error", message: "null" }],
    [
      "plain object",
      { status: 502, message: "bad gateway", body: ghr80 },
      { name: "Error", status: 502, message: "bad gateway" },
    ],
    ["non-integer status", { status: "500", message: "x" }, { name: "Error", message: "x" }],
    ["DOMException", new DOMException("aborted", "AbortError"), { name: "AbortError", message: "aborted" }],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(errorFields(input)).toEqual(expected);
  });

  it("bounds a huge message", () => {
    expect(errorFields(new Error("x".repeat(10_000))).message.length).toBeLessThanOrEqual(1001);
  });

  it("survives throwing getters", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
      },
    );
    expect(errorFields(hostile)).toEqual({ name: "Error", message: "" });
  });
});
