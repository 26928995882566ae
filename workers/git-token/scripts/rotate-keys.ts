/**
 * `pnpm --filter @gitcred/git-token rotate-keys [--dry-run]`: re-encrypts every secret stored in
 * Postgres with the newest key of TOKEN_ENCRYPTION_KEYS (the first entry). Reads DATABASE_URL (the direct,
 * non-pooled URL) and TOKEN_ENCRYPTION_KEYS from the environment; prints counts, never a secret.
 */
import { parseEncryptionKeys } from "@gitcred/utils";
import pg from "pg";
import { rotateStoredSecrets } from "../src/rotate-keys/rotate-stored-secrets.ts";

// A CLI: it writes to stdout/stderr directly (the worker logger is for Workers; biome forbids console here).
const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string) => process.stderr.write(`${line}\n`);

const dryRun = process.argv.includes("--dry-run");
const url = process.env.DATABASE_URL;
if (url === undefined || url === "") {
  fail("rotate-keys: DATABASE_URL is not set");
  process.exit(2);
}
let keyring: Awaited<ReturnType<typeof parseEncryptionKeys>>;
try {
  keyring = await parseEncryptionKeys(process.env.TOKEN_ENCRYPTION_KEYS);
} catch (error) {
  fail(`rotate-keys: ${error instanceof Error ? error.message : "TOKEN_ENCRYPTION_KEYS is unusable"}`);
  process.exit(2);
}
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const report = await rotateStoredSecrets(client, keyring, { dryRun });
  say(
    `rotate-keys${dryRun ? " (dry run)" : ""}: primary key "${keyring.primaryKeyId}"; ` +
      `user tokens: ${report.userTokens.rotated} of ${report.userTokens.checked} rows re-encrypted` +
      `, ${report.userTokens.undecryptable} undecryptable; ` +
      `oauth states: ${report.oauthStates.rotated} of ${report.oauthStates.checked}` +
      `, ${report.oauthStates.undecryptable} undecryptable`,
  );
  if (report.userTokens.undecryptable + report.oauthStates.undecryptable > 0) process.exitCode = 1;
} finally {
  await client.end();
}
