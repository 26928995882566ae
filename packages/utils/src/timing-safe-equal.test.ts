import { describe, expect, it } from "vitest";
import { timingSafeEqual } from "./timing-safe-equal.ts";

describe("timingSafeEqual", () => {
  it.each([
    ["", "", true],
    ["abc", "abc", true],
    ["abc", "abd", false],
    ["abc", "xbc", false],
    ["abc", "abcd", false],
    ["abcd", "abc", false],
    ["", "a", false],
    ["ü", "ü", true],
    ["ü", "u", false],
  ])("%j vs %j is %s", (a, b, expected) => {
    expect(timingSafeEqual(a, b)).toBe(expected);
  });
});
