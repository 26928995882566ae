export type CappedBody = { ok: true; bytes: Uint8Array } | { ok: false; reason: "too_large" };

/**
 * Reads a request body of at most `maxBytes`. A declared `Content-Length` over the cap is refused before
 * one byte is read, and the stream is cancelled as soon as it passes the cap, so a client that lies about
 * (or leaves out) the length still cannot make this isolate (128 MB, shared by every request in it)
 * buffer more than the cap: the failure prevented is one request exhausting memory for everyone.
 */
export async function readCappedBody(request: Request, maxBytes: number): Promise<CappedBody> {
  const declared = request.headers.get("content-length");
  if (declared !== null && !(Number(declared) <= maxBytes)) return { ok: false, reason: "too_large" };
  if (request.body === null) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Stop the sender here: nothing past the cap is ever pulled into memory.
      await reader.cancel("body over the size cap").catch(() => {});
      return { ok: false, reason: "too_large" };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
