import type { GitRefUpdate } from "@gitcred/client";

/**
 * The command list at the start of a `git-receive-pack` request body (gitprotocol-pack, "Reference
 * Update Request"), read as pkt-lines (gitprotocol-common): `*shallow` lines, then
 * `PKT-LINE(command NUL capability-list) *PKT-LINE(command) flush-pkt`, where a command is
 * `old-id SP new-id SP refname`. The pack (or push options, then the pack) follows the flush and is not
 * read here.
 */
export interface PushCommands {
  updates: GitRefUpdate[];
  /** The capabilities the client asked for (`report-status`, `side-band-64k`, `agent=...`). */
  capabilities: string[];
  /**
   * Every byte read from the body so far, in order: the commands and whatever of the pack came in the
   * same chunks. Forwarded first, then the rest of the body streams; nothing else is held.
   */
  prefix: Uint8Array;
}

export type PushCommandsResult =
  | ({ ok: true } & PushCommands)
  | { ok: false; reason: "too_large" | "malformed" | "push_cert" | "truncated"; message: string };

/** The most a command list may take before its flush (about 10,000 refs); more is refused, not buffered. */
export const MAX_COMMAND_BYTES = 1024 * 1024;
/** gitprotocol-common: a pkt-line is at most 65520 bytes, its length included. */
const MAX_PKT_LEN = 65520;
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO_ID = /^0+$/;

function fail(reason: Extract<PushCommandsResult, { ok: false }>["reason"], message: string) {
  return { ok: false as const, reason, message };
}

/** The bytes read so far: appended chunk by chunk, one copy, never past the cap plus one chunk. */
class ReadBuffer {
  private bytes = new Uint8Array(0);
  size = 0;
  append(chunk: Uint8Array): void {
    if (this.size + chunk.byteLength > this.bytes.byteLength) {
      const grown = new Uint8Array(Math.max(this.bytes.byteLength * 2, this.size + chunk.byteLength, 4096));
      grown.set(this.bytes.subarray(0, this.size));
      this.bytes = grown;
    }
    this.bytes.set(chunk, this.size);
    this.size += chunk.byteLength;
  }
  view(): Uint8Array {
    return this.bytes.subarray(0, this.size);
  }
}

/** One command line's payload (without the capabilities): a ref update, or why it is not one. */
function parseCommand(text: string): GitRefUpdate | undefined {
  const line = text.endsWith("\n") ? text.slice(0, -1) : text;
  const [oldId, newId, ref, ...rest] = line.split(" ");
  if (oldId === undefined || newId === undefined || ref === undefined || rest.length > 0) return undefined;
  if (!OBJECT_ID.test(oldId) || !OBJECT_ID.test(newId) || oldId.length !== newId.length) return undefined;
  if (ref === "" || ref.includes("\uFFFD")) return undefined;
  const action = ZERO_ID.test(newId) ? "delete" : ZERO_ID.test(oldId) ? "create" : "update";
  return { ref, action, oldId, newId };
}

/**
 * Reads the push's command list from `reader` up to and including its flush-pkt, and returns it with
 * the raw bytes read (to be forwarded unchanged). Chunk boundaries may fall anywhere, even inside a
 * length. Fails closed: a length that is not 4 hex digits, one below 4 or above 65520, a command that is
 * not `old new ref`, a push certificate (signed pushes carry their commands elsewhere), a body that ends
 * before the flush, or more than `maxBytes` before it. Without the cap a sandbox could make the proxy
 * hold an endless command list in memory.
 */
export async function readPushCommands(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number = MAX_COMMAND_BYTES,
): Promise<PushCommandsResult> {
  const buffer = new ReadBuffer();
  const decoder = new TextDecoder();
  const updates: GitRefUpdate[] = [];
  let capabilities: string[] | undefined;
  let offset = 0;
  for (;;) {
    const bytes = buffer.view();
    if (bytes.byteLength - offset >= 4) {
      const head = decoder.decode(bytes.subarray(offset, offset + 4));
      if (!/^[0-9a-fA-F]{4}$/.test(head)) return fail("malformed", "the push does not start with pkt-lines");
      const length = Number.parseInt(head, 16);
      if (length === 0) {
        if (updates.length === 0) return fail("malformed", "the push names no ref to update");
        return { ok: true, updates, capabilities: capabilities ?? [], prefix: bytes };
      }
      if (length < 4 || length > MAX_PKT_LEN) return fail("malformed", `a pkt-line of length ${length}`);
      if (offset + length > maxBytes) return fail("too_large", "the push's command list is too long");
      if (bytes.byteLength - offset >= length) {
        const payload = bytes.subarray(offset + 4, offset + length);
        offset += length;
        if (payload.byteLength === 0) continue;
        const nul = payload.indexOf(0);
        const text = decoder.decode(nul < 0 ? payload : payload.subarray(0, nul));
        if (text.startsWith("shallow ")) continue;
        if (text.startsWith("push-cert")) {
          return fail("push_cert", "signed pushes (push certificates) are not supported through the proxy");
        }
        if (nul >= 0 && capabilities === undefined) {
          capabilities = decoder
            .decode(payload.subarray(nul + 1))
            .trim()
            .split(" ")
            .filter(Boolean);
        }
        const update = parseCommand(text);
        if (update === undefined) return fail("malformed", "a push command is not `old-id new-id ref`");
        updates.push(update);
        continue;
      }
    }
    if (buffer.size > maxBytes) return fail("too_large", "the push's command list is too long");
    const { done, value } = await reader.read();
    if (done) return fail("truncated", "the push ended before its command list did");
    if (value.byteLength > 0) buffer.append(value);
  }
}
