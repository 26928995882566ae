import { type Database, webhookDeliveries } from "@gitcred/db";
import { lt } from "drizzle-orm";

/**
 * How long a handled delivery id is remembered. GitHub.com lets an App redeliver deliveries of the past
 * 3 days, GitHub Enterprise Server of the past 7; 8 days outlasts both, so a redelivery of a delivery we
 * already applied is still recognized as a duplicate, while the table stays bounded instead of growing by
 * one row per webhook forever.
 */
export const WEBHOOK_DELIVERY_RETENTION_DAYS = 8;

/** Forgets delivery ids older than the retention (`now` injected so tests need no clock of their own). */
export async function pruneWebhookDeliveries(db: Database, now: Date): Promise<number> {
  const before = new Date(now.getTime() - WEBHOOK_DELIVERY_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const rows = await db
    .delete(webhookDeliveries)
    .where(lt(webhookDeliveries.receivedAt, before))
    .returning({ deliveryId: webhookDeliveries.deliveryId });
  return rows.length;
}
