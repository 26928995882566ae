import { describe, expect, it } from "vitest";
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, computeBackoff } from "./compute-backoff.ts";

describe("computeBackoff", () => {
  it("doubles from 2 s, capped at 5 minutes, with ±20 % jitter", () => {
    expect(computeBackoff(1, undefined, () => 0.5)).toBe(BACKOFF_BASE_MS);
    expect(computeBackoff(2, undefined, () => 0.5)).toBe(2 * BACKOFF_BASE_MS);
    expect(computeBackoff(4, undefined, () => 0.5)).toBe(8 * BACKOFF_BASE_MS);
    expect(computeBackoff(30, undefined, () => 0.5)).toBe(BACKOFF_MAX_MS);
    expect(computeBackoff(1, undefined, () => 0)).toBe(0.8 * BACKOFF_BASE_MS);
    expect(computeBackoff(1, undefined, () => 0.999_999)).toBeLessThanOrEqual(1.2 * BACKOFF_BASE_MS);
  });

  it("never retries earlier than GitHub asked, up to 15 minutes", () => {
    expect(computeBackoff(1, 60, () => 0.5)).toBe(60_000);
    expect(computeBackoff(1, 86_400, () => 0.5)).toBe(15 * 60_000);
  });
});
