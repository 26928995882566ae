/**
 * The credential-helper attacks of #13 §2 (the session's token for another host, over http, through an
 * `.lfsconfig`, a submodule, an ssh or missing remote, or an unscoped entry an older version left), run
 * for real against this run's suite: a fresh person and session, the real helper CLI and real git, an
 * https git server standing in for GitHub (tokens checked with the simulator), and local traps that
 * record any credential they receive. Refused only when the attack ran and nothing came out.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CREDENTIAL_ATTACKS } from "../../../packages/git-credential/test/credential-attacks.ts";
import { startGitServer } from "../../../packages/git-credential/test/git-server.ts";
import { createSelfSignedCert } from "../../../test-support/self-signed-cert.ts";
import { freshWorld, harness, rpc, sim } from "../harness/client.ts";
import { SESSION_FRONT } from "../harness/session-front.ts";
import type { AttackResult } from "./types.ts";

const FILE = "oauth-attacks";
const CATEGORY = "credential helper";
/** The helper's source, run by this Node (which strips types) as git runs it: a shell command. */
const CLI_SCRIPT = join(import.meta.dirname, "..", "..", "..", "packages", "git-credential", "src", "cli.ts");

/** Every credential-helper attack, each against the same live session; an attack that throws is not refused. */
export async function credentialHelperAttacks(): Promise<AttackResult[]> {
  const cell = await freshWorld("att-cred");
  const sessionId = `cred-attacks-${cell.person.userId}`;
  const prepared = await rpc<{ ok: boolean; reason?: string; sessionSecret?: string }>(
    FILE,
    "SESSION",
    "prepareSession",
    {
      sessionId,
      userId: cell.person.userId,
      tenantId: cell.tenantId,
      owner: cell.owner,
      repo: cell.repo,
      mode: "now",
    },
  );
  if (!prepared.ok || prepared.sessionSecret === undefined) {
    return [
      { category: CATEGORY, name: "premise: a session", refused: false, detail: String(prepared.reason) },
    ];
  }
  const scratch = mkdtempSync(join(tmpdir(), "gitcred-cred-attacks-"));
  const tls = createSelfSignedCert(["localhost", "127.0.0.1", "evil.example"]);
  const root = join(scratch, "server");
  const server = await startGitServer({
    root,
    tls,
    checkToken: (token, owner, repo) => sim().checkToken(token, owner, repo),
  });
  const out: AttackResult[] = [];
  try {
    const target = {
      cliScript: CLI_SCRIPT,
      session: {
        apiUrl: `${harness().controlUrl}${SESSION_FRONT}`,
        sessionId,
        secret: prepared.sessionSecret,
      },
      github: { url: server.url, host: server.host, root, owner: cell.owner, repo: cell.repo },
      tls,
      scratch,
    };
    for (const attack of CREDENTIAL_ATTACKS) {
      try {
        const outcome = await attack.run(target);
        out.push({
          category: CATEGORY,
          name: outcome.name,
          refused: outcome.refused,
          detail: outcome.detail,
        });
      } catch (error) {
        // A message from git or our own code; neither carries a token.
        const detail = `threw: ${error instanceof Error ? (error.message.split("\n")[0] ?? "") : "unknown"}`;
        out.push({ category: CATEGORY, name: attack.name, refused: false, detail });
      }
    }
  } finally {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return out;
}
