import { base64Encode } from "@gitcred/utils";

/** `Basic base64(clientId:clientSecret)` for the App's OAuth application endpoints. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${base64Encode(`${clientId}:${clientSecret}`)}`;
}
