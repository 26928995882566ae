import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache.ts";

/** An injected clock: expiry is tested by moving it, never by waiting. */
function clock(start = 1_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("LruCache", () => {
  it("an entry expires at its time by the injected clock, and nothing already expired is stored", () => {
    const time = clock();
    const cache = new LruCache<string>(10, time.now);
    cache.set("a", "A", 1_500);
    cache.set("past", "P", 1_000);
    expect(cache.get("a")).toBe("A");
    expect(cache.get("past")).toBeUndefined();
    time.advance(499);
    expect(cache.get("a")).toBe("A");
    time.advance(1);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("keeps at most maxEntries, dropping the least recently used (a hit counts as use)", () => {
    const time = clock();
    const cache = new LruCache<number>(2, time.now);
    cache.set("a", 1, 10_000);
    cache.set("b", 2, 10_000);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3, 10_000);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
  });

  it("repeated hits on the newest entry, and on one that was deleted and set again, keep the order of use", () => {
    const cache = new LruCache<number>(2, clock().now);
    cache.set("a", 1, 10_000);
    cache.set("b", 2, 10_000);
    expect([cache.get("b"), cache.get("b"), cache.get("a")]).toEqual([2, 2, 1]);
    cache.set("c", 3, 10_000); // b is the least recently used now
    expect([cache.get("b"), cache.get("a"), cache.get("c")]).toEqual([undefined, 1, 3]);
    cache.delete("c");
    cache.set("c", 30, 10_000);
    expect(cache.get("a")).toBe(1); // a becomes the newest again; c is the oldest
    cache.set("d", 4, 10_000);
    expect([cache.get("c"), cache.get("a"), cache.get("d")]).toEqual([undefined, 1, 4]);
  });

  it("delete, deleteWhere and clear remove what they name", () => {
    const cache = new LruCache<{ user: string }>(10, clock().now);
    cache.set("1", { user: "x" }, 10_000);
    cache.set("2", { user: "y" }, 10_000);
    cache.set("3", { user: "x" }, 10_000);
    cache.deleteWhere((v) => v.user === "x");
    expect([cache.get("1"), cache.get("2"), cache.get("3")]).toEqual([undefined, { user: "y" }, undefined]);
    cache.delete("2");
    expect(cache.size).toBe(0);
    cache.set("4", { user: "z" }, 10_000);
    cache.clear();
    expect(cache.get("4")).toBeUndefined();
  });
});
