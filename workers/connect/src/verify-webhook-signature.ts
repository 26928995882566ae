const encoder = new TextEncoder();

function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length !== 64 || !/^[0-9a-f]+$/i.test(hex)) return undefined;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Checks GitHub's `X-Hub-Signature-256: sha256=<hex>` over the raw body. Runs before anything else reads
 * the payload: an unsigned webhook could otherwise delete connections. `crypto.subtle.verify` compares
 * in constant time, so the signature cannot be found byte by byte through timing.
 */
export async function verifyWebhookSignature(
  secret: string,
  rawBody: ArrayBuffer | Uint8Array,
  signatureHeader: string | null | undefined,
): Promise<boolean> {
  if (secret === "" || typeof signatureHeader !== "string" || !signatureHeader.startsWith("sha256=")) {
    return false;
  }
  const signature = hexToBytes(signatureHeader.slice("sha256=".length));
  if (signature === undefined) return false;
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  return crypto.subtle.verify("HMAC", key, signature, rawBody);
}
