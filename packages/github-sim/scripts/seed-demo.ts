/**
 * Seeds a running simulator with a demo world: person `octocat` (signed in to the authorize page),
 * org `acme`, private repo `acme/widgets` (octocat: write), and a GitHub App installed on acme.
 *
 *   pnpm --filter @gitcred/github-sim seed-demo [url]      (default http://127.0.0.1:8790)
 *
 * An App already in the simulator (the one `pnpm dev` seeds; or the one named GITHUB_APP_SLUG) is
 * installed as it is. Only when there is none, one is created from the environment:
 * GITHUB_APP_PUBLIC_KEY_FILE (SPKI PEM; else a key pair is generated and the private key printed),
 * GITHUB_APP_ID, GITHUB_APP_SLUG, GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, GITHUB_CALLBACK_URL
 * (default http://127.0.0.1:8787/github/callback), GITHUB_WEBHOOK_URL, GITHUB_WEBHOOK_SECRET.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createSimAdmin, generateAppKeyPair, type SimApp } from "../local/index.ts";

const url = process.argv[2] ?? process.env.GITHUB_SIM_URL ?? "http://127.0.0.1:8790";
const env = process.env;
const admin = createSimAdmin(url);

const octocat = await admin.seedUser({ login: "octocat", id: 583231, name: "The Octocat" });
const acme = await admin.seedOrg({
  login: "acme",
  id: 9919,
  name: "Acme Corp",
  members: { octocat: "member" },
});
const widgets = await admin.seedRepo({ owner: "acme", name: "widgets", collaborators: { octocat: "write" } });
// `pnpm dev` seeds its own App (whose private key only it knows): install that one, never replace it.
const wantedSlug = env.GITHUB_APP_SLUG;
const existing = ((await admin.state()).apps as SimApp[]).find((a) => !wantedSlug || a.slug === wantedSlug);
let privateKeyPem: string | null = null;
let app: SimApp;
if (existing) {
  app = existing;
} else {
  let publicKeyPem: string;
  if (env.GITHUB_APP_PUBLIC_KEY_FILE) {
    publicKeyPem = readFileSync(env.GITHUB_APP_PUBLIC_KEY_FILE, "utf8");
  } else {
    const keys = generateAppKeyPair();
    publicKeyPem = keys.publicKeyPem;
    privateKeyPem = keys.privateKeyPkcs8Pem;
  }
  app = await admin.seedApp({
    slug: wantedSlug ?? "gitcred-dev",
    name: "gitcred (dev)",
    publicKeyPem,
    ...(env.GITHUB_APP_ID ? { id: Number(env.GITHUB_APP_ID) } : {}),
    ...(env.GITHUB_CLIENT_ID ? { clientId: env.GITHUB_CLIENT_ID } : {}),
    ...(env.GITHUB_CLIENT_SECRET ? { clientSecret: env.GITHUB_CLIENT_SECRET } : {}),
    callbackUrls: [env.GITHUB_CALLBACK_URL ?? "http://127.0.0.1:8787/github/callback"],
    ...(env.GITHUB_WEBHOOK_URL ? { webhookUrl: env.GITHUB_WEBHOOK_URL } : {}),
    ...(env.GITHUB_WEBHOOK_SECRET ? { webhookSecret: env.GITHUB_WEBHOOK_SECRET } : {}),
  });
}
const installation = await admin.seedInstallation({
  app: app.id,
  account: "acme",
  repositories: ["widgets"],
});
await admin.setSession({ login: "octocat", autoApprove: "off" });

console.log(`Seeded the GitHub simulator at ${url}:
  person        ${octocat.login} (id ${octocat.id}), signed in to the authorize and device pages
  org           ${acme.login} (id ${acme.id}), octocat is a member
  repository    acme/${widgets.name} (id ${widgets.id}, private), octocat has write
  GitHub App    ${app.slug} (id ${app.id}${existing ? ", already there: kept" : ", created"}), bot user ${app.slug}[bot] (id ${app.botUserId})
    client id     ${app.clientId}
    callback      ${app.callbackUrls.join(", ")}
  installation  ${installation.id} on acme (selected: widgets), permissions ${JSON.stringify(installation.permissions)}
Set GITHUB_API_URL and GITHUB_WEB_URL to ${url}.`);
if (!existing) {
  // Credentials go to a file only its owner can read, never to the terminal (scrollback, CI logs).
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), ".data", "github-sim-app.env");
  mkdirSync(dirname(file), { recursive: true });
  const lines = [
    `GITHUB_APP_ID=${app.id}`,
    `GITHUB_APP_SLUG=${app.slug}`,
    `GITHUB_CLIENT_ID=${app.clientId}`,
    `GITHUB_CLIENT_SECRET=${app.clientSecret}`,
    ...(privateKeyPem ? [`GITHUB_APP_PRIVATE_KEY="${privateKeyPem.replace(/\n/g, "\\n")}"`] : []),
  ];
  writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  console.log(`The App's credentials (client secret${privateKeyPem ? ", private key" : ""}) are in ${file}.`);
}
