import { describe, expect, it } from "vitest";
import { avatarUrlSchema, displayNameSchema } from "./platform-account.ts";

describe("the platform account's display name", () => {
  it("is trimmed and kept as given otherwise", () => {
    expect(displayNameSchema.parse("  Ada Lovelace (acme) ")).toBe("Ada Lovelace (acme)");
    expect(displayNameSchema.parse("Zoë 🚀 Müller")).toBe("Zoë 🚀 Müller");
    expect(displayNameSchema.parse("é".repeat(80))).toHaveLength(80);
  });

  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["too long", "x".repeat(81)],
    ["a right-to-left override (renders as another name)", "Alice\u202Eecila"],
    ["a zero-width joiner", "Ali\u200Dce"],
    ["a line break", "Alice\nBob"],
    ["a NUL", "Alice\u0000"],
    ["a line separator", "Alice\u2028Bob"],
  ])("refuses %s", (_why, value) => {
    expect(displayNameSchema.safeParse(value).success).toBe(false);
  });
});

describe("the platform account's avatar URL", () => {
  it("accepts https", () => {
    expect(avatarUrlSchema.parse("https://cdn.example/a/1.png?s=96")).toBe(
      "https://cdn.example/a/1.png?s=96",
    );
  });

  it.each([
    "http://cdn.example/a.png",
    "javascript:alert(1)",
    "data:image/png;base64,AAAA",
    "https://user:pass@cdn.example/a.png",
    "//cdn.example/a.png",
    "not a url",
    `https://cdn.example/${"a".repeat(2048)}`,
  ])("refuses %s", (value) => {
    expect(avatarUrlSchema.safeParse(value).success).toBe(false);
  });
});
