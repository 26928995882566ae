import { describe, expect, it } from "vitest";
import { base64UrlDecode } from "./base64-url.ts";
import { randomToken } from "./random-token.ts";

describe("randomToken", () => {
  it.each([
    [1, 2],
    [16, 22],
    [32, 43],
    [64, 86],
  ])("%i bytes give %i base64url characters", (bytes, length) => {
    expect(randomToken(bytes)).toMatch(new RegExp(`^[A-Za-z0-9_-]{${length}}$`));
  });

  it("defaults to 32 bytes and does not repeat", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken()));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(base64UrlDecode(token)).toHaveLength(32);
  });

  it.each([0, -1, 1.5, 1025, Number.NaN])("refuses %s bytes", (bytes) => {
    expect(() => randomToken(bytes)).toThrow(RangeError);
  });
});
