import { describe, expect, it } from "vitest";
import { ghr80, ghsStateless, ghu40 } from "../test/samples.ts";
import { base64UrlDecode, base64UrlEncode } from "./base64-url.ts";
import { decryptSecret } from "./decrypt-secret.ts";
import { encryptSecret } from "./encrypt-secret.ts";
import { DecryptError } from "./errors.ts";
import { generateEncryptionKey } from "./generate-encryption-key.ts";
import { isEncryptedWithPrimaryKey } from "./is-encrypted-with-primary-key.ts";
import { parseEncryptionKeys } from "./parse-encryption-keys.ts";
import { reencryptSecret } from "./reencrypt-secret.ts";
import { secretAad } from "./secret-aad.ts";

const K1 = `k1:${btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i)))}`;
const K2 = `k2:${btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => 255 - i)))}`;
const AAD = secretAad("github_user_tokens", "access_token_enc", "user-1", 12345);

async function expectDecryptError(
  promise: Promise<unknown>,
  code: DecryptError["code"],
): Promise<DecryptError> {
  const error = await promise.then(
    () => {
      throw new Error("expected decryption to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DecryptError);
  expect((error as DecryptError).code).toBe(code);
  return error as DecryptError;
}

describe("encryptSecret / decryptSecret", () => {
  const plaintexts: [string, string][] = [
    ["classic token", ghu40],
    ["refresh token", ghr80],
    ["stateless ghs_ (~520 chars)", ghsStateless],
    ["empty", ""],
    ["unicode", "pässwörd ✓ 🎉"],
    ["long", "x".repeat(100_000)],
  ];
  it.each(plaintexts)("round-trips %s", async (_name, plaintext) => {
    const keyring = await parseEncryptionKeys(K1);
    const envelope = await encryptSecret(keyring, plaintext, AAD);
    expect(envelope).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    if (plaintext !== "") expect(envelope).not.toContain(plaintext);
    await expect(decryptSecret(keyring, envelope, AAD)).resolves.toBe(plaintext);
  });

  it("uses a fresh IV every time", async () => {
    const keyring = await parseEncryptionKeys(K1);
    const envelopes = await Promise.all(Array.from({ length: 20 }, () => encryptSecret(keyring, ghu40, AAD)));
    expect(new Set(envelopes.map((e) => e.split(".")[2])).size).toBe(20);
  });

  const wrongAads: [string, string][] = [
    ["another user", secretAad("github_user_tokens", "access_token_enc", "user-2", 12345)],
    ["another column", secretAad("github_user_tokens", "refresh_token_enc", "user-1", 12345)],
    ["another table", secretAad("oauth_states", "access_token_enc", "user-1", 12345)],
    ["empty", ""],
  ];
  it.each(wrongAads)("refuses the wrong AAD: %s", async (_name, aad) => {
    const keyring = await parseEncryptionKeys(K1);
    const envelope = await encryptSecret(keyring, ghu40, AAD);
    const error = await expectDecryptError(decryptSecret(keyring, envelope, aad), "auth_failed");
    expect(error.message).not.toContain(ghu40.slice(4));
  });

  it("refuses an empty AAD when encrypting", async () => {
    const keyring = await parseEncryptionKeys(K1);
    await expect(encryptSecret(keyring, ghu40, "")).rejects.toThrow(TypeError);
  });

  it("detects a flipped bit in every byte of the IV, ciphertext and tag", async () => {
    const keyring = await parseEncryptionKeys(K1);
    const envelope = await encryptSecret(keyring, "secret-value-123", AAD);
    const [version, keyId, iv = "", ciphertext = ""] = envelope.split(".");
    const ivBytes = base64UrlDecode(iv);
    const ctBytes = base64UrlDecode(ciphertext);
    expect(ctBytes.length).toBe(16 + 16);
    const tampered: string[] = [];
    for (let i = 0; i < ivBytes.length; i++) {
      const copy = ivBytes.slice();
      copy[i] = (copy[i] ?? 0) ^ 0x01;
      tampered.push(`${version}.${keyId}.${base64UrlEncode(copy)}.${ciphertext}`);
    }
    // The first 16 bytes are ciphertext, the last 16 the GCM tag.
    for (let i = 0; i < ctBytes.length; i++) {
      const copy = ctBytes.slice();
      copy[i] = (copy[i] ?? 0) ^ 0x80;
      tampered.push(`${version}.${keyId}.${iv}.${base64UrlEncode(copy)}`);
    }
    tampered.push(`${version}.${keyId}.${iv}.${base64UrlEncode(ctBytes.slice(0, -1))}`);
    tampered.push(`${version}.${keyId}.${iv}.${base64UrlEncode(new Uint8Array([...ctBytes, 0]))}`);
    expect(tampered).toHaveLength(12 + 32 + 2);
    for (const bad of tampered) await expectDecryptError(decryptSecret(keyring, bad, AAD), "auth_failed");
  });

  it("rejects every single-character change of the envelope text", async () => {
    const keyring = await parseEncryptionKeys(`${K1},${K2}`);
    const envelope = await encryptSecret(keyring, "abc", AAD);
    for (let i = 0; i < envelope.length; i++) {
      const char = envelope[i];
      const replacement = char === "A" ? "B" : "A";
      const bad = `${envelope.slice(0, i)}${replacement}${envelope.slice(i + 1)}`;
      await expect(decryptSecret(keyring, bad, AAD), `position ${i}`).rejects.toBeInstanceOf(DecryptError);
    }
  });

  const malformed = [
    "",
    "v1",
    "v1.k1",
    "v1.k1.abc",
    "v2.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA",
    "v1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.extra",
    "v1.k 1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA",
    "v1.k1.AAAA.AAAAAAAAAAAAAAAAAAAAAA",
    "v1.k1.AAAAAAAAAAAAAAAA.AAAA",
    "v1.k1.AAAAAAAAAAAAAAA=.AAAAAAAAAAAAAAAAAAAAAA",
    "v1.k1.AAAAAAAAAAAAAAAA.AAAA AAAAAAAAAAAAAAAAAA",
    ghu40,
  ];
  it.each(malformed)("rejects malformed envelope %j", async (envelope) => {
    const keyring = await parseEncryptionKeys(K1);
    const error = await expectDecryptError(decryptSecret(keyring, envelope, AAD), "bad_format");
    if (envelope.length > 8) expect(error.message).not.toContain(envelope);
  });
});

describe("key rotation", () => {
  it("old key still decrypts after a new key is prepended; new writes use the new key", async () => {
    const before = await parseEncryptionKeys(K1);
    const old = await encryptSecret(before, ghr80, AAD);
    const after = await parseEncryptionKeys(`${K2},${K1}`);
    expect(after.primaryKeyId).toBe("k2");
    expect(after.keyIds).toEqual(["k2", "k1"]);
    await expect(decryptSecret(after, old, AAD)).resolves.toBe(ghr80);
    const fresh = await encryptSecret(after, ghr80, AAD);
    expect(fresh.startsWith("v1.k2.")).toBe(true);
    expect(isEncryptedWithPrimaryKey(after, old)).toBe(false);
    expect(isEncryptedWithPrimaryKey(after, fresh)).toBe(true);
    expect(isEncryptedWithPrimaryKey(after, "garbage")).toBe(false);
    // A deployment that has not got the new key yet reports it clearly.
    const error = await expectDecryptError(decryptSecret(before, fresh, AAD), "unknown_key");
    expect(error.message).toContain('"k2"');
  });

  it("reencryptSecret moves an envelope to the primary key and leaves current ones alone", async () => {
    const old = await encryptSecret(await parseEncryptionKeys(K1), ghu40, AAD);
    const keyring = await parseEncryptionKeys(`${K2},${K1}`);
    const moved = await reencryptSecret(keyring, old, AAD);
    expect(isEncryptedWithPrimaryKey(keyring, moved)).toBe(true);
    await expect(decryptSecret(keyring, moved, AAD)).resolves.toBe(ghu40);
    await expect(reencryptSecret(keyring, moved, AAD)).resolves.toBe(moved);
    await expect(reencryptSecret(keyring, moved, "gitcred:v1|other|x|y")).rejects.toBeInstanceOf(
      DecryptError,
    );
  });
});

describe("parseEncryptionKeys", () => {
  const material = btoa("s".repeat(32));
  const bad: [string, string | undefined, RegExp][] = [
    ["missing", undefined, /missing or empty/],
    ["empty", "", /missing or empty/],
    ["blank", "  ", /missing or empty/],
    ["trailing comma", `k1:${material},`, /entry 2 of 2 is empty/],
    ["no colon", material, /entry 1 of 1 has no ":"/],
    ["bad key id", `k.1:${material}`, /invalid key id/],
    ["key id too long", `${"k".repeat(33)}:${material}`, /invalid key id/],
    ["duplicate id", `k1:${material},k1:${material}`, /"k1" appears more than once/],
    ["not base64", "k1:not*base64!", /"k1" is not valid base64/],
    ["16 bytes", `k1:${btoa("s".repeat(16))}`, /"k1" must be 32 bytes \(AES-256\), got 16/],
    ["33 bytes", `k1:${btoa("s".repeat(33))}`, /got 33/],
  ];
  it.each(bad)("explains %s without echoing key material", async (_name, raw, message) => {
    const error = await parseEncryptionKeys(raw).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "ConfigError" });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(material);
    expect((error as Error).message).not.toContain("not*base64");
  });

  it("accepts whitespace around entries and a key id of every allowed character", async () => {
    const keyring = await parseEncryptionKeys(` Key_2026-11 : ${material} , old:${material}`);
    expect(keyring.keyIds).toEqual(["Key_2026-11", "old"]);
    expect(Object.isFrozen(keyring)).toBe(true);
  });

  it("keeps key material unreadable", async () => {
    const keyring = await parseEncryptionKeys(K1);
    const key = keyring.keys.get("k1");
    expect(key?.extractable).toBe(false);
    expect(JSON.stringify(keyring)).not.toContain(K1.slice(3));
  });
});

describe("generateEncryptionKey", () => {
  it("produces entries that parse and differ", async () => {
    const a = await generateEncryptionKey("dev");
    const b = await generateEncryptionKey("dev2");
    expect(a).toMatch(/^dev:[A-Za-z0-9+/]{43}=$/);
    const keyring = await parseEncryptionKeys(`${a},${b}`);
    expect(keyring.keyIds).toEqual(["dev", "dev2"]);
    expect(a.slice(4)).not.toBe(b.slice(5));
    await expect(generateEncryptionKey("bad id")).rejects.toThrow(TypeError);
  });
});

describe("secretAad", () => {
  it("builds the canonical form", () => {
    expect(secretAad("github_user_tokens", "access_token_enc", "user-1", 12345)).toBe(
      "gitcred:v1|github_user_tokens|access_token_enc|user-1|12345",
    );
    expect(secretAad("t", "c", "12345")).toBe(secretAad("t", "c", 12345));
  });

  it("is injective: separators inside parts cannot shift them", () => {
    expect(secretAad("t", "c", "a|b", "c")).not.toBe(secretAad("t", "c", "a", "b|c"));
    expect(secretAad("t", "c", "a%7Cb")).not.toBe(secretAad("t", "c", "a|b"));
  });

  const invalid: [string, () => string][] = [
    ["no owner", () => secretAad("t", "c")],
    ["empty owner", () => secretAad("t", "c", "")],
    ["empty table", () => secretAad("", "c", "u")],
    ["NaN owner", () => secretAad("t", "c", Number.NaN)],
  ];
  it.each(invalid)("refuses %s", (_name, build) => {
    expect(build).toThrow(TypeError);
  });
});
