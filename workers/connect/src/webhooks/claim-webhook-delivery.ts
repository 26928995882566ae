import { type Database, webhookDeliveries } from "@gitcred/db";
import { eq } from "drizzle-orm";

/**
 * Records a delivery id; false when it was handled before. One INSERT ... ON CONFLICT DO NOTHING, so two
 * concurrent redeliveries of the same id cannot both be applied.
 */
export async function claimWebhookDelivery(
  db: Database,
  deliveryId: string,
  event: string,
): Promise<boolean> {
  const rows = await db
    .insert(webhookDeliveries)
    .values({ deliveryId, event })
    .onConflictDoNothing()
    .returning({ deliveryId: webhookDeliveries.deliveryId });
  return rows.length === 1;
}

/** Gives a delivery back when handling it failed, so GitHub's redelivery is applied. */
export async function releaseWebhookDelivery(db: Database, deliveryId: string): Promise<void> {
  await db.delete(webhookDeliveries).where(eq(webhookDeliveries.deliveryId, deliveryId));
}
