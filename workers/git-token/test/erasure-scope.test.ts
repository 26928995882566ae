/**
 * Issue #13 §6 from git-token's side: `deleteUserData` (through GitTokenAdmin, as an operator's tool
 * calls it) removes what the connect worker keeps of the person in Postgres (unopened settings links,
 * install states, the device authorization, rate-limit counters) and writes the erasure marker that
 * refuses their open page sessions; another person's rows stay. Without it an unopened link still opened
 * a settings page as them.
 */
import {
  deviceAuthorizations,
  installStates,
  rateLimits,
  settingsLinks,
  userErasures,
  wasUserErasedSince,
} from "@gitcred/db";
import { sha256Hex } from "@gitcred/utils";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { admin, database, unique } from "./helpers.ts";

async function seedPageData(userId: string): Promise<void> {
  const db = database();
  const expiresAt = new Date(Date.now() + 600_000);
  await db
    .insert(settingsLinks)
    .values({ linkHash: unique("link"), userId, returnTo: "/settings", expiresAt });
  await db.insert(installStates).values({
    stateHash: unique("install"),
    userId,
    tenantId: userId,
    browserBindingHash: "b",
    returnTo: "/settings",
    expiresAt,
  });
  await db.insert(deviceAuthorizations).values({ userId, objectId: unique("object") });
  await db
    .insert(rateLimits)
    .values({ bucket: unique("bucket"), userId, windowStartedAt: new Date(), count: 1 });
}

async function rowsOf(userId: string): Promise<number[]> {
  const db = database();
  return Promise.all([
    db.select().from(settingsLinks).where(eq(settingsLinks.userId, userId)),
    db.select().from(installStates).where(eq(installStates.userId, userId)),
    db.select().from(deviceAuthorizations).where(eq(deviceAuthorizations.userId, userId)),
    db.select().from(rateLimits).where(eq(rateLimits.userId, userId)),
  ]).then((all) => all.map((rows) => rows.length));
}

describe("deleteUserData: the connect worker's data of the person", () => {
  it("removes their links, install states, device authorization and counters, and marks them erased", async () => {
    const erased = unique("user");
    const bystander = unique("user");
    await seedPageData(erased);
    await seedPageData(bystander);
    const sessionStarted = new Date(Date.now() - 60_000);
    expect(await wasUserErasedSince(database(), erased, sessionStarted)).toBe(false);

    expect(await admin().deleteUserData({ userId: erased })).toMatchObject({
      ok: true,
      settingsLinksDeleted: 1,
      installStatesDeleted: 1,
      deviceAuthorizationsDeleted: 1,
      rateLimitsDeleted: 1,
    });
    expect(await rowsOf(erased)).toEqual([0, 0, 0, 0]);
    expect(await rowsOf(bystander)).toEqual([1, 1, 1, 1]);
    // A page session from before the erasure is refused; one started afterwards is not.
    expect(await wasUserErasedSince(database(), erased, sessionStarted)).toBe(true);
    expect(await wasUserErasedSince(database(), erased, new Date(Date.now() + 60_000))).toBe(false);
    expect(await wasUserErasedSince(database(), bystander, sessionStarted)).toBe(false);
    // The marker names the person only by hash.
    const markers = await database().select().from(userErasures);
    expect(JSON.stringify(markers)).not.toContain(erased);
    expect(markers.map((m) => m.userHash)).toContain(await sha256Hex(erased));
  });
});
