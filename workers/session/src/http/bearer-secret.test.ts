import { describe, expect, it } from "vitest";
import { bearerSecret } from "./bearer-secret.ts";

const request = (authorization?: string) =>
  new Request("http://x/", authorization === undefined ? {} : { headers: { authorization } });

describe("bearerSecret", () => {
  it("reads a base64url secret after Bearer", () => {
    expect(bearerSecret(request("Bearer abc_DEF-123"))).toBe("abc_DEF-123");
    expect(bearerSecret(request("bearer abc"))).toBe("abc");
  });

  it("refuses anything else", () => {
    for (const header of [
      undefined,
      "",
      "Bearer",
      "Bearer a b",
      "Basic abc",
      "Bearer a/b",
      `Bearer ${"a".repeat(257)}`,
    ]) {
      expect(bearerSecret(request(header))).toBeUndefined();
    }
  });
});
