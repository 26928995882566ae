import { describe, expect, it } from "vitest";
import { checkCredentialRequest } from "./check-credential-request.ts";
import { resolveRemoteScope } from "./resolve-remote-scope.ts";

describe("checkCredentialRequest", () => {
  it("answers https for the GitHub host only: case-insensitive, the port must match", () => {
    const check = (attributes: Record<string, string>) => checkCredentialRequest(attributes, "github.com");
    expect(check({ protocol: "https", host: "github.com" })).toEqual({ ok: true });
    expect(check({ protocol: "https", host: "GitHub.COM" })).toEqual({ ok: true });
    expect(check({ protocol: "https", host: "github.com:443" })).toEqual({ ok: true });
    expect(check({ protocol: "https", host: "evil.example" })).toEqual({ ok: false, reason: "other_host" });
    expect(check({ protocol: "https", host: "github.com.evil.example" })).toMatchObject({ ok: false });
    expect(check({ protocol: "https", host: "github.com:8443" })).toEqual({
      ok: false,
      reason: "other_host",
    });
    expect(check({ protocol: "https", host: "evil.example/@github.com" })).toMatchObject({ ok: false });
    expect(check({ protocol: "http", host: "github.com" })).toEqual({ ok: false, reason: "not_https" });
    expect(check({ host: "github.com" })).toEqual({ ok: false, reason: "missing_protocol" });
    expect(check({ protocol: "https" })).toEqual({ ok: false, reason: "missing_host" });
    expect(check({ url: "https://github.com/a/b" })).toEqual({ ok: false, reason: "missing_protocol" });
    expect(checkCredentialRequest({ protocol: "https", host: "127.0.0.1:4000" }, "127.0.0.1:4001")).toEqual({
      ok: false,
      reason: "other_host",
    });
  });
});

describe("resolveRemoteScope", () => {
  it("scopes https remotes on the GitHub host; refuses ssh, http, missing and other hosts", () => {
    expect(resolveRemoteScope("https://GitHub.com/acme/widgets.git", "github.com")).toEqual({
      ok: true,
      scope: "https://github.com",
      url: "https://github.com/acme/widgets.git",
      hadCredentials: false,
    });
    expect(resolveRemoteScope("https://x:ghp_x@github.com/acme/w.git", "github.com")).toMatchObject({
      ok: true,
      url: "https://github.com/acme/w.git",
      hadCredentials: true,
    });
    const reasons = [
      undefined,
      "",
      "git@github.com:acme/widgets.git",
      "ssh://git@github.com/acme/widgets.git",
      "/srv/git/widgets.git",
      "http://github.com/acme/widgets.git",
      "file:///srv/git/widgets.git",
      "https://evil.example/acme/widgets.git",
      "https://github.com:8443/acme/widgets.git",
    ].map((url) => {
      const scope = resolveRemoteScope(url, "github.com");
      return scope.ok ? "ok" : scope.reason;
    });
    expect(reasons).toEqual([
      "missing",
      "missing",
      "not_a_url",
      "not_https",
      "not_a_url",
      "not_https",
      "not_https",
      "other_host",
      "other_host",
    ]);
    // A refusal's message names the URL without the credentials it carried.
    const refused = resolveRemoteScope("http://x:ghp_secret@github.com/a/b.git", "github.com");
    expect(refused.ok ? "" : refused.message).not.toContain("ghp_secret");
  });
});
