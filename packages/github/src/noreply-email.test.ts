import { describe, expect, it } from "vitest";
import { noreplyEmail } from "./noreply-email.ts";

describe("noreplyEmail", () => {
  it("is GitHub's users.noreply.github.com address on github.com (and a github.com-shaped base)", () => {
    expect(noreplyEmail(41898282, "gitcred[bot]", "https://api.github.com")).toBe(
      "41898282+gitcred[bot]@users.noreply.github.com",
    );
    // The simulator in github.com mode: a loopback origin without /api/v3 stands in for api.github.com.
    expect(noreplyEmail(1, "ada", "http://127.0.0.1:8790")).toBe("1+ada@users.noreply.github.com");
  });

  it("follows the host on GitHub Enterprise Server (REST at /api/v3): users.noreply.<hostname>, no port", () => {
    expect(noreplyEmail(7, "gitcred[bot]", "https://ghe.example.com/api/v3")).toBe(
      "7+gitcred[bot]@users.noreply.ghe.example.com",
    );
    expect(noreplyEmail(7, "ada", "https://GHE.Example.com:8443/api/v3/")).toBe(
      "7+ada@users.noreply.ghe.example.com",
    );
  });

  it("answers for the URL asked even when the remembered one is another (github.com, then GHES, then back)", () => {
    const asked = ["https://api.github.com", "https://ghe.example.com/api/v3", "https://api.github.com"];
    expect(asked.map((url) => noreplyEmail(1, "ada", url))).toEqual([
      "1+ada@users.noreply.github.com",
      "1+ada@users.noreply.ghe.example.com",
      "1+ada@users.noreply.github.com",
    ]);
  });
});
