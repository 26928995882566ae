import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./safe-return-path.ts";

const hostile = [
  "//evil.example",
  "//evil.example/settings",
  "///evil.example",
  "////evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "https://evil.example",
  "http://evil.example/settings",
  "HTTPS://evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "%2F%2Fevil.example",
  "%2f%2fevil.example",
  "/%2F/evil.example",
  "/%2fevil.example",
  "%252F%252Fevil.example",
  "/%5Cevil.example",
  "%5C%5Cevil.example",
  " //evil.example",
  "\t//evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\u0000//evil.example",
  "/%09/evil.example",
  "/%0a/evil.example",
  "/%00/evil.example",
  "//%09evil.example",
  "evil.example",
  "settings",
  "../evil",
  "/%E0%A4%A",
  "//evil.example@gitcred.invalid",
  "/ /evil.example",
  `/${"a".repeat(600)}`,
  "",
];

describe("safeReturnPath", () => {
  it.each(hostile)("refuses %j", (payload) => {
    expect(safeReturnPath(payload)).toBe("/settings");
  });

  it("has at least 30 open-redirect payloads", () => {
    expect(hostile.length).toBeGreaterThanOrEqual(30);
  });

  it.each([
    ["/settings", "/settings"],
    ["/settings?tab=github", "/settings?tab=github"],
    ["/settings#github", "/settings#github"],
    ["/a/b/../c", "/a/c"],
    ["/café", "/caf%C3%A9"],
  ])("keeps the same-site path %j", (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  it.each([undefined, null, 42, {}, ["/settings"]])("falls back for a non-string %j", (value) => {
    expect(safeReturnPath(value)).toBe("/settings");
  });
});
