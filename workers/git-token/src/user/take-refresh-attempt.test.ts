import { describe, expect, it } from "vitest";
import { type BudgetStorage, REFRESH_ATTEMPTS_PER_HOUR, takeRefreshAttempt } from "./take-refresh-attempt.ts";

function memoryStorage(): BudgetStorage & { puts: number } {
  const map = new Map<string, unknown>();
  return {
    puts: 0,
    async get<T>(key: string) {
      return map.get(key) as T | undefined;
    },
    async put<T>(key: string, value: T) {
      this.puts += 1;
      map.set(key, value);
    },
  };
}

describe("takeRefreshAttempt (refreshes per person per hour)", () => {
  it("allows the cap, then answers the rest of the hour, then a new hour starts", async () => {
    const storage = memoryStorage();
    const start = 1_000_000;
    for (let i = 1; i <= REFRESH_ATTEMPTS_PER_HOUR; i++) {
      expect(await takeRefreshAttempt(storage, start + i - 1)).toEqual({ ok: true, used: i });
    }
    expect(await takeRefreshAttempt(storage, start + 600_000)).toEqual({
      ok: false,
      retryAfterSeconds: 3000,
    });
    // A refused attempt is not counted (nothing was sent).
    expect(storage.puts).toBe(REFRESH_ATTEMPTS_PER_HOUR);
    expect(await takeRefreshAttempt(storage, start + 3_600_000)).toEqual({ ok: true, used: 1 });
  });
});
