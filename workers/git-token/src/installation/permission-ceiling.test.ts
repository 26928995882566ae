import { ConfigError } from "@gitcred/utils";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PERMISSION_CEILING,
  parsePermissionCeiling,
  permissionsAboveCeiling,
} from "./permission-ceiling.ts";

describe("parsePermissionCeiling", () => {
  it("defaults to contents:write, metadata:read, pull_requests:write and never administration", () => {
    expect(parsePermissionCeiling(undefined)).toEqual(DEFAULT_PERMISSION_CEILING);
    expect(parsePermissionCeiling("  ")).toEqual(DEFAULT_PERMISSION_CEILING);
    expect(DEFAULT_PERMISSION_CEILING).not.toHaveProperty("administration");
  });

  it("takes a configured ceiling", () => {
    expect(parsePermissionCeiling('{"contents":"read","administration":"write"}')).toEqual({
      contents: "read",
      administration: "write",
    });
  });

  it.each(["[]", "null", "not json", '{"contents":"owner"}', '{"Bad Name":"read"}', '"contents"'])(
    "refuses %s with a ConfigError naming the setting",
    (raw) => {
      expect(() => parsePermissionCeiling(raw)).toThrow(ConfigError);
      expect(() => parsePermissionCeiling(raw)).toThrow(/PERMISSION_CEILING/);
    },
  );
});

describe("permissionsAboveCeiling", () => {
  const ceiling = DEFAULT_PERMISSION_CEILING;
  it("allows what the ceiling covers, at or below its level", () => {
    expect(permissionsAboveCeiling({ contents: "read", metadata: "read" }, ceiling)).toEqual([]);
    expect(permissionsAboveCeiling({ contents: "write", pull_requests: "read" }, ceiling)).toEqual([]);
  });

  it("names a permission absent from the ceiling or above its level", () => {
    expect(permissionsAboveCeiling({ administration: "write", contents: "write" }, ceiling)).toEqual([
      "administration",
    ]);
    expect(permissionsAboveCeiling({ metadata: "write", contents: "admin" }, ceiling)).toEqual([
      "contents",
      "metadata",
    ]);
  });

  it("is not fooled by names inherited from Object.prototype", () => {
    expect(permissionsAboveCeiling({ constructor: "read" } as Record<string, "read">, ceiling)).toEqual([
      "constructor",
    ]);
  });
});
