/** Session secrets are 43 base64url characters; anything much longer is not one. */
const MAX_SECRET_LENGTH = 256;

/** The session secret from `Authorization: Bearer <secret>`, or undefined. */
export function bearerSecret(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  const match = header === null ? null : /^Bearer +([A-Za-z0-9_-]+)\s*$/i.exec(header);
  const secret = match?.[1];
  return secret === undefined || secret.length > MAX_SECRET_LENGTH ? undefined : secret;
}
