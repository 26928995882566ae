import { env } from "cloudflare:workers";
import { base64Encode } from "@gitcred/utils";
import { describe, expect, it } from "vitest";
import { createAppJwt } from "./create-app-jwt.ts";
import { GitHubConfigError } from "./github-config-error.ts";
import { importAppPrivateKey } from "./import-app-private-key.ts";

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

async function appAccepts(key: CryptoKey): Promise<number> {
  const { jwt } = await createAppJwt(key, env.GITHUB_APP_ID);
  const res = await fetch(`${env.SIM_URL}/app`, {
    headers: { authorization: `Bearer ${jwt}`, "user-agent": "test" },
  });
  return res.status;
}

describe("importAppPrivateKey", () => {
  it("imports the PKCS#1 PEM GitHub hands out (converted to PKCS#8); GitHub accepts the JWT it signs", async () => {
    expect(env.GITHUB_APP_PRIVATE_KEY).toContain("BEGIN RSA PRIVATE KEY");
    expect(await appAccepts(await importAppPrivateKey(env.GITHUB_APP_PRIVATE_KEY))).toBe(200);
  });

  it("accepts a one-line secret with \\n escapes, and PKCS#8", async () => {
    const oneLine = env.GITHUB_APP_PRIVATE_KEY.replace(/\n/g, "\\n");
    expect(await appAccepts(await importAppPrivateKey(oneLine))).toBe(200);
    const key = await importAppPrivateKey(await generatedPkcs8Pem());
    expect(key.algorithm.name).toBe("RSASSA-PKCS1-v1_5");
    expect(key.extractable).toBe(false);
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
      const error = await importAppPrivateKey(pem).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitHubConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toMatch(/MII|[A-Za-z0-9+/]{40}/);
    }
  });
});
