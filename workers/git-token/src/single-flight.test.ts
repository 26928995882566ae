import { describe, expect, it } from "vitest";
import { SingleFlight } from "./single-flight.ts";

describe("SingleFlight", () => {
  it("concurrent callers of one key share one run; another key runs on its own", async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const work = async () => {
      runs += 1;
      await held;
      return runs;
    };
    const same = Array.from({ length: 10 }, () => flights.run("k", work));
    const other = flights.run("other", async () => -1);
    release();
    expect(new Set(await Promise.all(same))).toEqual(new Set([1]));
    expect(await other).toBe(-1);
    expect(runs).toBe(1);
  });

  it("forgets a key once its run settled, also when it failed", async () => {
    const flights = new SingleFlight<string>();
    await expect(
      flights.run("k", async () => {
        throw new Error("down");
      }),
    ).rejects.toThrow("down");
    expect(await flights.run("k", async () => "fresh")).toBe("fresh");
  });
});
