import { describe, expect, it } from "vitest";
import { signWebhook } from "../test/sign-webhook.ts";
import { verifyWebhookSignature } from "./verify-webhook-signature.ts";

const encoder = new TextEncoder();

describe("verifyWebhookSignature", () => {
  const secret = "It's a Secret to Everybody";
  const body = "Hello, World!";

  it("accepts GitHub's documented example signature", async () => {
    // From GitHub's "Validating webhook deliveries" docs.
    const header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    expect(await verifyWebhookSignature(secret, encoder.encode(body), header)).toBe(true);
  });

  it("accepts a signature made with the secret", async () => {
    expect(await verifyWebhookSignature(secret, encoder.encode(body), await signWebhook(secret, body))).toBe(
      true,
    );
  });

  it.each([
    ["another secret", async () => signWebhook("other", body)],
    ["a changed body", async () => signWebhook(secret, `${body}!`)],
    ["no header", async () => null],
    ["sha1 header", async () => "sha1=0a4d55a8d778e5022fab701977c5d840bbc486d0"],
    ["truncated", async () => (await signWebhook(secret, body)).slice(0, 40)],
    ["non-hex", async () => `sha256=${"zz".repeat(32)}`],
    ["empty", async () => ""],
  ])("refuses %s", async (_name, header) => {
    expect(await verifyWebhookSignature(secret, encoder.encode(body), await header())).toBe(false);
  });

  it("refuses everything when no secret is configured", async () => {
    const header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    expect(await verifyWebhookSignature("", encoder.encode(body), header)).toBe(false);
  });
});
