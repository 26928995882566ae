import { env } from "cloudflare:workers";
import { base64Encode } from "@gitcred/utils";
import { describe, expect, it } from "vitest";
import { getAppInstallation } from "./get-app-installation.ts";
import { GitHubConfigError } from "./github-config-error.ts";
import { readAppPrivateKey } from "./import-app-private-key.ts";

async function generatedPkcs8Pem(): Promise<string> {
  const pair = (await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const der = (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer;
  const body = base64Encode(new Uint8Array(der)).replace(/(.{64})/g, "$1\n");
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

/** GitHub's answer to a JWT that @octokit/auth-app signed with the key: 404 for an unknown installation, 401 for a key it does not know. */
async function appAccepts(privateKey: string): Promise<string> {
  const github = { apiUrl: env.SIM_URL, webUrl: env.SIM_URL };
  const found = await getAppInstallation(github, { appId: env.GITHUB_APP_ID, privateKey }, 999_999_999);
  return found.ok ? "found" : found.reason;
}

describe("readAppPrivateKey", () => {
  it("reads the PKCS#1 PEM GitHub hands out as PKCS#8 (what auth-app signs with); GitHub accepts the JWT", async () => {
    expect(env.GITHUB_APP_PRIVATE_KEY).toContain("BEGIN RSA PRIVATE KEY");
    const pem = await readAppPrivateKey(env.GITHUB_APP_PRIVATE_KEY);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    // The JWT authenticated (an unknown installation is a 404, not the 401 of a refused JWT).
    expect(await appAccepts(pem)).toBe("not_found");
  });

  it("accepts a one-line secret with \\n escapes, and PKCS#8 as it is", async () => {
    const oneLine = env.GITHUB_APP_PRIVATE_KEY.replace(/\n/g, "\\n");
    expect(await appAccepts(await readAppPrivateKey(oneLine))).toBe("not_found");
    const pkcs8 = await generatedPkcs8Pem();
    expect((await readAppPrivateKey(pkcs8)).replace(/\s/g, "")).toBe(pkcs8.replace(/\s/g, ""));
    // A key GitHub does not know signs a JWT it refuses.
    expect(await appAccepts(pkcs8)).toBe("unauthorized");
  });

  it("fails with a clear message that never quotes the key", async () => {
    const broken = env.GITHUB_APP_PRIVATE_KEY.replace(/\n[A-Za-z0-9+/=]{10}/, "\n");
    const cases: [string | undefined, RegExp][] = [
      [undefined, /not set/],
      ["  ", /not set/],
      ["hello", /not a PEM private key/],
      ["-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----", /not a PEM private key/],
      ["-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----", /encrypted/],
      ["-----BEGIN RSA PRIVATE KEY-----\n!!!\n-----END RSA PRIVATE KEY-----", /not valid base64/],
      [broken, /not a usable RSA private key|not valid base64/],
    ];
    for (const [pem, message] of cases) {
      const error = await readAppPrivateKey(pem).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitHubConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toMatch(/MII|[A-Za-z0-9+/]{40}/);
    }
  });
});
