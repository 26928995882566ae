import { describe, expect, it } from "vitest";
import { nextDeviceState } from "./next-device-state.ts";
import type { DeviceRecord } from "./types.ts";

const NOW = 1_000_000;

function record(overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    deviceCodeEnc: "v1.k.iv.ct",
    userCode: "ABCD-1234",
    verificationUri: "https://github.com/login/device",
    intervalSeconds: 5,
    expiresAt: NOW + 900_000,
    status: "pending",
    polls: 0,
    ...overrides,
  };
}

describe("nextDeviceState", () => {
  it("pending: polls again after the interval", () => {
    const next = nextDeviceState(record(), { ok: false, reason: "authorization_pending" }, NOW);
    expect(next).toEqual({ record: record({ polls: 1 }), nextPollAt: NOW + 5_000 });
  });

  it("slow_down adds 5 s for this poll and every later one", () => {
    const first = nextDeviceState(record(), { ok: false, reason: "slow_down" }, NOW);
    expect(first.nextPollAt).toBe(NOW + 10_000);
    expect(first.record.intervalSeconds).toBe(10);
    const later = nextDeviceState(first.record, { ok: false, reason: "authorization_pending" }, NOW);
    expect(later.nextPollAt).toBe(NOW + 10_000);
  });

  it("transient trouble waits at least the retry time GitHub or gitcred asked for", () => {
    for (const reason of ["github_unavailable", "rate_limited", "database_unavailable", "busy"] as const) {
      const next = nextDeviceState(record(), { ok: false, reason, retryAfterSeconds: 30 }, NOW);
      expect(next.nextPollAt, reason).toBe(NOW + 30_000);
      expect(next.record.status, reason).toBe("pending");
    }
  });

  it("a poll that would land after expiry ends as expired, and the device code is dropped", () => {
    const next = nextDeviceState(
      record({ expiresAt: NOW + 4_000 }),
      { ok: false, reason: "authorization_pending" },
      NOW,
    );
    expect(next.nextPollAt).toBeUndefined();
    expect(next.record.status).toBe("expired");
    expect(next.record.deviceCodeEnc).toBeUndefined();
  });

  it("ends: connected (with the login), denied, expired, failed (with the reason code only)", () => {
    const connected = nextDeviceState(
      record(),
      { ok: true, githubUserId: 1, login: "octocat", name: null, connectionId: "c", replaced: "none" },
      NOW,
    );
    expect(connected.record).toMatchObject({ status: "connected", login: "octocat", polls: 1 });
    expect(connected.record.deviceCodeEnc).toBeUndefined();
    expect(nextDeviceState(record(), { ok: false, reason: "access_denied" }, NOW).record.status).toBe(
      "denied",
    );
    expect(nextDeviceState(record(), { ok: false, reason: "expired_token" }, NOW).record.status).toBe(
      "expired",
    );
    const failed = nextDeviceState(record(), { ok: false, reason: "account_in_use", message: "x" }, NOW);
    expect(failed.record).toMatchObject({ status: "failed", failureReason: "account_in_use" });
  });
});
