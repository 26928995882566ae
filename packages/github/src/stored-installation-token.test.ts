import { describe, expect, it } from "vitest";
import { fromStoredInstallationToken, installationTokenStoreKey } from "./stored-installation-token.ts";

describe("installationTokenStoreKey", () => {
  it("is auth-app's shape with each level spelled out, permissions in name order", () => {
    const key = installationTokenStoreKey({
      installationId: 7,
      repositories: ["widgets", "gears"],
      permissions: { metadata: "read", contents: "write" },
    });
    expect(key).toBe("7|widgets,gears|contents=write,metadata=read");
  });

  it("tells admin from write, and leaves out what was not asked", () => {
    const ask = { installationId: 7, repositories: ["widgets"] };
    expect(installationTokenStoreKey({ ...ask, permissions: { administration: "admin" } })).not.toBe(
      installationTokenStoreKey({ ...ask, permissions: { administration: "write" } }),
    );
    expect(installationTokenStoreKey({ installationId: 7, repositories: [], permissions: {} })).toBe("7");
  });
});

describe("fromStoredInstallationToken", () => {
  it("answers the token and the permissions asked; nothing for an entry without a token", () => {
    const entry = {
      value: "ghs_x|2026-01-01T00:00:00Z|2026-01-01T01:00:00Z",
      installationId: 7,
      expiresAt: Date.parse("2026-01-01T01:00:00Z"),
      repositories: [{ id: 1, fullName: "acme/widgets" }],
    };
    const asked = { permissions: { contents: "write" as const } };
    expect(fromStoredInstallationToken(entry, asked)).toEqual({
      token: "ghs_x",
      expiresAt: new Date(entry.expiresAt),
      permissions: { contents: "write" },
      repositories: entry.repositories,
      minted: false,
    });
    expect(fromStoredInstallationToken({ ...entry, value: "|x" }, asked)).toBeUndefined();
    expect(fromStoredInstallationToken(undefined, asked)).toBeUndefined();
  });
});
