import { renameInstallationAccount } from "@gitcred/db";
import { errorFields } from "@gitcred/utils";
import { Hono } from "hono";
import { readCappedBody } from "../read-capped-body.ts";
import { type AppEnv, database } from "../request-context.ts";
import { verifyWebhookSignature } from "../verify-webhook-signature.ts";
import {
  applyInstallationEvent,
  applyInstallationRepositoriesEvent,
} from "../webhooks/apply-installation-event.ts";
import { applyInstallationTargetEvent } from "../webhooks/apply-installation-target-event.ts";
import { applyRepositoryEvent } from "../webhooks/apply-repository-event.ts";
import { claimWebhookDelivery, releaseWebhookDelivery } from "../webhooks/claim-webhook-delivery.ts";
import {
  appAuthorizationPayload,
  installationPayload,
  installationRepositoriesPayload,
  installationTargetPayload,
  repositoryPayload,
} from "../webhooks/payloads.ts";
import { pruneWebhookDeliveries } from "../webhooks/prune-webhook-deliveries.ts";
import { hasSignatureShape } from "../webhooks/signature-header-shape.ts";

/**
 * GitHub caps webhook payloads at 25 MB; the events we handle (installation, installation_repositories,
 * github_app_authorization) are far smaller, so a body over 5 MB is refused (413) without being buffered.
 * A larger real delivery is only ever an installation with tens of thousands of repositories, whose tables
 * are also filled lazily from the API.
 */
const MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;
const DELIVERY_ID = /^[A-Za-z0-9-]{1,64}$/;
const EVENT_NAME = /^[a-z_]{1,64}$/;

export const webhookRoutes = new Hono<AppEnv>();

/**
 * GitHub's webhooks. Everything that can be refused without the body is refused before it is read (no
 * secret configured, no well-formed signature, no delivery headers, a declared length over the cap); the
 * body is then read with a cap, and the signature is checked over those raw bytes before anything is
 * parsed or stored. `X-GitHub-Delivery` makes each delivery apply once. A failure releases the delivery so
 * a redelivery from GitHub is applied.
 */
webhookRoutes.post("/github/webhooks", async (c) => {
  const log = c.get("log");
  const secret = c.env.GITHUB_WEBHOOK_SECRET ?? "";
  const signature = c.req.header("x-hub-signature-256");
  if (secret === "" || !hasSignatureShape(signature)) {
    log.warn("refused a webhook without a well-formed signature");
    return c.json({ error: "invalid signature" }, 401);
  }
  const deliveryId = c.req.header("x-github-delivery") ?? "";
  const event = c.req.header("x-github-event") ?? "";
  if (!DELIVERY_ID.test(deliveryId) || !EVENT_NAME.test(event))
    return c.json({ error: "missing delivery headers" }, 400);
  const body = await readCappedBody(c.req.raw, MAX_WEBHOOK_BODY_BYTES);
  if (!body.ok) {
    log.warn("refused a webhook body over the size cap", { event });
    return c.json({ error: "payload too large" }, 413);
  }
  const raw = body.bytes;
  if (!(await verifyWebhookSignature(secret, raw, signature))) {
    log.warn("refused a webhook with a bad signature");
    return c.json({ error: "invalid signature" }, 401);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    return c.json({ error: "invalid JSON" }, 400);
  }

  const { db } = database(c);
  // Bounded retention: delivery ids past GitHub's redelivery window are forgotten (a failure only delays it).
  await pruneWebhookDeliveries(db, new Date()).catch((error: unknown) =>
    log.warn("could not prune webhook deliveries", { error: errorFields(error) }),
  );
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
      if (parsed.data.action === "created") {
        // A new installation on a login another installation still claims: that login was renamed away
        // from it (someone took the name). Its tokens cached under the login's names must not be served.
        const { installation } = parsed.data;
        const taken = await renameInstallationAccount(db, {
          installationId: installation.id,
          accountId: installation.account.id,
          login: installation.account.login,
        });
        await forgetAll(env, taken.staleHolders);
      }
      return outcome;
    }
    case "installation_repositories": {
      const parsed = installationRepositoriesPayload.safeParse(payload);
      if (!parsed.success) return "invalid_payload";
      const outcome = await applyInstallationRepositoriesEvent(db, parsed.data);
      // A removed repository must not stay covered by a cached token or lookup: if git-token could not
      // forget them, the delivery is not handled (it throws, so GitHub's redelivery applies it again).
      if (outcome === "applied") await forgetAll(env, [parsed.data.installation.id]);
      return outcome;
    }
    case "repository": {
      const parsed = repositoryPayload.safeParse(payload);
      if (!parsed.success) return "invalid_payload";
      const applied = await applyRepositoryEvent(db, parsed.data);
      await forgetAll(env, applied.installations);
      return applied.outcome;
    }
    case "installation_target": {
      const parsed = installationTargetPayload.safeParse(payload);
      if (!parsed.success) return "invalid_payload";
      const applied = await applyInstallationTargetEvent(db, parsed.data);
      await forgetAll(env, applied.installations);
      return applied.outcome;
    }
    default:
      return "ignored";
  }
}

/** Has git-token forget what it cached for each installation (tokens and lookups keyed by old names). */
async function forgetAll(env: Env, installationIds: number[]): Promise<void> {
  for (const installationId of installationIds) {
    const result = await env.GIT_TOKEN.forgetInstallation({ installationId });
    if (!result.ok) throw new Error(`forgetInstallation: ${result.reason}`);
  }
}
