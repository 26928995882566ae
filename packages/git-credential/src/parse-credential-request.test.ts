import { describe, expect, it } from "vitest";
import { formatCredentialResponse, parseCredentialRequest } from "./parse-credential-request.ts";

describe("git's credential protocol", () => {
  it("reads attributes up to the blank line", () => {
    expect(
      parseCredentialRequest("protocol=https\nhost=github.com\npath=o/r.git\npassword=a=b\n\nignored=1\n"),
    ).toEqual({ protocol: "https", host: "github.com", path: "o/r.git", password: "a=b" });
    expect(parseCredentialRequest("")).toEqual({});
    expect(parseCredentialRequest("no-equals\n=x\nhost=h\r\n")).toEqual({ host: "h" });
  });

  it("writes one line per attribute and refuses values that would break the record", () => {
    expect(formatCredentialResponse({ username: "x-access-token", password: "ghs_abc" })).toBe(
      "username=x-access-token\npassword=ghs_abc\n",
    );
    expect(() => formatCredentialResponse({ password: "a\nquit=1" })).toThrow();
    expect(() => formatCredentialResponse({ password: "a\0" })).toThrow();
  });
});
