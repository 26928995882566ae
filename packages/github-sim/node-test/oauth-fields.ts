/**
 * The fields GitHub documents for its OAuth endpoints (docs.github.com: "Generating a user access
 * token for a GitHub App", "Refreshing user access tokens", "Authorizing OAuth apps" (device flow),
 * "Troubleshooting OAuth app access token request errors"), and a checker that fails on any missing,
 * extra or mistyped field.
 */

type FieldType = "string" | "integer";

/** `POST /login/oauth/access_token` success, expiring user tokens. */
export const TOKEN_RESPONSE: Record<string, FieldType> = {
  access_token: "string",
  expires_in: "integer",
  refresh_token: "string",
  refresh_token_expires_in: "integer",
  scope: "string",
  token_type: "string",
};

/** Success when the App opted out of expiring tokens. */
export const NON_EXPIRING_TOKEN_RESPONSE: Record<string, FieldType> = {
  access_token: "string",
  scope: "string",
  token_type: "string",
};

/** Every OAuth error (HTTP 200). */
export const ERROR_RESPONSE: Record<string, FieldType> = {
  error: "string",
  error_description: "string",
  error_uri: "string",
};

/** `slow_down` adds the new interval. */
export const SLOW_DOWN_RESPONSE: Record<string, FieldType> = { ...ERROR_RESPONSE, interval: "integer" };

/** `POST /login/device/code`. */
export const DEVICE_CODE_RESPONSE: Record<string, FieldType> = {
  device_code: "string",
  user_code: "string",
  verification_uri: "string",
  expires_in: "integer",
  interval: "integer",
};

/** Differences between a body and a documented field list (empty = matches). */
export function fieldErrors(body: Record<string, unknown>, fields: Record<string, FieldType>): string[] {
  const errors: string[] = [];
  for (const [name, type] of Object.entries(fields)) {
    const v = body[name];
    if (v === undefined) errors.push(`missing ${name}`);
    else if (type === "string" && typeof v !== "string") errors.push(`${name} is not a string`);
    else if (type === "integer" && !Number.isInteger(v)) errors.push(`${name} is not an integer`);
  }
  for (const name of Object.keys(body)) if (!(name in fields)) errors.push(`undocumented field ${name}`);
  return errors;
}
