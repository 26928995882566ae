import { describe, expect, it } from "vitest";
import { isoTime } from "./iso-time.ts";

describe("isoTime", () => {
  it("formats as Date#toISOString does, again and again, and for more instants than it keeps", () => {
    const instants = Array.from({ length: 200 }, (_, i) => 1_800_000_000_000 + i * 61_001);
    for (let round = 0; round < 3; round++)
      for (const ms of instants) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it("throws for an instant Date cannot format, as toISOString does (nothing remembered)", () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
