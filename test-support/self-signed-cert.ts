/**
 * A self-signed TLS certificate made in memory (ECDSA P-256, one day), for local https servers in tests:
 * the git credential helper answers https only, so the git servers its tests talk to speak TLS. Built with
 * node:crypto and a few lines of DER, so no openssl binary and no committed private key are needed.
 */
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isIP } from "node:net";

export interface SelfSignedCert {
  /** PKCS#8 private key, PEM. */
  key: string;
  /** The certificate, PEM: also the CA file clients trust (`GIT_SSL_CAINFO`, `NODE_EXTRA_CA_CERTS`). */
  cert: string;
}

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

const seq = (...parts: Buffer[]) => der(0x30, ...parts);

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [a * 40 + b];
  for (const value of rest) {
    const chunk = [value & 0x7f];
    for (let v = value >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = `${date.toISOString().slice(2, 19).replace(/[-T:]/g, "")}Z`;
  return der(0x17, Buffer.from(text, "ascii"));
}

function name(commonName: string): Buffer {
  return seq(der(0x31, seq(oid("2.5.4.3"), der(0x0c, Buffer.from(commonName, "utf8")))));
}

function subjectAltName(names: readonly string[]): Buffer {
  const entries = names.map((entry) =>
    isIP(entry) === 4
      ? der(0x87, Buffer.from(entry.split(".").map(Number)))
      : der(0x82, Buffer.from(entry, "ascii")),
  );
  return seq(oid("2.5.29.17"), der(0x04, seq(...entries)));
}

/** A certificate for `names` (DNS names and IPv4 addresses), valid from an hour ago for a day. */
export function createSelfSignedCert(names: readonly string[] = ["localhost", "127.0.0.1"]): SelfSignedCert {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ecdsaWithSha256 = seq(oid("1.2.840.10045.4.3.2"));
  const serial = randomBytes(8);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const now = Date.now();
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    ecdsaWithSha256,
    name("gitcred test"),
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name("gitcred test"),
    publicKey.export({ type: "spki", format: "der" }),
    der(
      0xa3,
      seq(
        subjectAltName(names),
        // basicConstraints CA:TRUE, as `openssl req -x509` writes: the certificate is its own trust anchor.
        seq(oid("2.5.29.19"), der(0x01, Buffer.from([0xff])), der(0x04, seq(der(0x01, Buffer.from([0xff]))))),
      ),
    ),
  );
  const signature = sign("sha256", tbs, privateKey);
  const certificate = seq(tbs, ecdsaWithSha256, der(0x03, Buffer.from([0]), signature));
  const body = certificate.toString("base64").replace(/.{64}/g, "$&\n");
  return {
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    cert: `-----BEGIN CERTIFICATE-----\n${body}${body.endsWith("\n") ? "" : "\n"}-----END CERTIFICATE-----\n`,
  };
}
