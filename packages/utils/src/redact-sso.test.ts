import { describe, expect, it } from "vitest";
import { redact } from "./redact.ts";

// An SSO authorize URL lets whoever holds it finish the person's SAML authorization: it reaches the
// person only, so a log line that quotes one (a header dump, a failure object) must lose it.
const request = "AZSCKtL4U8yX1H3sCQIVnVgmjmon5fWxks5YrqhJgah0b2tlbl9pZM4EuMz4";
const url = `https://github.com/orgs/acme/sso?authorization_request=${request}`;

describe("redact: SAML SSO authorize URLs", () => {
  it("drops the authorization request of the URL, as a header value, a query or a JSON field", () => {
    for (const text of [
      `x-github-sso: required; url=${url}`,
      `GitHub answered 403 (${url})`,
      JSON.stringify({ authorizeUrl: url }),
      JSON.stringify({ ssoUrl: url, organization: "acme" }),
      `authorizeUrl=${url}`,
    ]) {
      expect(redact(text)).not.toContain(request);
    }
  });

  it("keeps the organization readable", () => {
    expect(redact(`x-github-sso: required; url=${url}`)).toContain("/orgs/acme/sso");
  });
});
