import { describe, expect, it } from "vitest";
import { shareInFlight } from "./share-in-flight.ts";

/** A promise the test opens when it chooses (this package cannot import test-support's). */
function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("shareInFlight", () => {
  it("callers arriving while the work runs join it; the slot empties once it settles", async () => {
    const holder: { current?: Promise<number> | undefined } = {};
    const held = gate();
    let starts = 0;
    const work = async () => {
      starts += 1;
      await held.promise;
      return starts;
    };
    const joined = [shareInFlight(holder, "current", work), shareInFlight(holder, "current", work)];
    expect(holder.current).toBe(joined[0]);
    expect(joined[1]).toBe(joined[0]);
    held.open();
    expect(await Promise.all(joined)).toEqual([1, 1]);
    expect(holder.current).toBeUndefined();
    expect(await shareInFlight(holder, "current", work)).toBe(2);
  });

  it("a failure reaches every caller and does not stay in the slot", async () => {
    const holder: { current?: Promise<string> | undefined } = {};
    const failing = shareInFlight<"current", string>(holder, "current", async () => {
      throw new Error("down");
    });
    await expect(failing).rejects.toThrow("down");
    expect(holder.current).toBeUndefined();
    expect(await shareInFlight(holder, "current", async () => "up")).toBe("up");
  });
});
