import { DurableObject } from "cloudflare:workers";
import {
  claimDeviceAuthorization,
  type Database,
  openDatabase,
  readDeviceAuthorization,
  recordDeviceLogin,
} from "@gitcred/db";
import { startDeviceFlow } from "@gitcred/github";
import {
  createLogger,
  decryptSecret,
  encryptSecret,
  errorFields,
  parseEncryptionKeys,
  secretAad,
  shareInFlight,
} from "@gitcred/utils";
import { readConnectConfig } from "./connect-config.ts";
import { nextDeviceState } from "./device/next-device-state.ts";
import type { DeviceRecord, DeviceView } from "./device/types.ts";

const log = createLogger({ worker: "gitcred-connect", component: "device-authorization" });
const RECORD = "record";

/**
 * The longest a device authorization polls, whatever GitHub's `expires_in` (15 min): a user code
 * someone sends to another person (RFC 8628 §5.4) stops connecting anything after this.
 */
export const DEVICE_WINDOW_SECONDS = 10 * 60;

export type StartDeviceResult =
  | { ok: true; view: DeviceView }
  | {
      ok: false;
      reason: "disabled" | "not_configured" | "github_unavailable" | "rate_limited";
      retryAfterSeconds?: number;
    };

function view(record: DeviceRecord, login?: string | null): DeviceView {
  return {
    status: record.status,
    userCode: record.userCode,
    verificationUri: record.verificationUri,
    expiresAt: new Date(record.expiresAt).toISOString(),
    ...(login === undefined || login === null ? {} : { login }),
    ...(record.failureReason === undefined ? {} : { failureReason: record.failureReason }),
  };
}

/**
 * One per device authorization (named by a random handle). It alone polls GitHub, from its alarm, so
 * however many pages or RPC callers ask for the status, one device code yields one token exchange and
 * one stored connection. It keeps the device code only encrypted, and drops it when the flow ends.
 * Whose it is lives in Postgres (`device_authorizations`, one row per person): it polls and answers only
 * while that row names it, so a newer start (at most one pending authorization per person) or the
 * person's erasure stops it before its next token-endpoint call, and its storage holds nothing of them.
 */
export class DeviceAuthorization extends DurableObject<Env> {
  private readonly inFlight: { starting?: Promise<StartDeviceResult> | undefined } = {};

  /** Starts the flow once; repeated calls answer with the same authorization. */
  start(userId: string): Promise<StartDeviceResult> {
    return shareInFlight(this.inFlight, "starting", () => this.#startOnce(userId));
  }

  async #startOnce(userId: string): Promise<StartDeviceResult> {
    const existing = await this.ctx.storage.get<DeviceRecord>(RECORD);
    if (existing !== undefined) return { ok: true, view: view(existing) };
    const config = readConnectConfig(this.env);
    if (!config.userTokensEnabled) return { ok: false, reason: "disabled" };
    if (config.clientId === "") return { ok: false, reason: "not_configured" };
    const started = await startDeviceFlow(
      { apiUrl: config.githubApiUrl, webUrl: config.githubWebUrl },
      { clientId: config.clientId },
    );
    if (!started.ok) {
      log.warn("device flow start failed", { reason: started.reason, status: started.status });
      return started.reason === "rate_limited"
        ? { ok: false, reason: "rate_limited", retryAfterSeconds: started.retryAfterSeconds ?? 60 }
        : { ok: false, reason: "github_unavailable", retryAfterSeconds: 30 };
    }
    const keyring = await parseEncryptionKeys(this.env.TOKEN_ENCRYPTION_KEYS);
    const { device } = started;
    const now = Date.now();
    const record: DeviceRecord = {
      deviceCodeEnc: await encryptSecret(keyring, device.deviceCode, this.#aad()),
      userCode: device.userCode,
      verificationUri: device.verificationUri,
      intervalSeconds: device.intervalSeconds,
      expiresAt: now + Math.min(device.expiresInSeconds, DEVICE_WINDOW_SECONDS) * 1000,
      status: "pending",
      polls: 0,
    };
    // The person's one current authorization from now on; the one it replaces stops at its next alarm.
    await this.#withDatabase((db) =>
      claimDeviceAuthorization(db, { userId, objectId: this.ctx.id.toString() }),
    );
    await this.ctx.storage.put(RECORD, record);
    await this.ctx.storage.setAlarm(now + device.intervalSeconds * 1000);
    return { ok: true, view: view(record) };
  }

  /** The status for the person it belongs to; anyone else, a replaced or an erased one learns nothing. */
  async status(userId?: string): Promise<DeviceView | undefined> {
    const record = await this.ctx.storage.get<DeviceRecord>(RECORD);
    if (record === undefined) return undefined;
    const owner = await this.#withDatabase((db) => readDeviceAuthorization(db, this.ctx.id.toString()));
    if (owner === undefined || (userId !== undefined && owner.userId !== userId)) return undefined;
    return view(record, owner.login);
  }

  override async alarm(): Promise<void> {
    const record = await this.ctx.storage.get<DeviceRecord>(RECORD);
    if (record === undefined || record.status !== "pending" || record.deviceCodeEnc === undefined) return;
    const now = Date.now();
    if (now >= record.expiresAt) {
      const { deviceCodeEnc: _dropped, ...rest } = record;
      await this.ctx.storage.put(RECORD, { ...rest, status: "expired" });
      return;
    }
    try {
      const owner = await this.#withDatabase((db) => readDeviceAuthorization(db, this.ctx.id.toString()));
      if (owner === undefined) {
        // Replaced by a newer start, or the person was erased: no poll, and the device code goes.
        log.info("device authorization superseded or erased; polling stops");
        await this.ctx.storage.deleteAll();
        return;
      }
      const keyring = await parseEncryptionKeys(this.env.TOKEN_ENCRYPTION_KEYS);
      const deviceCode = await decryptSecret(keyring, record.deviceCodeEnc, this.#aad());
      const result = await this.env.GIT_TOKEN.completeDeviceAuthorization({
        userId: owner.userId,
        deviceCode,
      });
      const outcome = nextDeviceState(record, result, Date.now());
      const { login, ...stored } = outcome.record;
      await this.ctx.storage.put(RECORD, stored);
      if (outcome.nextPollAt !== undefined) await this.ctx.storage.setAlarm(outcome.nextPollAt);
      if (outcome.record.status === "connected" && login !== undefined) {
        await this.#withDatabase((db) => recordDeviceLogin(db, this.ctx.id.toString(), login));
      }
      if (outcome.record.status !== "pending") {
        log.info("device authorization ended", {
          status: outcome.record.status,
          polls: outcome.record.polls,
        });
      }
    } catch (error) {
      // Unexpected (binding or database down, bad key config): keep the code and try again later.
      log.error("device poll failed", { error: errorFields(error) });
      await this.ctx.storage.setAlarm(Date.now() + Math.max(record.intervalSeconds, 10) * 1000);
    }
  }

  /** One pool per use, ended afterwards (a Durable Object must not keep sockets across requests). */
  async #withDatabase<T>(use: (db: Database) => Promise<T>): Promise<T> {
    const handle = openDatabase(this.env, (error) =>
      log.warn("database client error", { error: errorFields(error) }),
    );
    try {
      return await use(handle.db);
    } finally {
      this.ctx.waitUntil(handle.close());
    }
  }

  #aad(): string {
    return secretAad("device_authorizations", "device_code", this.ctx.id.toString());
  }
}
