import { describe, expect, it } from "vitest";
import {
  OPEN_REDIRECT_PAYLOADS as hostile,
  SAME_SITE_LOOKALIKES,
} from "../../../test-support/open-redirect-payloads.ts";
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

  it.each(SAME_SITE_LOOKALIKES)("keeps the look-alike %j a path on this origin", (payload) => {
    const kept = safeReturnPath(payload);
    expect(kept.startsWith("/") && !kept.startsWith("//") && !kept.startsWith("/\\")).toBe(true);
    expect(new URL(kept, "https://gitcred.example").origin).toBe("https://gitcred.example");
  });

  it.each([undefined, null, 42, {}, ["/settings"]])("falls back for a non-string %j", (value) => {
    expect(safeReturnPath(value)).toBe("/settings");
  });
});
