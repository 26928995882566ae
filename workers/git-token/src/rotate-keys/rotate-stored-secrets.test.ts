import { env } from "cloudflare:workers";
import { openDatabase } from "@gitcred/db";
import { decryptSecret, generateEncryptionKey, parseEncryptionKeys, secretAad } from "@gitcred/utils";
import { afterAll, describe, expect, it } from "vitest";
import { connect, database, seedWorld, service, tokenRow, unique } from "../../test/helpers.ts";
import { userTokenAad } from "../user/user-token-crypto.ts";
import { rotateStoredSecrets } from "./rotate-stored-secrets.ts";

const handle = openDatabase(env);
// The Neon pool under drizzle: what `pg`'s Client is for the Node command (both have `query`).
const client = (handle.db as unknown as { $client: Parameters<typeof rotateStoredSecrets>[0] }).$client;
afterAll(() => handle.close());

describe("rotateStoredSecrets (the rotate-keys command)", () => {
  it("re-encrypts every stored secret to the newest key under the same AAD, idempotently, without breaking reads", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    const { oauthStates } = await import("@gitcred/db");
    const oldKeyring = await parseEncryptionKeys(env.TOKEN_ENCRYPTION_KEYS);
    const stateHash = unique("state");
    const { encryptSecret } = await import("@gitcred/utils");
    await database()
      .insert(oauthStates)
      .values({
        stateHash,
        userId: world.userId,
        browserBindingHash: "b",
        pkceVerifierEnc: await encryptSecret(
          oldKeyring,
          "verifier-verifier-verifier-verifier-verifier",
          secretAad("oauth_states", "pkce_verifier_enc", stateHash),
        ),
        returnTo: "/settings",
        expiresAt: new Date(Date.now() + 600_000),
      });
    const before = (await tokenRow(world.userId))!;
    const newKey = await generateEncryptionKey("test2");
    const newer = await parseEncryptionKeys(`${newKey},${env.TOKEN_ENCRYPTION_KEYS}`);

    const dry = await rotateStoredSecrets(client, newer, { dryRun: true });
    expect(dry.userTokens.rotated).toBeGreaterThanOrEqual(1);
    expect(await tokenRow(world.userId)).toEqual(before);

    const report = await rotateStoredSecrets(client, newer);
    expect(report.userTokens).toMatchObject({ rotated: dry.userTokens.rotated, undecryptable: 0 });
    expect(report.oauthStates.rotated).toBeGreaterThanOrEqual(1);
    const after = (await tokenRow(world.userId))!;
    expect(after.version).toBe(before.version + 1);
    expect(after.accessTokenEnc).toMatch(/^v1\.test2\./);
    expect(after.refreshTokenEnc).toMatch(/^v1\.test2\./);
    // Only the new key is needed now, and the plaintext is unchanged.
    const onlyNew = await parseEncryptionKeys(newKey);
    const aad = userTokenAad("access_token_enc", world.userId, world.githubUserId);
    expect(await decryptSecret(onlyNew, after.accessTokenEnc, aad)).toBe(
      await decryptSecret(oldKeyring, before.accessTokenEnc, aad),
    );
    expect((await rotateStoredSecrets(client, newer)).userTokens.rotated).toBe(0);

    // Back to the project's key, so the worker (configured with test1 only) reads every row again.
    const back = await parseEncryptionKeys(`${env.TOKEN_ENCRYPTION_KEYS},${newKey}`);
    await rotateStoredSecrets(client, back);
    expect((await tokenRow(world.userId))?.accessTokenEnc).toMatch(/^v1\.test1\./);
    expect(
      await service().getUserTokenForRepo({
        userId: world.userId,
        owner: world.owner,
        repo: world.repos[0]!,
      }),
    ).toMatchObject({ ok: true });
  });

  it("reports rows no configured key decrypts and leaves them alone", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    const stranger = await parseEncryptionKeys(await generateEncryptionKey("stranger"));
    const report = await rotateStoredSecrets(client, stranger, { dryRun: true });
    expect(report.userTokens.undecryptable).toBeGreaterThanOrEqual(1);
    expect(report.userTokens.rotated).toBe(0);
  });
});
