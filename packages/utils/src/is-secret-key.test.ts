import { describe, expect, it } from "vitest";
import { isSecretKey } from "./is-secret-key.ts";

describe("isSecretKey", () => {
  const secret = [
    "access_token",
    "refresh_token",
    "token",
    "client_secret",
    "code",
    "device_code",
    "state",
    "password",
    "private_key",
    "authorization",
    "Authorization",
    "cookie",
    "Set-Cookie",
    "secret",
    "accessToken",
    "refreshToken",
    "clientSecret",
    "privateKey",
    "deviceCode",
    "codeVerifier",
    "installation_token",
    "webhookSecret",
    "GITHUB_CLIENT_SECRET",
    "app_private_key",
    "x-access-token",
  ];
  const notSecret = [
    "access_token_enc",
    "refresh_token_enc",
    "accessTokenEnc",
    "token_type",
    "expires_at",
    "status",
    "status_code",
    "user_id",
    "github_login",
    "keyId",
    "cache_key",
    "codec",
    "statement",
  ];
  it.each(secret)("%s is a secret key", (key) => expect(isSecretKey(key)).toBe(true));
  it.each(notSecret)("%s is not a secret key", (key) => expect(isSecretKey(key)).toBe(false));
});
