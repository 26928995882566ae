/**
 * Node-side reading of gitcred's token envelopes (`v1.<keyId>.<iv>.<ciphertext>`, AES-256-GCM, AAD
 * `gitcred:v1|<table>|<column>|<owner…>`), so the reliability run can check that a stored row is whole —
 * its tokens decrypt under their own AAD — without loading the workers' code into Node.
 */
import { createDecipheriv } from "node:crypto";

function keysOf(tokenEncryptionKeys: string): Map<string, Buffer> {
  return new Map(
    tokenEncryptionKeys.split(",").map((entry) => {
      const colon = entry.indexOf(":");
      return [entry.slice(0, colon).trim(), Buffer.from(entry.slice(colon + 1).trim(), "base64")];
    }),
  );
}

/** The AAD gitcred binds a secret to (packages/utils secretAad). */
export function secretAad(table: string, column: string, ...owner: (string | number)[]): string {
  const escapePart = (part: string | number) => String(part).replace(/%/g, "%25").replace(/\|/g, "%7C");
  return ["gitcred:v1", escapePart(table), escapePart(column), ...owner.map(escapePart)].join("|");
}

/** The plaintext, or throws when the envelope is malformed, the key unknown or the AAD wrong. */
export function openEnvelope(tokenEncryptionKeys: string, envelope: string, aad: string): string {
  const [version, keyId, iv, ciphertext] = envelope.split(".");
  const key = keysOf(tokenEncryptionKeys).get(keyId ?? "");
  if (version !== "v1" || key === undefined || iv === undefined || ciphertext === undefined) {
    throw new Error("not an envelope of a configured key");
  }
  const bytes = Buffer.from(ciphertext, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString(
    "utf8",
  );
}
