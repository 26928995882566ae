import { describe, expect, it } from "vitest";
import { base64Decode, base64Encode, base64UrlDecode, base64UrlEncode } from "./base64-url.ts";

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
