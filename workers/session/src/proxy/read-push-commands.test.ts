import { describe, expect, it } from "vitest";
import { readPushCommands } from "./read-push-commands.ts";
import { pktLine } from "./refusal-report.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);
const Z = "0".repeat(40);
const encoder = new TextEncoder();

function concat(parts: (Uint8Array | string)[]): Uint8Array {
  const bytes = parts.map((p) => (typeof p === "string" ? encoder.encode(p) : p));
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of bytes) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}

/** A reader that delivers `bytes` in chunks of the given sizes (the rest in one), counting reads. */
function chunked(bytes: Uint8Array, sizes: number[] = []) {
  let at = 0;
  let reads = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        reads++;
        if (at >= bytes.byteLength) return controller.close();
        const size = sizes.shift() ?? bytes.byteLength - at;
        controller.enqueue(bytes.slice(at, at + size));
        at += size;
      },
    },
    { highWaterMark: 0 },
  );
  return { reader: stream.getReader(), reads: () => reads };
}

const PACK = encoder.encode("PACK\0\0\0\x02\0\0\0\0rest-of-pack");
const body = concat([
  pktLine(`${A} ${B} refs/heads/agent/x\0report-status side-band-64k agent=git/2.47\n`),
  pktLine(`${Z} ${B} refs/heads/agent/y\n`),
  pktLine(`${B} ${Z} refs/heads/old\n`),
  "0000",
  PACK,
]);

describe("readPushCommands (the proxy's pkt-line reader)", () => {
  it("reads the commands and capabilities, and returns every byte it read", async () => {
    const { reader } = chunked(body);
    const read = await readPushCommands(reader);
    expect(read).toMatchObject({
      ok: true,
      capabilities: ["report-status", "side-band-64k", "agent=git/2.47"],
      updates: [
        { ref: "refs/heads/agent/x", action: "update", oldId: A, newId: B },
        { ref: "refs/heads/agent/y", action: "create" },
        { ref: "refs/heads/old", action: "delete" },
      ],
    });
    if (read.ok) expect(read.prefix).toEqual(body);
  });

  it("any chunk boundary (inside a length, a payload, the flush) reads the same, and stops at the flush", async () => {
    for (let cut = 1; cut < body.byteLength - PACK.byteLength; cut += 7) {
      const { reader } = chunked(body, [cut, 1, 2, 3]);
      const read = await readPushCommands(reader);
      expect(read.ok, `cut at ${cut}`).toBe(true);
      if (!read.ok) continue;
      expect(read.updates.map((u) => u.ref)).toEqual([
        "refs/heads/agent/x",
        "refs/heads/agent/y",
        "refs/heads/old",
      ]);
      // What it read is a prefix of the body; what it did not read is still in the stream.
      expect(body.subarray(0, read.prefix.byteLength)).toEqual(read.prefix);
      let rest: Uint8Array = new Uint8Array(0);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        rest = concat([rest, value]);
      }
      expect(concat([read.prefix, rest])).toEqual(body);
    }
  });

  it("one byte at a time, it never reads past the chunk that holds the flush", async () => {
    const bytes = concat([pktLine(`${A} ${B} refs/heads/agent/x\0report-status\n`), "0000", PACK]);
    const flushEnd = bytes.byteLength - PACK.byteLength;
    const { reader, reads } = chunked(bytes, Array(bytes.byteLength).fill(1));
    const read = await readPushCommands(reader);
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.prefix.byteLength).toBe(flushEnd);
    expect(reads()).toBe(flushEnd);
  });

  it("skips shallow lines and an empty pkt-line; takes sha256 ids and a line without LF", async () => {
    const A64 = "c".repeat(64);
    const B64 = "d".repeat(64);
    const bytes = concat([
      pktLine(`shallow ${A}\n`),
      "0004",
      pktLine(`${A64} ${B64} refs/heads/agent/z\0 report-status`),
      "0000",
    ]);
    const read = await readPushCommands(chunked(bytes).reader);
    expect(read).toMatchObject({ ok: true, updates: [{ ref: "refs/heads/agent/z", action: "update" }] });
  });

  it.each([
    ["a length that is not hex", concat(["00zz", "0000"]), "malformed"],
    ["a length below 4", concat(["0003", "0000"]), "malformed"],
    ["a delim-pkt (v2 only)", concat(["0001", "0000"]), "malformed"],
    ["an oversized length (> 65520)", concat(["fff1", "x".repeat(100)]), "malformed"],
    ["a flush before any command", concat(["0000", PACK]), "malformed"],
    ["a command that is not old new ref", concat([pktLine(`${A} refs/heads/x\n`), "0000"]), "malformed"],
    [
      "ids of different lengths",
      concat([pktLine(`${A} ${"d".repeat(64)} refs/heads/x\n`), "0000"]),
      "malformed",
    ],
    ["uppercase ids", concat([pktLine(`${A.toUpperCase()} ${B} refs/heads/x\n`), "0000"]), "malformed"],
    [
      "a push certificate",
      concat([pktLine("push-cert\0report-status\n"), pktLine("certificate version 0.1\n")]),
      "push_cert",
    ],
    ["a body that ends before the flush", pktLine(`${A} ${B} refs/heads/agent/x\n`), "truncated"],
    ["an empty body", new Uint8Array(0), "truncated"],
  ])("refuses %s", async (_, bytes, reason) => {
    const read = await readPushCommands(chunked(bytes, [1, 3, 5]).reader);
    expect(read).toMatchObject({ ok: false, reason });
  });

  it("refuses a command list longer than the cap without reading on", async () => {
    const line = pktLine(`${A} ${B} refs/heads/agent/${"n".repeat(100)}\n`);
    let served = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        served += line.byteLength;
        controller.enqueue(line);
      },
    });
    const read = await readPushCommands(endless.getReader(), 64 * 1024);
    expect(read).toMatchObject({ ok: false, reason: "too_large" });
    expect(served).toBeLessThan(64 * 1024 + 2 * line.byteLength);
  });
});
