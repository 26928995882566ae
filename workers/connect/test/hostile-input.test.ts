import { describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { logLines } from "./canary-scan.setup.ts";
import { connectService, seedPerson, signedInBrowser } from "./helpers.ts";

const CANARY_TOKEN = `ghu_${"Z".repeat(36)}`;
const STATELESS = `ghs_${"eyJ0eXAiOiJKV1QifQ".padEnd(200, "a")}.${"b".repeat(200)}-${"c".repeat(80)}`;
const hostile = [
  `line1\r\nX-Injected: yes`,
  `a\nb{"level":"error","msg":"forged"}`,
  CANARY_TOKEN,
  STATELESS,
  `Bearer ${CANARY_TOKEN}`,
  `https://x-access-token:${CANARY_TOKEN}@github.com/o/r.git`,
  "%0d%0aSet-Cookie:%20evil=1",
  "<script>alert(1)</script>",
];
const params = [
  "state",
  "code",
  "error",
  "error_description",
  "error_uri",
  "s",
  "device",
  "github",
  "return_to",
];

describe("hostile query parameters", () => {
  it("never reach a log line raw, a header, or a redirect", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const start = logLines.length;
    for (const value of hostile) {
      for (const param of params) {
        for (const path of ["/github/callback", "/settings"]) {
          const query = new URLSearchParams({ state: "x".repeat(43), [param]: value });
          const res = await browser.request(`${path}?${query}`);
          expect(res.status).toBeLessThan(500);
          const location = res.headers.get("location") ?? "";
          expect(location).not.toContain(CANARY_TOKEN);
          expect(location).not.toMatch(/[\r\n]/);
          if (location !== "") expect(location.startsWith("/")).toBe(true);
          for (const [name, headerValue] of res.headers)
            expect(`${name}: ${headerValue}`).not.toContain("Injected");
          expect(await res.text()).not.toContain("<script>alert(1)</script>");
        }
      }
    }
    const lines = logLines.slice(start);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toMatch(/[\r\n]/);
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain(CANARY_TOKEN);
      expect(line).not.toContain(STATELESS.slice(0, 60));
      expect(line).not.toContain("forged");
    }
  });

  it("createSettingsLink refuses hostile user ids and return paths never leave the site", async () => {
    for (const value of hostile) {
      // User ids are opaque to us: only their shape is checked (a token-shaped id is still just an id).
      if (!/^[A-Za-z0-9_.:@-]{1,128}$/.test(value)) {
        expect(await connectService().createSettingsLink({ userId: value })).toMatchObject({
          reason: "invalid_request",
        });
      }
      const link = await connectService().createSettingsLink({ userId: "u-1", returnTo: value });
      expect(link.ok).toBe(true);
      if (link.ok) expect(link.url).not.toContain(encodeURIComponent(value));
    }
  });

  it("an unknown route is a plain 404", async () => {
    const res = await new Browser().request(`/github/${encodeURIComponent(CANARY_TOKEN)}`);
    expect(res.status).toBe(404);
  });
});
