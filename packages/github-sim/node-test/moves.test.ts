/**
 * Renames and transfers as GitHub does them: a moved repository's old API path answers 301 to
 * `/repositories/{id}` (checked against @octokit/openapi's `moved_permanently`), a renamed account keeps
 * its installation id and its old login answers 404, and the `repository` / `installation_target`
 * webhooks validate against @octokit/openapi-webhooks.
 */
import { describe, expect, it } from "vitest";
import { api, appKeys, userTokens, useSimulator } from "./helpers.ts";
import { validateRest, validateWebhook } from "./openapi.ts";

const sim = useSimulator();
const manual: RequestInit = { redirect: "manual" };

/** The App subscribed to `repository` events (GitHub sends them only then). */
async function subscribe(): Promise<void> {
  await sim.admin.seedApp({
    slug: "gitcred-test",
    publicKeyPem: appKeys().publicKeyPem,
    events: ["repository"],
  });
}

async function payloadsOf(event: string): Promise<Record<string, unknown>[]> {
  const deliveries = await sim.admin.deliveries();
  return deliveries.filter((d) => d.event === event).map((d) => d.payload as Record<string, unknown>);
}

async function mint(installationId: number, repositories: string[]): Promise<Response> {
  return api(sim.url, `/app/installations/${installationId}/access_tokens`, sim.world.jwt(), {
    method: "POST",
    body: JSON.stringify({ repositories }),
  });
}

describe("repository renamed", () => {
  it("answers the old path with 301 to /repositories/{id}, as documented, and sends repository.renamed", async () => {
    await subscribe();
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    await sim.admin.renameRepo("acme", "widgets", "gadgets");

    const old = await api(sim.url, "/repos/acme/widgets", access, manual);
    expect(old.status).toBe(301);
    const location = `${sim.apiUrl}/repositories/1296269`;
    expect(old.headers.get("location")).toBe(location);
    const body = (await old.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ message: "Moved Permanently", url: location });
    expect(validateRest("GET", "/repos/{owner}/{repo}", 301, body)).toEqual({ documented: true, errors: [] });

    // The App's lookup of the old name redirects too, keeping the rest of the path.
    const lookup = await api(sim.url, "/repos/acme/widgets/installation", sim.world.jwt(), manual);
    expect(lookup.status).toBe(301);
    expect(lookup.headers.get("location")).toBe(`${location}/installation`);
    const lookupBody = await lookup.json();
    expect(validateRest("GET", "/repos/{owner}/{repo}/installation", 301, lookupBody).errors).toEqual([]);

    // Where it leads: the repository under its new name.
    const followed = await api(sim.url, "/repositories/1296269", access, manual);
    expect(followed.status).toBe(200);
    expect(await followed.json()).toMatchObject({ id: 1296269, full_name: "acme/gadgets" });
    expect((await api(sim.url, "/repos/acme/gadgets", access, manual)).status).toBe(200);

    // The installation keeps the repository (by id): a mint by the new name lists it, by the old fails.
    expect((await mint(7777, ["widgets"])).status).toBe(422);
    const minted = (await (await mint(7777, ["gadgets"])).json()) as {
      repositories: { full_name: string }[];
    };
    expect(minted.repositories.map((r) => r.full_name)).toEqual(["acme/gadgets"]);

    const [renamed] = await payloadsOf("repository");
    expect(renamed).toMatchObject({
      action: "renamed",
      changes: { repository: { name: { from: "widgets" } } },
      repository: { id: 1296269, full_name: "acme/gadgets" },
      installation: { id: 7777 },
    });
    expect(validateWebhook("repository", "renamed", renamed)).toEqual([]);
  });

  it("ends the redirect when a repository takes the old name, and sends nothing to an unsubscribed App", async () => {
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    await sim.admin.renameRepo("acme", "widgets", "gadgets");
    await sim.admin.seedRepo({ owner: "acme", name: "widgets", collaborators: { octocat: "write" } });
    // No redirect any more: the new repository answers (404 here: the App's installation does not
    // reach it, and a user token sees what both the person and the installation see).
    const fresh = await api(sim.url, "/repos/acme/widgets", access, manual);
    expect(fresh.status).toBe(404);
    expect(fresh.headers.get("location")).toBeNull();
    expect(await payloadsOf("repository")).toEqual([]);
  });
});

describe("repository transferred", () => {
  it("redirects the old path, leaves the old installation, and sends repository.transferred", async () => {
    await subscribe();
    await sim.admin.seedOrg({ login: "beta", id: 9920 });
    await sim.admin.transferRepo("acme", "widgets", "beta");
    const old = await api(sim.url, "/repos/acme/widgets/installation", sim.world.jwt(), manual);
    expect(old.status).toBe(301);
    expect(old.headers.get("location")).toBe(`${sim.apiUrl}/repositories/1296269/installation`);
    // Followed, the lookup finds no installation of the App on the new owner.
    expect((await api(sim.url, "/repos/beta/widgets/installation", sim.world.jwt(), manual)).status).toBe(
      404,
    );
    expect((await mint(7777, ["widgets"])).status).toBe(422);

    const [transferred] = await payloadsOf("repository");
    expect(transferred).toMatchObject({
      action: "transferred",
      changes: { owner: { from: { organization: { login: "acme", id: 9919 } } } },
      repository: { id: 1296269, full_name: "beta/widgets" },
      installation: { id: 7777 },
    });
    expect(validateWebhook("repository", "transferred", transferred)).toEqual([]);
  });
});

describe("account renamed", () => {
  it("keeps the installation id, answers the old login with 404, frees it, and sends installation_target.renamed", async () => {
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    await sim.admin.renameAccount("acme", "acme-corp");

    const installation = await api(sim.url, "/app/installations/7777", sim.world.jwt(), manual);
    expect(await installation.json()).toMatchObject({ id: 7777, account: { login: "acme-corp", id: 9919 } });
    expect((await api(sim.url, "/repos/acme/widgets", access, manual)).status).toBe(404);
    expect((await api(sim.url, "/repos/acme-corp/widgets", access, manual)).status).toBe(200);
    // GitHub resolves a mint's repository names inside the installation's current account.
    const minted = (await (await mint(7777, ["widgets"])).json()) as {
      repositories: { full_name: string; owner: { id: number } }[];
    };
    expect(minted.repositories).toMatchObject([{ full_name: "acme-corp/widgets", owner: { id: 9919 } }]);

    const [renamed] = await payloadsOf("installation_target");
    expect(renamed).toMatchObject({
      action: "renamed",
      account: { id: 9919, login: "acme-corp" },
      changes: { login: { from: "acme" } },
      target_type: "Organization",
      installation: { id: 7777 },
    });
    expect(validateWebhook("installation_target", "renamed", renamed)).toEqual([]);

    // The old login is free: someone else's organisation takes it.
    const taken = await sim.admin.seedOrg({ login: "acme" });
    expect(taken.id).not.toBe(9919);
    await expect(sim.admin.renameAccount("acme-corp", "acme")).rejects.toThrow(/taken/);
  });

  it("keeps a renamed person a member of their organisations", async () => {
    await sim.admin.renameAccount("octocat", "octo-renamed");
    const state = (await sim.admin.state()) as { accounts: { login: string; members?: object }[] };
    expect(state.accounts.find((a) => a.login === "acme")?.members).toEqual({ "octo-renamed": "member" });
  });
});
