const SIGNATURE = /^sha256=[0-9a-f]{64}$/i;

/**
 * Whether `X-Hub-Signature-256` can be a signature at all (`sha256=` and 64 hex digits). Checked before
 * the body is read: an unsigned or malformed request costs no body read, so an anonymous sender cannot
 * make us buffer megabytes only to refuse them. The real check (HMAC over the body) still follows.
 */
export function hasSignatureShape(header: string | null | undefined): header is string {
  return typeof header === "string" && SIGNATURE.test(header);
}
