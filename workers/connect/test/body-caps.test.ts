/**
 * Issue #13 §3, request bodies: the webhook route refuses what it can before reading the body (no
 * well-formed signature), refuses a declared or actual body over the cap without buffering it, and the
 * page forms are read with a cap too. Each body here is a stream that counts what the worker pulled from
 * it, so "not buffered" is measured, not assumed. Also the bounded retention of `webhook_deliveries`.
 */
import { env } from "cloudflare:workers";
import { openDatabase, webhookDeliveries } from "@gitcred/db";
import { inArray, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { MAX_FORM_BYTES, MAX_WEBHOOK_BODY_BYTES, WEBHOOK_SECRET } from "./constants.ts";
import { signedInBrowser, unique } from "./helpers.ts";
import { signWebhook } from "./sign-webhook.ts";

const handle = openDatabase(env);
afterAll(() => handle.close());

const CHUNK = 64 * 1024;

/** A body of `total` bytes that is only produced as the reader pulls it; `pulled()` is what was read. */
function countingBody(total: number): { stream: ReadableStream<Uint8Array>; pulled(): number } {
  let produced = 0;
  const chunk = new Uint8Array(CHUNK).fill(0x7b);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (produced >= total) return controller.close();
        produced += CHUNK;
        controller.enqueue(chunk.slice());
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => produced };
}

async function webhookHeaders(body: string): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    "x-github-event": "installation",
    "x-github-delivery": crypto.randomUUID(),
    "x-hub-signature-256": await signWebhook(WEBHOOK_SECRET, body),
  };
}

describe("webhook bodies", () => {
  it("a streamed body over the cap (no Content-Length) is refused once the cap is passed, not buffered whole", async () => {
    const body = countingBody(4 * MAX_WEBHOOK_BODY_BYTES);
    const res = await new Browser().request("/github/webhooks", {
      method: "POST",
      body: body.stream,
      headers: await webhookHeaders("x"),
    });
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_WEBHOOK_BODY_BYTES + 2 * CHUNK);
  });

  it("an unsigned or malformed-signature request is refused without its body being read", async () => {
    for (const signature of [undefined, "sha256=zz", "sha1=abc", `sha256=${"0".repeat(63)}`]) {
      const body = countingBody(2 * MAX_WEBHOOK_BODY_BYTES);
      const headers: Record<string, string> = {
        "x-github-event": "installation",
        "x-github-delivery": crypto.randomUUID(),
      };
      if (signature !== undefined) headers["x-hub-signature-256"] = signature;
      const res = await new Browser().request("/github/webhooks", {
        method: "POST",
        body: body.stream,
        headers,
      });
      expect(res.status, String(signature)).toBe(401);
      // The runtime may pump one chunk into the request before our code runs; the route reads none.
      expect(body.pulled(), String(signature)).toBeLessThanOrEqual(CHUNK);
    }
  });

  it("a declared Content-Length over the cap is refused without reading the body", async () => {
    const res = await new Browser().request("/github/webhooks", {
      method: "POST",
      body: "{}",
      headers: { ...(await webhookHeaders("{}")), "content-length": String(MAX_WEBHOOK_BODY_BYTES + 1) },
    });
    // Either we refuse it (413) or the runtime refuses the lying length before us; never a 2xx.
    expect([400, 413]).toContain(res.status);
  });

  it("delivery ids are kept for 8 days (past GitHub's redelivery window), then forgotten", async () => {
    const old = unique("old-delivery");
    const recent = unique("recent-delivery");
    await handle.db.insert(webhookDeliveries).values([
      { deliveryId: old, event: "installation", receivedAt: sql`now() - interval '9 days'` },
      { deliveryId: recent, event: "installation", receivedAt: sql`now() - interval '7 days'` },
    ]);
    const body = JSON.stringify({ action: "created" });
    const res = await new Browser().request("/github/webhooks", {
      method: "POST",
      body,
      headers: { ...(await webhookHeaders(body)), "x-github-event": "ping" },
    });
    expect(res.status).toBe(200);
    const left = await handle.db
      .select({ id: webhookDeliveries.deliveryId })
      .from(webhookDeliveries)
      .where(inArray(webhookDeliveries.deliveryId, [old, recent]));
    expect(left.map((r) => r.id)).toEqual([recent]);
  });
});

describe("page forms", () => {
  it("the settings link's redemption POST (no session needed) is read with the cap too", async () => {
    const body = countingBody(64 * MAX_FORM_BYTES);
    const res = await new Browser().request("/settings/link", {
      method: "POST",
      body: body.stream,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8787" },
    });
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_FORM_BYTES + CHUNK);
  });

  it("a POST body over the form cap is refused (413) after at most the cap was read", async () => {
    const browser = await signedInBrowser(unique("user"));
    const body = countingBody(64 * MAX_FORM_BYTES);
    const res = await browser.request("/github/device", {
      method: "POST",
      body: body.stream,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8787" },
    });
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_FORM_BYTES + CHUNK);
  });
});
