/**
 * Key material for seeding GitHub Apps in the simulator, and App JWTs signed like GitHub expects.
 */
import { createSign, generateKeyPairSync } from "node:crypto";

/** An RSA key pair in the PEM forms gitcred and the simulator use. */
export interface AppKeyPair {
  /** `-----BEGIN RSA PRIVATE KEY-----`: what GitHub hands out when you generate an App key. */
  privateKeyPkcs1Pem: string;
  /** `-----BEGIN PRIVATE KEY-----`: what WebCrypto on workerd needs. */
  privateKeyPkcs8Pem: string;
  /** `-----BEGIN PUBLIC KEY-----` (SPKI): what `seedApp` takes. */
  publicKeyPem: string;
}

/** Generates an RSA 2048 key pair for a simulated App. */
export function generateAppKeyPair(): AppKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPkcs1Pem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    privateKeyPkcs8Pem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

/**
 * Signs an App JWT (RS256). Defaults follow GitHub's advice: `iat` 60 s in the past, `exp` 9 minutes
 * ahead. Override `iat`/`exp` to test the simulator's clock checks.
 */
export function signAppJwt(options: {
  iss: number | string;
  privateKeyPem: string;
  now?: number;
  iat?: number;
  exp?: number;
}): string {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const payload = { iat: options.iat ?? now - 60, exp: options.exp ?? now + 540, iss: options.iss };
  const head = `${b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }))}.${b64url(JSON.stringify(payload))}`;
  const signature = createSign("RSA-SHA256").update(head).sign(options.privateKeyPem);
  return `${head}.${b64url(signature)}`;
}
