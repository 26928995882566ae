/** Session secrets are 43 base64url characters; anything much longer is not one. */
const MAX_SECRET_LENGTH = 256;
const SECRET = /^[A-Za-z0-9_-]+$/;

/**
 * The session secret git presented to the proxy: `Authorization: Bearer <secret>` (what setup writes as
 * `http.<proxy>.extraHeader`) or Basic with the secret as the password (a credential helper answering
 * for the proxy's URL). Never a GitHub token: the proxy forwards no client credential, it injects the
 * session's own. Undefined when there is none or it is not shaped like a secret.
 */
export function gitSecret(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (header === null) return undefined;
  const bearer = /^Bearer +([A-Za-z0-9_-]+)\s*$/i.exec(header);
  let secret = bearer?.[1];
  if (secret === undefined) {
    const basic = /^Basic +([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (basic?.[1] === undefined) return undefined;
    let decoded: string;
    try {
      decoded = atob(basic[1]);
    } catch {
      return undefined;
    }
    const colon = decoded.indexOf(":");
    secret = colon < 0 ? undefined : decoded.slice(colon + 1);
  }
  if (secret === undefined || secret.length > MAX_SECRET_LENGTH || !SECRET.test(secret)) return undefined;
  return secret;
}
