import { describe, expect, it } from "vitest";
import { OPEN_REDIRECT_PAYLOADS as hostile } from "../test/open-redirect-payloads.ts";
import { safeReturnPath } from "./safe-return-path.ts";

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
