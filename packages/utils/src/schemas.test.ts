import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ghu40 } from "../test/samples.ts";
import { parseInput } from "./parse-input.ts";
import { githubOwnerSchema, githubRepoNameSchema, sessionIdSchema, userIdSchema } from "./schemas.ts";

/** A repository as an RPC input names it: the schemas above in an object, for parseInput's cases. */
const repoRefSchema = z.object({ owner: githubOwnerSchema, repo: githubRepoNameSchema });

const cases: [string, { safeParse(v: unknown): { success: boolean } }, unknown[], unknown[]][] = [
  [
    "githubOwnerSchema",
    githubOwnerSchema,
    ["octocat", "a", "A1", "my-org", "a-b-c", "x".repeat(39), "dependabot", "0"],
    ["", "-a", "a-", "a--b", "x".repeat(40), "a_b", "a.b", "a/b", "..", "a b", "octocat[bot]", "ä", 5, null],
  ],
  [
    "githubRepoNameSchema",
    githubRepoNameSchema,
    ["r", "gitcred", ".github", "a.b_c-d", "...", "-leading", "x".repeat(100), "UPPER"],
    ["", ".", "..", "a/b", "a b", "x".repeat(101), "a%2e", "ä", "a\nb", 1],
  ],
  [
    "userIdSchema",
    userIdSchema,
    ["user-1", "u", "auth0|x".replace("|", ":"), "a@b.c", "org_1:user.2", "x".repeat(128)],
    ["", "a b", "a/b", "a|b", "x".repeat(129), "a\nb", "ä", 7],
  ],
  ["sessionIdSchema", sessionIdSchema, ["sess_01J", "s:1"], ["", "s/1", "x".repeat(129)]],
];

describe.each(cases)("%s", (_name, schema, valid, invalid) => {
  it.each(valid.map((v) => [v]))("accepts %j", (value) => {
    expect(schema.safeParse(value).success).toBe(true);
  });
  it.each(invalid.map((v) => [v]))("rejects %j", (value) => {
    expect(schema.safeParse(value).success).toBe(false);
  });
});

describe("parseInput", () => {
  it("returns the typed value", () => {
    const result = parseInput(repoRefSchema, { owner: "octocat", repo: "hello-world", extra: 1 });
    expect(result).toEqual({ ok: true, value: { owner: "octocat", repo: "hello-world" } });
  });

  it("lists the failing paths", () => {
    const result = parseInput(repoRefSchema, { owner: "-bad", repo: ".." });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe("invalid_request");
    expect(result.message).toMatch(/^owner: .*; repo: must not be '\.' or '\.\.'$/);
  });

  it("names the root when the input is not an object", () => {
    const result = parseInput(repoRefSchema, "octocat/hello");
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^\(input\): /) });
  });

  it("never echoes the raw input, even huge or secret", () => {
    const huge = "A".repeat(1_000_000);
    const result = parseInput(repoRefSchema, { owner: huge, repo: ghu40, [ghu40]: huge });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message.length).toBeLessThanOrEqual(501);
    expect(result.message).not.toContain("AAAAAAAAAA");
    expect(result.message).not.toContain(ghu40.slice(4));
  });

  it("redacts secret-looking keys in paths", () => {
    const result = parseInput(z.record(z.string(), z.number()), { [ghu40]: "x" });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("ghu_[REDACTED]") });
    if (!result.ok) expect(result.message).not.toContain(ghu40.slice(4));
  });

  it("bounds the number of issues listed", () => {
    const result = parseInput(
      z.array(z.number()),
      Array.from({ length: 20 }, () => "x"),
    );
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("and 15 more") });
  });
});
