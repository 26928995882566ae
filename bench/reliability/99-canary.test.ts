/**
 * Canary scan, after everything else of the run (files run in name order): every token the simulator
 * ever issued (it is the one place that knows them all — user, refresh, installation tokens, classic and
 * stateless `ghs_<appid>_<JWT>` alike, codes, device codes), plus the App's client secret, webhook secret
 * and a slice of its private key, searched in the worker logs, KV, Durable Object storage, every Postgres
 * row, RPC results other than their token fields, HTTP bodies and redirect URLs; and every SAML SSO
 * authorize URL the simulator handed out (and the fault matrix's), in all of those but the person's own
 * settings pages, the one place it belongs. Goal: 0 found.
 */
import { afterAll, describe, expect, it } from "vitest";
import { SSO_FAULT_REQUEST } from "./fault-matrix/faults.ts";
import { closeClients, harness, sim } from "./harness/client.ts";
import { writeFigures } from "./harness/figures.ts";
import { collectHaystacks } from "./harness/haystacks.ts";

afterAll(async () => {
  await closeClients();
});

describe("canary scan", () => {
  it("no issued token or App secret anywhere gitcred writes or answers", async () => {
    const info = harness();
    const issued = await sim().issuedTokens();
    const secrets = [
      ...issued.map((t) => ({ value: t.token, label: `${t.kind} token ${t.prefix}…` })),
      { value: info.clientSecret, label: "client secret" },
      { value: info.webhookSecret, label: "webhook secret" },
      {
        value: info.privateKeyPem
          .replace(/-----[^-]+-----/g, "")
          .replace(/\s+/g, "")
          .slice(40, 120),
        label: "App private key",
      },
    ].filter((s) => s.value.length >= 8);
    // SAML SSO authorize URLs reach the person only: searched everywhere but their own settings pages.
    const ssoUrls = [
      ...(await sim().ssoRequests()).flatMap((r) => [
        r.url,
        new URL(r.url).searchParams.get("authorization_request") ?? r.url,
      ]),
      SSO_FAULT_REQUEST,
    ].map((value) => ({ value, label: "SSO authorize URL" }));
    const haystacks = await collectHaystacks(info.persistDir);
    const found: string[] = [];
    for (const haystack of haystacks) {
      const sought = haystack.personOnly ? secrets : [...secrets, ...ssoUrls];
      for (const secret of sought)
        if (haystack.text.includes(secret.value)) found.push(`${secret.label} in ${haystack.place}`);
    }
    const byKind: Record<string, number> = {};
    for (const t of issued) {
      // The stateless `ghs_<appid>_<JWT>` installation tokens (~520 characters) are counted apart: the run
      // mints them beside classic ones (harness/setup.ts), and the scan must have had some to look for.
      const kind = t.kind === "installation" && t.token.length > 100 ? "installation (stateless)" : t.kind;
      byKind[kind] = (byKind[kind] ?? 0) + 1;
    }
    writeFigures("canary", {
      secrets: secrets.length,
      ssoUrls: ssoUrls.length,
      issuedByKind: byKind,
      places: haystacks.map(({ place, items, bytes }) => ({ place, items, bytes })),
      found,
    });
    expect(issued.length).toBeGreaterThan(100);
    expect(byKind["installation (stateless)"] ?? 0).toBeGreaterThan(0);
    expect(byKind.installation ?? 0).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });
});
