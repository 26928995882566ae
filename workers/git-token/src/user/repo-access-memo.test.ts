import { describe, expect, it } from "vitest";
import { REPO_ACCESS_MEMO_MS } from "../constants.ts";
import { createRepoAccessMemo } from "./repo-access-memo.ts";

const yes = { pull: true, push: true };

describe("repo-access memo", () => {
  it("keeps a positive verdict until REPO_ACCESS_MEMO_MS has passed on the caller's clock", () => {
    const memo = createRepoAccessMemo();
    memo.set("k", "u1", yes, 1_000);
    expect(memo.get("k", 1_000 + REPO_ACCESS_MEMO_MS - 1)).toEqual(yes);
    expect(memo.get("k", 1_000 + REPO_ACCESS_MEMO_MS)).toBeUndefined();
  });

  it("never keeps a negative verdict, and a negative answer drops the positive one it replaces", () => {
    const memo = createRepoAccessMemo();
    memo.set("k", "u1", { pull: false, push: false }, 0);
    expect(memo.get("k", 0)).toBeUndefined();
    memo.set("k", "u1", yes, 0);
    memo.set("k", "u1", { pull: false, push: false }, 1);
    expect(memo.get("k", 1)).toBeUndefined();
    expect(memo.size).toBe(0);
  });

  it("forgets every verdict of one person at once, and only theirs", () => {
    const memo = createRepoAccessMemo();
    memo.set("a", "u1", { pull: true, push: false }, 0);
    memo.set("b", "u1", yes, 0);
    memo.set("c", "u2", yes, 0);
    memo.forgetUser("u1");
    expect([memo.get("a", 0), memo.get("b", 0), memo.get("c", 0)]).toEqual([undefined, undefined, yes]);
  });

  it("is bounded: the least recently used verdict goes first", () => {
    const memo = createRepoAccessMemo(2);
    memo.set("a", "u1", yes, 0);
    memo.set("b", "u1", yes, 0);
    memo.get("a", 0);
    memo.set("c", "u1", yes, 0);
    expect(memo.get("b", 0)).toBeUndefined();
    expect(memo.get("a", 0)).toEqual(yes);
    expect(memo.size).toBe(2);
  });
});
