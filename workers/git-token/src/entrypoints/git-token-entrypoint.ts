import { WorkerEntrypoint } from "cloudflare:workers";
import type { GitTokenCallerProps, WorkerHealth } from "@gitcred/client";
import { pingDatabase } from "@gitcred/db";
import { appQuotaGate, githubConcurrency } from "@gitcred/github";
import { loadConfig } from "../config.ts";
import { lockoutHold } from "../user/lockout-hold.ts";
import type { EntrypointCalls } from "./entrypoint-calls.ts";

/**
 * What every entrypoint of git-token shares: `health`, and an `EntrypointCalls` for running its methods
 * (the caller from the binding's props, the validated call inside the RPC boundary). The entrypoints
 * themselves differ only in which methods they expose: that list is the authorization, so a method is
 * never added to an entrypoint "just in case", and no helper is a method (every method on the
 * prototype chain, `protected` or not, is callable over RPC: see `EntrypointCalls`).
 */
export abstract class GitTokenEntrypoint extends WorkerEntrypoint<Env, GitTokenCallerProps> {
  /** How this entrypoint's methods run; a field, so it is not reachable over RPC. */
  protected abstract readonly calls: EntrypointCalls;

  /**
   * Liveness for the suite's /healthz: this worker and its database (`ok`), plus whether its settings
   * are usable (reported, so a missing key or App shows up on /healthz without taking the suite down).
   */
  async health(): Promise<WorkerHealth> {
    const database = await pingDatabase(this.env, (p) => this.ctx.waitUntil(p));
    const config = loadConfig(this.env);
    const usable = (p: Promise<unknown>, bad: string) =>
      p.then(
        () => "ok",
        () => bad,
      );
    return {
      worker: "gitcred-git-token",
      ok: database.ok,
      database: database.ok ? "ok" : database.reason,
      encryptionKeys: await usable(config.keyring, "missing_or_invalid"),
      githubApp:
        config.app === undefined
          ? "not_configured"
          : await usable(config.app.privateKey, "invalid_private_key"),
      oauthClient: config.oauth === undefined ? "not_configured" : "ok",
      userTokens: config.userTokensEnabled ? "enabled" : "disabled",
      permissionCeiling: config.permissionCeiling instanceof Error ? "invalid" : "ok",
      // This isolate's counts of GitHub's limits being honoured (#15 §5), for operators and the
      // reliability report: the most requests in flight at once (≤ 100), App requests held back by a low
      // quota, and people whose lockout this isolate waited out instead of calling GitHub.
      githubPeakInFlight: String(githubConcurrency.peak),
      appQuotaHeldBack: String(appQuotaGate.heldBack),
      lockoutsSeen: String(lockoutHold.seen),
    };
  }

  override async fetch(): Promise<Response> {
    return new Response("Not found", { status: 404 });
  }
}
