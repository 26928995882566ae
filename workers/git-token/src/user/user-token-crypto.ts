import { decryptSecret, encryptSecret, type Keyring, secretAad } from "@gitcred/utils";

export type UserTokenColumn = "access_token_enc" | "refresh_token_enc";

/**
 * The AAD of a person's token: table, column, platform user and GitHub account. A ciphertext copied to
 * another row, another column or kept across a switch to another GitHub account does not decrypt.
 */
export function userTokenAad(column: UserTokenColumn, userId: string, githubUserId: number): string {
  return secretAad("github_user_tokens", column, userId, githubUserId);
}

/** Encrypts a token for one cell of `github_user_tokens`. */
export function encryptUserToken(
  keyring: Keyring,
  column: UserTokenColumn,
  userId: string,
  githubUserId: number,
  token: string,
): Promise<string> {
  return encryptSecret(keyring, token, userTokenAad(column, userId, githubUserId));
}

/** Decrypts one cell of `github_user_tokens`; throws DecryptError (no secret in its message). */
export function decryptUserToken(
  keyring: Keyring,
  column: UserTokenColumn,
  userId: string,
  githubUserId: number,
  envelope: string,
): Promise<string> {
  return decryptSecret(keyring, envelope, userTokenAad(column, userId, githubUserId));
}
