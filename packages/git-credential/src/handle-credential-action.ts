import { createHash } from "node:crypto";
import type { SessionCredentialsBody } from "@gitcred/client/session-http";
import { callSessionApi } from "./call-session-api.ts";
import { checkCredentialRequest } from "./check-credential-request.ts";
import { fetchCredentials } from "./fetch-credentials.ts";
import { formatCredentialResponse, parseCredentialRequest } from "./parse-credential-request.ts";
import { readSyncedIdentity, syncIdentity } from "./sync-identity.ts";
import type { SessionConfig } from "./types.ts";
import type { WaitOptions } from "./wait-for-session.ts";

export type CredentialAction = "get" | "store" | "erase";

export interface CredentialContext {
  config: SessionConfig;
  /** The clone's git directory when the helper was set up for one: its identity is kept in sync. */
  gitDir?: string | undefined;
  /** Where messages for the person at the terminal go (git shows a helper's stderr). */
  warn: (line: string) => void;
  wait?: WaitOptions;
}

/** `protocol://host` as git asked, for a message (plain URL parts, printable only; git sends no secret in them). */
function describeTarget(request: Record<string, string>): string {
  const printable = (value: string | undefined, missing: string) =>
    value === undefined || value === "" ? missing : value.replace(/[^\x21-\x7e]/g, "?").slice(0, 200);
  return `${printable(request.protocol, "(no protocol)")}://${printable(request.host, "(no host)")}`;
}

function identityOf(body: SessionCredentialsBody) {
  return {
    identity: body.identity,
    author: body.author,
    commitTrailers: body.commitTrailers,
    downgraded: body.downgraded,
  };
}

function noteDowngrade(context: CredentialContext, body: SessionCredentialsBody, before: boolean): void {
  if (body.downgraded && !before) {
    context.warn(
      `gitcred: the person's GitHub token no longer works; this session now pushes and commits as ${body.author.name}` +
        (body.commitTrailers.length > 0 ? ` (${body.commitTrailers.join("; ")})` : ""),
    );
  }
}

/**
 * One git credential helper call (git's protocol: attributes on stdin, the answer on stdout).
 * Only a request for `https://<the configured GitHub host>` gets anything (`checkCredentialRequest`):
 * whatever config routed git here, a submodule, an `.lfsconfig` or an `http:` remote on another host
 * must not obtain the session's token. Anything else: an empty answer, so git tries no further.
 * - `get`: a fresh token from the session as `username=x-access-token` / `password=...`; the clone's
 *   author and trailers are brought in line with the session on the way. On failure `quit=1`, and why
 *   on stderr: git must not fall back to prompting or to another helper.
 * - `store`: nothing. The token is never written anywhere: the session hands out a fresh one each time.
 * - `erase`: GitHub refused the token: report its SHA-256 to the session, which retries the person's token
 *   and, if it is gone for good, switches to the App's bot; the clone's identity follows.
 * Returns what to write to stdout.
 */
export async function handleCredentialAction(
  action: CredentialAction,
  input: string,
  context: CredentialContext,
): Promise<string> {
  if (action === "store") return "";
  const request = parseCredentialRequest(input);
  const verdict = checkCredentialRequest(request, context.config.githubHost);
  if (!verdict.ok) {
    // Prevents handing the token to (or reporting a refusal from) a host that is not GitHub's git
    // endpoint over https. The message names the host asked for, never a credential.
    if (action === "get") {
      context.warn(
        `gitcred: no credential for ${describeTarget(request)} (${verdict.reason}): this session answers only https://${context.config.githubHost}`,
      );
    }
    return "";
  }
  const before = context.gitDir === undefined ? undefined : readSyncedIdentity(context.gitDir);
  if (action === "get") {
    const result = await fetchCredentials(context.config, context.wait);
    if (!result.ok) {
      context.warn(`gitcred: no credential for this session (${result.reason}): ${result.message}`);
      return "quit=1\n";
    }
    const body = result.value;
    if (context.gitDir !== undefined) {
      syncIdentity(context.gitDir, identityOf(body));
      noteDowngrade(context, body, before?.downgraded ?? false);
    }
    const answer: Record<string, string> = { username: body.username, password: body.token };
    if (body.expiresAt !== null) {
      answer.password_expiry_utc = String(Math.floor(Date.parse(body.expiresAt) / 1000));
    }
    return formatCredentialResponse(answer);
  }
  const { password } = request;
  if (password === undefined || password === "") return "";
  const tokenSha256 = createHash("sha256").update(password).digest("hex");
  const result = await callSessionApi<SessionCredentialsBody>(context.config, "credentials/rejected", {
    body: { tokenSha256 },
  });
  if (!result.ok) {
    const retry =
      result.retryAfterSeconds === undefined ? "" : `; try again in ${result.retryAfterSeconds} s`;
    context.warn(
      `gitcred: the refused token could not be replaced (${result.reason}): ${result.message}${retry}`,
    );
    return "";
  }
  if (context.gitDir !== undefined) {
    syncIdentity(context.gitDir, identityOf(result.value));
  }
  noteDowngrade(context, result.value, before?.downgraded ?? false);
  return "";
}
