import { DurableObject } from "cloudflare:workers";
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
import { nextDeviceState } from "./device/poll-device-authorization.ts";
import { recordDeviceConnection } from "./device/record-device-connection.ts";
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

function view(record: DeviceRecord): DeviceView {
  return {
    status: record.status,
    userCode: record.userCode,
    verificationUri: record.verificationUri,
    expiresAt: new Date(record.expiresAt).toISOString(),
    ...(record.login === undefined ? {} : { login: record.login }),
    ...(record.failureReason === undefined ? {} : { failureReason: record.failureReason }),
  };
}

/**
 * One per device authorization (named by a random handle). It alone polls GitHub, from its alarm, so
 * however many pages or RPC callers ask for the status, one device code yields one token exchange and
 * one stored connection. It keeps the device code only encrypted, and drops it when the flow ends.
 */
export class DeviceAuthorization extends DurableObject<Env> {
  private readonly inFlight: { starting?: Promise<StartDeviceResult> | undefined } = {};

  /** Starts the flow once; repeated calls answer with the same authorization. */
  start(userId: string): Promise<StartDeviceResult> {
    return shareInFlight(this.inFlight, "starting", () => this.startOnce(userId));
  }

  private async startOnce(userId: string): Promise<StartDeviceResult> {
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
      userId,
      deviceCodeEnc: await encryptSecret(keyring, device.deviceCode, this.aad()),
      userCode: device.userCode,
      verificationUri: device.verificationUri,
      intervalSeconds: device.intervalSeconds,
      expiresAt: now + Math.min(device.expiresInSeconds, DEVICE_WINDOW_SECONDS) * 1000,
      status: "pending",
      polls: 0,
    };
    await this.ctx.storage.put(RECORD, record);
    await this.ctx.storage.setAlarm(now + device.intervalSeconds * 1000);
    return { ok: true, view: view(record) };
  }

  /** The status for the person it belongs to; anyone else learns nothing. */
  async status(userId?: string): Promise<DeviceView | undefined> {
    const record = await this.ctx.storage.get<DeviceRecord>(RECORD);
    if (record === undefined || (userId !== undefined && record.userId !== userId)) return undefined;
    return view(record);
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
      const keyring = await parseEncryptionKeys(this.env.TOKEN_ENCRYPTION_KEYS);
      const deviceCode = await decryptSecret(keyring, record.deviceCodeEnc, this.aad());
      const result = await this.env.GIT_TOKEN.completeDeviceAuthorization({
        userId: record.userId,
        deviceCode,
      });
      const outcome = nextDeviceState(record, result, Date.now());
      await this.ctx.storage.put(RECORD, outcome.record);
      if (outcome.nextPollAt !== undefined) await this.ctx.storage.setAlarm(outcome.nextPollAt);
      if (outcome.record.status === "connected" && outcome.record.login !== undefined) {
        await recordDeviceConnection(this.env.PAGE_SESSIONS, record.userId, outcome.record.login, Date.now());
      }
      if (outcome.record.status !== "pending") {
        log.info("device authorization ended", {
          status: outcome.record.status,
          polls: outcome.record.polls,
        });
      }
    } catch (error) {
      // Unexpected (binding down, bad key config): keep the code and try again later.
      log.error("device poll failed", { error: errorFields(error) });
      await this.ctx.storage.setAlarm(Date.now() + Math.max(record.intervalSeconds, 10) * 1000);
    }
  }

  private aad(): string {
    return secretAad("device_authorizations", "device_code", this.ctx.id.toString());
  }
}
