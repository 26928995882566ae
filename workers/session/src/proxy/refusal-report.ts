const encoder = new TextEncoder();
/** side-band-64k: 65520-byte packets, 4 of length and 1 of band (gitprotocol-capabilities). */
const SIDE_BAND_64K_MAX = 65520;
/** side-band: 1000-byte packets. */
const SIDE_BAND_MAX = 1000;
const FLUSH = encoder.encode("0000");

/** One pkt-line (gitprotocol-common): 4 hex digits of length (its own 4 included), then the payload. */
export function pktLine(payload: Uint8Array | string): Uint8Array {
  const bytes = typeof payload === "string" ? encoder.encode(payload) : payload;
  const line = new Uint8Array(bytes.byteLength + 4);
  line.set(encoder.encode((bytes.byteLength + 4).toString(16).padStart(4, "0")));
  line.set(bytes, 4);
  return line;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** `data` on side-band `band`, split into packets of at most `max` bytes (as git's `send_sideband`). */
function sideBand(band: 1 | 2 | 3, data: Uint8Array, max: number): Uint8Array[] {
  const packets: Uint8Array[] = [];
  for (let at = 0; at < data.byteLength; at += max - 5) {
    const chunk = data.subarray(at, Math.min(data.byteLength, at + max - 5));
    const payload = new Uint8Array(chunk.byteLength + 1);
    payload[0] = band;
    payload.set(chunk, 1);
    packets.push(pktLine(payload));
  }
  return packets;
}

/** What a refused ref update says: its name, and the reason git prints after it. */
export interface RefRefusal {
  ref: string;
  reason: string;
}

/** No line breaks in a reason: each report line is one pkt-line that ends at its LF. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").slice(0, 500);
}

/**
 * The answer to a push the proxy refuses, in the shape git reads as receive-pack's own (gitprotocol-pack,
 * "Report Status"): `unpack ok`, then `ng <ref> <reason>` for every ref of the push, then a flush. Git
 * prints each as ` ! [remote rejected] <ref> (<reason>)`. With `side-band-64k` (or `side-band`) the report
 * travels on band 1 and `message` goes first on band 2, which git prints as `remote: <message>`; without
 * `report-status` the client gets an `ERR <message>` pkt-line (or band 3), which git prints as
 * `remote error`. Without such a report git would say only that the connection failed.
 */
export function refusalReport(
  refusals: readonly RefRefusal[],
  capabilities: readonly string[],
  message: string,
): Uint8Array {
  const caps = new Set(capabilities);
  const band = caps.has("side-band-64k") ? SIDE_BAND_64K_MAX : caps.has("side-band") ? SIDE_BAND_MAX : 0;
  const text = oneLine(message);
  if (!caps.has("report-status") && !caps.has("report-status-v2")) {
    if (band === 0) return pktLine(`ERR ${text}\n`);
    return concat([...sideBand(3, encoder.encode(`${text}\n`), band), FLUSH]);
  }
  const report = concat([
    pktLine("unpack ok\n"),
    ...refusals.map((r) => pktLine(`ng ${r.ref} ${oneLine(r.reason)}\n`)),
    FLUSH,
  ]);
  if (band === 0) return report;
  return concat([...sideBand(2, encoder.encode(`${text}\n`), band), ...sideBand(1, report, band), FLUSH]);
}
