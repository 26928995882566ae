import { describe, expect, it } from "vitest";
import { sha256Hex } from "./sha256-hex.ts";

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
