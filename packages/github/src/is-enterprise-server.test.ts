import { describe, expect, it } from "vitest";
import { isEnterpriseServer } from "./is-enterprise-server.ts";

describe("isEnterpriseServer", () => {
  it("is true for a REST base at /api/v3 (GHES's only layout), with or without a trailing slash", () => {
    expect(isEnterpriseServer("https://ghe.example.com/api/v3")).toBe(true);
    expect(isEnterpriseServer("http://127.0.0.1:8790/api/v3/")).toBe(true);
  });

  it("is false for github.com, a bare origin, another path and text that is no URL", () => {
    expect(isEnterpriseServer("https://api.github.com")).toBe(false);
    expect(isEnterpriseServer("http://127.0.0.1:8790")).toBe(false);
    expect(isEnterpriseServer("https://ghe.example.com/api/v3/extra")).toBe(false);
    expect(isEnterpriseServer("api/v3")).toBe(false);
  });
});
