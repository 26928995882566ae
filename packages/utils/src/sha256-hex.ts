const encoder = new TextEncoder();

/**
 * Lowercase hex SHA-256 of the UTF-8 text. Single-use random values (OAuth state, settings-link ids)
 * are stored only as this hash, so a leaked row or KV key cannot be replayed.
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
