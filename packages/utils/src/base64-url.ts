const encoder = new TextEncoder();

function toBytes(data: Uint8Array | ArrayBuffer | string): Uint8Array {
  if (typeof data === "string") return encoder.encode(data);
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

function bytesToBinary(bytes: Uint8Array): string {
  let binary = "";
  // Chunked: spreading a large array into fromCharCode overflows the argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return binary;
}

function binaryToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Standard base64 with padding (for configuration values such as encryption keys). */
export function base64Encode(data: Uint8Array | ArrayBuffer | string): string {
  return btoa(bytesToBinary(toBytes(data)));
}

/**
 * Decodes standard base64 (padding optional). Throws a TypeError that does not quote the input: the
 * input is usually key material.
 */
export function base64Decode(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.replace(/=+$/, "").length % 4 === 1) {
    throw new TypeError("invalid base64");
  }
  try {
    return binaryToBytes(atob(text.replace(/=+$/, "")));
  } catch {
    throw new TypeError("invalid base64");
  }
}

/** Unpadded base64url (RFC 4648 §5): safe in URLs, cookies, KV keys and the envelope format. */
export function base64UrlEncode(data: Uint8Array | ArrayBuffer | string): string {
  return base64Encode(data).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Strict unpadded base64url decoding: other characters, padding and non-canonical trailing bits are
 * rejected, so each byte string has exactly one encoding (an envelope cannot be altered into another
 * string that decodes the same). Throws a TypeError that does not quote the input.
 */
export function base64UrlDecode(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new TypeError("invalid base64url");
  let bytes: Uint8Array;
  try {
    bytes = binaryToBytes(atob(text.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    throw new TypeError("invalid base64url");
  }
  if (base64UrlEncode(bytes) !== text) throw new TypeError("invalid base64url");
  return bytes;
}
