/**
 * Attacks on the webhook endpoint (#5): a forged or missing signature, a body changed after signing, a
 * signature made with another secret, and a replayed delivery — none may change anything. The payload
 * is a real person's `github_app_authorization` revocation, so an accepted forgery would show as their
 * connection being marked.
 */
import { createHmac, randomUUID } from "node:crypto";
import { freshWorld, harness, tokenRow } from "../harness/client.ts";
import { recordObserved } from "../harness/observed.ts";
import type { AttackResult } from "./types.ts";

const FILE = "oauth-attacks";

async function deliver(
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${harness().publicUrl}/github/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "github_app_authorization", ...headers },
    body,
  });
  const text = await res.text();
  recordObserved(FILE, "http", text);
  return { status: res.status, body: text };
}

const sign = (secret: string, body: string) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** Forged, unsigned, altered and replayed webhooks: none may change anything. */
export async function webhookAttacks(): Promise<AttackResult[]> {
  const cell = await freshWorld("att-hook");
  const payload = JSON.stringify({
    action: "revoked",
    sender: { id: cell.person.githubUserId, login: cell.person.login },
  });
  const secret = harness().webhookSecret;
  const intact = async () => (await tokenRow(cell.person.userId))?.status === "active";
  const out: AttackResult[] = [];
  const cases: [string, string, Record<string, string>][] = [
    ["forged signature", payload, { "x-hub-signature-256": `sha256=${"0".repeat(64)}` }],
    ["no signature", payload, {}],
    [
      "body changed after signing",
      payload.replace("revoked", "revoked "),
      { "x-hub-signature-256": sign(secret, payload) },
    ],
    ["signed with another secret", payload, { "x-hub-signature-256": sign("not-the-secret", payload) }],
    [
      "SHA-1 signature only",
      payload,
      { "x-hub-signature": `sha1=${createHmac("sha1", secret).update(payload).digest("hex")}` },
    ],
  ];
  for (const [name, body, headers] of cases) {
    const answer = await deliver(body, { "x-github-delivery": randomUUID(), ...headers });
    out.push({
      category: "webhooks",
      name,
      refused: answer.status === 401 && (await intact()),
      detail: `${answer.status}`,
    });
  }
  // A replay: the same (validly signed) delivery twice; the second must be recognised and not applied.
  const install = JSON.stringify({
    action: "created",
    installation: {
      id: 1_900_000_001,
      account: { login: "replay-org", id: 1_900_000_002, type: "Organization" },
      repository_selection: "all",
    },
    sender: { id: 1, login: "x" },
  });
  const delivery = randomUUID();
  const headers = {
    "x-github-event": "installation",
    "x-github-delivery": delivery,
    "x-hub-signature-256": sign(secret, install),
  };
  const first = await deliver(install, headers);
  const replay = await deliver(install, headers);
  out.push({
    category: "webhooks",
    name: "replayed delivery (same X-GitHub-Delivery)",
    refused: first.status === 200 && replay.status === 200 && replay.body.includes("duplicate"),
    detail: `first ${first.body}, replay ${replay.body}`,
  });
  return out;
}
