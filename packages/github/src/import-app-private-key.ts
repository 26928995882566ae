import { base64Decode, base64Encode } from "@gitcred/utils";
import { GitHubConfigError } from "./github-config-error.ts";

/** AlgorithmIdentifier of rsaEncryption (OID 1.2.840.113549.1.1.1) with NULL parameters, DER. */
const RSA_ALGORITHM_IDENTIFIER = new Uint8Array([
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
]);
/** `INTEGER 0`: the PKCS#8 version. */
const VERSION_ZERO = new Uint8Array([0x02, 0x01, 0x00]);

function derLength(length: number): Uint8Array {
  if (length < 0x80) return new Uint8Array([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return new Uint8Array([0x80 | bytes.length, ...bytes]);
}

function derElement(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  const header = derLength(length);
  const out = new Uint8Array(1 + header.length + length);
  out[0] = tag;
  out.set(header, 1);
  let offset = 1 + header.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (what WebCrypto imports). */
export function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array {
  return derElement(0x30, VERSION_ZERO, RSA_ALGORITHM_IDENTIFIER, derElement(0x04, pkcs1));
}

function pemBody(pem: string, label: string): Uint8Array {
  const match = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem);
  if (match?.[1] === undefined) throw new GitHubConfigError(`GITHUB_APP_PRIVATE_KEY: no ${label} block`);
  try {
    return base64Decode(match[1].replace(/\s+/g, ""));
  } catch {
    throw new GitHubConfigError(`GITHUB_APP_PRIVATE_KEY: the ${label} block is not valid base64`);
  }
}

/**
 * Reads the GitHub App's private key for `@octokit/auth-app`, which signs its JWTs with WebCrypto and so
 * takes PKCS#8 only. GitHub hands out PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`): it is wrapped into PKCS#8
 * here, so operators can paste the key as downloaded; `\n` escapes (from a one-line secret) are accepted.
 * The key is imported once to prove it signs, so a bad key fails at configuration with a
 * GitHubConfigError whose message names the problem and never quotes the key, not at the first mint.
 * Returns the PKCS#8 PEM.
 */
export async function readAppPrivateKey(pem: string | undefined): Promise<string> {
  if (pem === undefined || pem.trim() === "") {
    throw new GitHubConfigError("GITHUB_APP_PRIVATE_KEY is not set");
  }
  const text = pem.replace(/\\n/g, "\n");
  let pkcs8: Uint8Array;
  if (text.includes("-----BEGIN RSA PRIVATE KEY-----")) {
    pkcs8 = pkcs1ToPkcs8(pemBody(text, "RSA PRIVATE KEY"));
  } else if (text.includes("-----BEGIN PRIVATE KEY-----")) {
    pkcs8 = pemBody(text, "PRIVATE KEY");
  } else if (text.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
    throw new GitHubConfigError("GITHUB_APP_PRIVATE_KEY is encrypted: store the unencrypted PEM as a secret");
  } else {
    throw new GitHubConfigError(
      "GITHUB_APP_PRIVATE_KEY is not a PEM private key (expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)",
    );
  }
  try {
    await crypto.subtle.importKey("pkcs8", pkcs8, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
      "sign",
    ]);
    const lines = base64Encode(pkcs8).match(/.{1,64}/g) ?? [];
    return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----\n`;
  } catch {
    throw new GitHubConfigError("GITHUB_APP_PRIVATE_KEY is not a usable RSA private key");
  } finally {
    pkcs8.fill(0);
  }
}
