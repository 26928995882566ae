import { WorkerEntrypoint } from "cloudflare:workers";
import type {
  ConnectRpc,
  CreateSettingsLinkResult,
  GetDeviceConnectResult,
  StartDeviceConnectResult,
} from "@gitcred/client";
import { isDatabaseUnavailable, openDatabase } from "@gitcred/db";
import { createLogger, errorFields, parseInput, randomToken, userIdSchema } from "@gitcred/utils";
import { z } from "zod";
import { readConnectConfig } from "./connect-config.ts";
import { admitDeviceStart } from "./device/admit-device-start.ts";
import { avatarUrlSchema, displayNameSchema } from "./platform-account.ts";
import { DEVICE_HANDLE } from "./routes/settings.tsx";
import { safeReturnPath } from "./safe-return-path.ts";
import { createSettingsLink } from "./settings-link.ts";

const log = createLogger({ worker: "gitcred-connect", component: "ConnectService" });

const createLinkInput = z
  .object({
    userId: userIdSchema,
    tenantId: userIdSchema.optional(),
    displayName: displayNameSchema.optional(),
    avatarUrl: avatarUrlSchema.optional(),
    returnTo: z.string().max(2048).optional(),
  })
  .strict();
const startDeviceInput = z.object({ userId: userIdSchema }).strict();
const getDeviceInput = z.object({ handle: z.string().regex(DEVICE_HANDLE) }).strict();

/**
 * ConnectService: what the agent platform calls to send a person to the settings page or to start a
 * device-flow connection. Every input is validated and every outcome is a typed result.
 */
export class ConnectService extends WorkerEntrypoint<Env> implements ConnectRpc {
  async createSettingsLink(input: unknown): Promise<CreateSettingsLinkResult> {
    const parsed = parseInput(createLinkInput, input);
    if (!parsed.ok) return parsed;
    const handle = openDatabase(this.env, (error) =>
      log.warn("database client error", { error: errorFields(error) }),
    );
    try {
      const link = await createSettingsLink(handle.db, {
        userId: parsed.value.userId,
        tenantId: parsed.value.tenantId,
        displayName: parsed.value.displayName,
        avatarUrl: parsed.value.avatarUrl,
        returnTo: safeReturnPath(parsed.value.returnTo ?? "/settings"),
        publicUrl: readConnectConfig(this.env).publicUrl,
      });
      return { ok: true, ...link };
    } catch (error) {
      // An unreachable database is transient and answered with a retry time: a warning, not an error.
      if (isDatabaseUnavailable(error)) {
        log.warn("createSettingsLink: database unavailable", { error: errorFields(error) });
        return { ok: false, reason: "database_unavailable", retryAfterSeconds: 5 };
      }
      log.error("createSettingsLink failed", { error: errorFields(error) });
      return { ok: false, reason: "internal_error" };
    } finally {
      this.ctx.waitUntil(handle.close());
    }
  }

  async startDeviceConnect(input: unknown): Promise<StartDeviceConnectResult> {
    const parsed = parseInput(startDeviceInput, input);
    if (!parsed.ok) return parsed;
    const db = openDatabase(this.env, (error) =>
      log.warn("database client error", { error: errorFields(error) }),
    );
    try {
      // The person's start budget (no page session here): the platform cannot start pollers without end.
      const admitted = await admitDeviceStart(db.db, { userId: parsed.value.userId, now: new Date() });
      if (!admitted.ok) {
        return {
          ok: false,
          reason: "rate_limited",
          message: "too many device connections started; try again later",
          retryAfterSeconds: admitted.retryAfterSeconds,
        };
      }
      const handle = randomToken(32);
      const stub = this.env.DEVICE_AUTHORIZATIONS.get(this.env.DEVICE_AUTHORIZATIONS.idFromName(handle));
      const started = await stub.start(parsed.value.userId);
      if (!started.ok) return started;
      const { userCode, verificationUri, expiresAt } = started.view;
      return { ok: true, userCode, verificationUri, expiresAt, handle };
    } catch (error) {
      log.error("startDeviceConnect failed", { error: errorFields(error) });
      return { ok: false, reason: "internal_error" };
    } finally {
      this.ctx.waitUntil(db.close());
    }
  }

  async getDeviceConnect(input: unknown): Promise<GetDeviceConnectResult> {
    const parsed = parseInput(getDeviceInput, input);
    if (!parsed.ok) return parsed;
    try {
      const stub = this.env.DEVICE_AUTHORIZATIONS.get(
        this.env.DEVICE_AUTHORIZATIONS.idFromName(parsed.value.handle),
      );
      const view = await stub.status();
      if (view === undefined) return { ok: false, reason: "not_found" };
      return {
        ok: true,
        status: view.status,
        expiresAt: view.expiresAt,
        ...(view.login === undefined ? {} : { login: view.login }),
        ...(view.failureReason === undefined ? {} : { failureReason: view.failureReason }),
      };
    } catch (error) {
      log.error("getDeviceConnect failed", { error: errorFields(error) });
      return { ok: false, reason: "internal_error" };
    }
  }
}
