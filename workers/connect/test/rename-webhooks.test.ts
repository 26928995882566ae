/**
 * `installation_target` renamed and `repository` renamed / transferred (#15 §3), with the payloads the
 * simulator sends as GitHub does (@octokit/openapi-webhooks shapes, checked in github-sim's tests),
 * delivered signed to the webhook route. The tables follow the account by id and the repository by id;
 * an `installation` created on a login another installation still claims marks that one stale.
 */
import { env } from "cloudflare:workers";
import { githubInstallationRepositories, githubInstallations, openDatabase } from "@gitcred/db";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { WEBHOOK_SECRET } from "./constants.ts";
import { sim, unique } from "./helpers.ts";
import { signWebhook } from "./sign-webhook.ts";

const handle = openDatabase(env);
afterAll(() => handle.close());
const db = handle.db;

async function deliver(event: string, payload: unknown): Promise<Record<string, string>> {
  const body = JSON.stringify(payload);
  const res = await new Browser().request("/github/webhooks", {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": await signWebhook(WEBHOOK_SECRET, body),
    },
  });
  return (await res.json()) as Record<string, string>;
}

/** The simulator's latest delivery of `event` for `installationId` (what GitHub would have sent). */
async function sent(event: string, installationId: number): Promise<Record<string, unknown>> {
  const found = (await sim.deliveries())
    .filter(
      (d) =>
        d.event === event &&
        (d.payload as { installation?: { id?: number } }).installation?.id === installationId,
    )
    .at(-1);
  if (!found) throw new Error(`the simulator sent no ${event} for ${installationId}`);
  return found.payload as Record<string, unknown>;
}

/** An org with one repository and the App installed on it, known to the tables (installation created). */
async function seedInstalled(login = unique("org")) {
  const org = await sim.seedOrg({ login });
  const repo = await sim.seedRepo({ owner: login, name: "widgets" });
  const installation = await sim.seedInstallation({
    app: Number(env.GITHUB_APP_ID),
    account: login,
    repositories: ["widgets"],
  });
  expect(await deliver("installation", await sent("installation", installation.id))).toEqual({
    status: "applied",
  });
  return { login, org, repo, installation };
}

async function row(installationId: number) {
  const [found] = await db
    .select()
    .from(githubInstallations)
    .where(eq(githubInstallations.installationId, installationId));
  return found;
}

async function names(installationId: number): Promise<string[]> {
  const rows = await db
    .select()
    .from(githubInstallationRepositories)
    .where(eq(githubInstallationRepositories.installationId, installationId));
  return rows.map((r) => r.fullName);
}

describe("rename and transfer webhooks", () => {
  it("installation_target renamed: the installation's login and its repositories' names follow", async () => {
    const world = await seedInstalled();
    expect(await names(world.installation.id)).toEqual([`${world.login}/widgets`.toLowerCase()]);
    const renamed = `${world.login}-corp`;
    await sim.renameAccount(world.login, renamed);
    expect(
      await deliver("installation_target", await sent("installation_target", world.installation.id)),
    ).toEqual({ status: "applied" });
    expect(await row(world.installation.id)).toMatchObject({
      accountLogin: renamed,
      accountId: world.org.id,
    });
    expect(await names(world.installation.id)).toEqual([`${renamed}/widgets`.toLowerCase()]);

    // Someone else takes the old login and installs the App: delivered fine, the old one stays renamed.
    const taker = await seedInstalled(world.login);
    expect(await row(taker.installation.id)).toMatchObject({ accountLogin: world.login });
    expect(await row(world.installation.id)).toMatchObject({ accountLogin: renamed });
  });

  it("a payload naming another account id renames nothing", async () => {
    const world = await seedInstalled();
    await sim.renameAccount(world.login, `${world.login}-x`);
    const payload = await sent("installation_target", world.installation.id);
    const forged = { ...payload, account: { ...(payload.account as object), id: world.org.id + 1 } };
    expect(await deliver("installation_target", forged)).toEqual({ status: "applied" });
    expect(await row(world.installation.id)).toMatchObject({ accountLogin: world.login });
  });

  it("repository renamed and transferred: the repository is followed by id, and leaves the old owner", async () => {
    await sim.seedApp({ slug: env.GITHUB_APP_SLUG, events: ["repository"] });
    const world = await seedInstalled();
    await sim.renameRepo(world.login, "widgets", "gadgets");
    expect(await deliver("repository", await sent("repository", world.installation.id))).toEqual({
      status: "applied",
    });
    expect(await names(world.installation.id)).toEqual([`${world.login}/gadgets`.toLowerCase()]);

    const other = unique("org");
    await sim.seedOrg({ login: other });
    await sim.transferRepo(world.login, "gadgets", other);
    const transferred = await sent("repository", world.installation.id);
    expect(transferred).toMatchObject({
      action: "transferred",
      repository: { full_name: `${other}/gadgets` },
    });
    expect(await deliver("repository", transferred)).toEqual({ status: "applied" });
    expect(await names(world.installation.id)).toEqual([]);
  });
});
