import { errorFields } from "@gitcred/utils";
import { Hono } from "hono";
import { type AppEnv, database } from "../request-context.ts";
import { verifyWebhookSignature } from "../verify-webhook-signature.ts";
import {
  applyInstallationEvent,
  applyInstallationRepositoriesEvent,
} from "../webhooks/apply-installation-event.ts";
import { claimWebhookDelivery, releaseWebhookDelivery } from "../webhooks/claim-webhook-delivery.ts";
import {
  appAuthorizationPayload,
  installationPayload,
  installationRepositoriesPayload,
} from "../webhooks/payloads.ts";

/** GitHub caps payloads at 25 MB; the events we handle are far smaller. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const DELIVERY_ID = /^[A-Za-z0-9-]{1,64}$/;
const EVENT_NAME = /^[a-z_]{1,64}$/;

export const webhookRoutes = new Hono<AppEnv>();

/**
 * GitHub's webhooks. The signature is checked over the raw body before anything is parsed or stored;
 * `X-GitHub-Delivery` makes each delivery apply once. A failure releases the delivery so a redelivery
 * from GitHub is applied.
 */
webhookRoutes.post("/github/webhooks", async (c) => {
  const log = c.get("log");
  const length = Number(c.req.header("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) return c.json({ error: "payload too large" }, 413);
  const raw = await c.req.arrayBuffer();
  if (raw.byteLength > MAX_BODY_BYTES) return c.json({ error: "payload too large" }, 413);
  const signed = await verifyWebhookSignature(
    c.env.GITHUB_WEBHOOK_SECRET ?? "",
    raw,
    c.req.header("x-hub-signature-256"),
  );
  if (!signed) {
    log.warn("refused a webhook with a bad signature");
    return c.json({ error: "invalid signature" }, 401);
  }
  const deliveryId = c.req.header("x-github-delivery") ?? "";
  const event = c.req.header("x-github-event") ?? "";
  if (!DELIVERY_ID.test(deliveryId) || !EVENT_NAME.test(event))
    return c.json({ error: "missing delivery headers" }, 400);
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    return c.json({ error: "invalid JSON" }, 400);
  }

  const { db } = database(c);
  if (!(await claimWebhookDelivery(db, deliveryId, event))) {
    log.info("webhook delivery already handled", { event });
    return c.json({ status: "duplicate" });
  }
  try {
    const outcome = await handleEvent(c.env, db, event, payload);
    log.info("webhook handled", { event, outcome });
    return c.json({ status: outcome });
  } catch (error) {
    log.error("webhook handling failed", { event, error: errorFields(error) });
    await releaseWebhookDelivery(db, deliveryId).catch(() => {});
    return c.json({ error: "handling failed" }, 500);
  }
});

async function handleEvent(
  env: Env,
  db: Parameters<typeof applyInstallationEvent>[0],
  event: string,
  payload: unknown,
): Promise<"applied" | "ignored" | "invalid_payload"> {
  switch (event) {
    case "github_app_authorization": {
      const parsed = appAuthorizationPayload.safeParse(payload);
      if (!parsed.success) return "invalid_payload";
      if (parsed.data.action !== "revoked") return "ignored";
      const result = await env.GIT_TOKEN.handleGrantRevoked({ githubUserId: parsed.data.sender.id });
      if (!result.ok) throw new Error(`handleGrantRevoked: ${result.reason}`);
      return "applied";
    }
    case "installation": {
      const parsed = installationPayload.safeParse(payload);
      if (!parsed.success) return "invalid_payload";
      const outcome = await applyInstallationEvent(db, parsed.data);
      if (outcome === "applied") {
        // A deleted installation takes every tenant's claim on it with it.
        const result = await env.GIT_TOKEN.forgetInstallation({
          installationId: parsed.data.installation.id,
          ...(parsed.data.action === "deleted" ? { deleted: true } : {}),
        });
        if (!result.ok) throw new Error(`forgetInstallation: ${result.reason}`);
      }
      return outcome;
    }
    case "installation_repositories": {
      const parsed = installationRepositoriesPayload.safeParse(payload);
      if (!parsed.success) return "invalid_payload";
      const outcome = await applyInstallationRepositoriesEvent(db, parsed.data);
      if (outcome === "applied")
        await env.GIT_TOKEN.forgetInstallation({ installationId: parsed.data.installation.id });
      return outcome;
    }
    default:
      return "ignored";
  }
}
