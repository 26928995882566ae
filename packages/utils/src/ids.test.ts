import { describe, expect, it } from "vitest";
import { base64Decode, base64Encode, base64UrlDecode, base64UrlEncode } from "./base64-url.ts";
import { randomToken } from "./random-token.ts";
import { sha256Hex } from "./sha256-hex.ts";
import { timingSafeEqual } from "./timing-safe-equal.ts";

describe("base64url", () => {
  // RFC 4648 §10 vectors (unpadded) plus bytes that need the URL alphabet.
  const vectors: [string, Uint8Array, string][] = [
    ["empty", new Uint8Array(), ""],
    ["f", new TextEncoder().encode("f"), "Zg"],
    ["fo", new TextEncoder().encode("fo"), "Zm8"],
    ["foo", new TextEncoder().encode("foo"), "Zm9v"],
    ["foob", new TextEncoder().encode("foob"), "Zm9vYg"],
    ["fooba", new TextEncoder().encode("fooba"), "Zm9vYmE"],
    ["foobar", new TextEncoder().encode("foobar"), "Zm9vYmFy"],
    ["url alphabet", new Uint8Array([0xfb, 0xff, 0xbf]), "-_-_"],
  ];
  it.each(vectors)("encodes and decodes %s", (_name, bytes, text) => {
    expect(base64UrlEncode(bytes)).toBe(text);
    expect(base64UrlDecode(text)).toEqual(bytes);
  });

  it("encodes strings as UTF-8 and large inputs", () => {
    expect(base64UrlEncode("ü")).toBe("w7w");
    const big = crypto.getRandomValues(new Uint8Array(65_536));
    expect(base64UrlDecode(base64UrlEncode(big))).toEqual(big);
  });

  const invalid = ["Z", "Zg==", "Zg=", "Zh", "Zm9=", "a+b/", "ab cd", "ab\n", "é"];
  it.each(invalid)("rejects %j (strict, canonical)", (text) => {
    expect(() => base64UrlDecode(text)).toThrow(TypeError);
  });

  it("standard base64 round-trips and rejects junk", () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf, 1]);
    expect(base64Encode(bytes)).toBe("+/+/AQ==");
    expect(base64Decode("+/+/AQ==")).toEqual(bytes);
    expect(base64Decode("+/+/AQ")).toEqual(bytes);
    expect(() => base64Decode("-_-_")).toThrow(TypeError);
    expect(() => base64Decode("abcde")).toThrow(TypeError);
  });
});

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

describe("sha256Hex", () => {
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ])("hashes %j", async (text, hex) => {
    expect(await sha256Hex(text)).toBe(hex);
  });

  it("hashes UTF-8, not UTF-16", async () => {
    const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array([0xc3, 0xbc])));
    expect(await sha256Hex("ü")).toBe([...bytes].map((b) => b.toString(16).padStart(2, "0")).join(""));
  });
});

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
