/**
 * The OAuth attack set of #5, counted: state and code attacks on the web flow, a settings link used
 * twice, CSRF and origin checks, ≥ 30 open-redirect return paths, CR/LF and token-shaped strings in every
 * query parameter (logs stay clean), forged and replayed webhooks; and the authorization attacks of #12
 * (the App's token for a caller not entitled to it). Goal: refused / total = 100%.
 */
import { afterAll, describe, expect, it } from "vitest";
import { accountLinkingAttacks } from "./attacks/account-linking-attacks.ts";
import { authorizationAttacks } from "./attacks/authorization-attacks.ts";
import { credentialHelperAttacks } from "./attacks/credential-helper-attacks.ts";
import { erasureBudgetAttacks } from "./attacks/erasure-budget-attacks.ts";
import {
  csrfAttacks,
  logInjectionAttacks,
  openRedirectAttacks,
  settingsLinkAttacks,
} from "./attacks/page-attacks.ts";
import { renameAttacks } from "./attacks/rename-attacks.ts";
import { sessionAttacks } from "./attacks/session-attacks.ts";
import { stateAttacks } from "./attacks/state-attacks.ts";
import type { AttackResult } from "./attacks/types.ts";
import { webhookAttacks } from "./attacks/webhook-attacks.ts";
import { closeClients } from "./harness/client.ts";
import { writeFigures } from "./harness/figures.ts";

const results: AttackResult[] = [];

afterAll(async () => {
  writeFigures("oauth-attacks", { attacks: results });
  await closeClients();
});

describe("OAuth attack set", () => {
  it("every attack is refused", async () => {
    for (const run of [
      stateAttacks,
      settingsLinkAttacks,
      csrfAttacks,
      webhookAttacks,
      logInjectionAttacks,
      openRedirectAttacks,
      authorizationAttacks,
      accountLinkingAttacks,
      credentialHelperAttacks,
      erasureBudgetAttacks,
      sessionAttacks,
      renameAttacks,
    ]) {
      results.push(...(await run()));
      writeFigures("oauth-attacks", { attacks: results });
    }
    expect(results.length).toBeGreaterThanOrEqual(50);
    expect(results.filter((r) => !r.refused).map((r) => `${r.category}: ${r.name} (${r.detail})`)).toEqual(
      [],
    );
  });
});
