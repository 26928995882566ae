import { describe, expect, it } from "vitest";
import { appInstallUrl } from "./app-install-url.ts";

describe("appInstallUrl", () => {
  it("is <web>/apps/<slug>/installations/new on github.com", () => {
    const url = appInstallUrl({ apiUrl: "https://api.github.com", webUrl: "https://github.com/" }, "gitcred");
    expect(url.toString()).toBe("https://github.com/apps/gitcred/installations/new");
  });

  it("is <web>/github-apps/<slug>/installations/new on GitHub Enterprise Server", () => {
    const url = appInstallUrl(
      { apiUrl: "https://ghe.example.com/api/v3", webUrl: "https://ghe.example.com" },
      "gitcred dev",
    );
    expect(url.toString()).toBe("https://ghe.example.com/github-apps/gitcred%20dev/installations/new");
  });
});
