import type { AppIdentity, RpcFailure } from "@gitcred/client";
import { getUser, noreplyEmail } from "@gitcred/github";
import type { AppConfig } from "../config.ts";
import type { ServiceDeps } from "../deps.ts";

/** The bot's id never changes; KV keeps it a week so a fresh isolate rarely asks GitHub. */
const KV_TTL_SECONDS = 7 * 24 * 3600;
const memory = new Map<string, number>();

function identity(slug: string, botUserId: number, apiUrl: string): AppIdentity {
  const name = `${slug}[bot]`;
  return { kind: "app", slug, botUserId, name, email: noreplyEmail(botUserId, name, apiUrl) };
}

/** The last identity built, reused while it names the same bot on the same host (frozen: shared). */
let lastIdentity: { slug: string; botUserId: number; apiUrl: string; identity: AppIdentity } | undefined;

/** The bot's identity if this isolate already knows its user id, else undefined. */
export function botIdentityInMemory(app: AppConfig, apiUrl: string): AppIdentity | undefined {
  const known = memory.get(`${app.slug}[bot]`);
  if (known === undefined) return undefined;
  const last = lastIdentity;
  if (last !== undefined && last.slug === app.slug && last.botUserId === known && last.apiUrl === apiUrl)
    return last.identity;
  // Built once rather than on every warm App hand-out (P2); frozen, as every caller gets this object.
  const built = Object.freeze(identity(app.slug, known, apiUrl));
  lastIdentity = { slug: app.slug, botUserId: known, apiUrl, identity: built };
  return built;
}

/**
 * The App's bot commit identity, `<botUserId>+<slug>[bot]@users.noreply.github.com` (on GHES
 * `@users.noreply.<host>`, following GITHUB_API_URL). The bot user id
 * (neither the App id nor an installation id) comes from `GET /users/<slug>[bot]`, asked once per
 * isolate at most (memory, then KV), with the installation token just minted.
 */
export async function getBotIdentity(
  deps: ServiceDeps,
  app: AppConfig,
  token: string,
): Promise<
  | ({ ok: true } & { identity: AppIdentity })
  | RpcFailure<"github_unavailable" | "rate_limited" | "app_not_configured">
> {
  const known = botIdentityInMemory(app, deps.config.github.apiUrl);
  if (known !== undefined) return { ok: true, identity: known };
  const login = `${app.slug}[bot]`;
  const kvKey = `bot-user:v1:${login.toLowerCase()}`;
  const stored = Number(await deps.kv.get(kvKey).catch(() => null));
  if (Number.isInteger(stored) && stored > 0) {
    memory.set(login, stored);
    return { ok: true, identity: identity(app.slug, stored, deps.config.github.apiUrl) };
  }
  const result = await getUser(deps.config.github, login, token);
  if (!result.ok) {
    if (result.reason === "not_found") {
      return {
        ok: false,
        reason: "app_not_configured",
        message: "GITHUB_APP_SLUG does not name the App's bot",
      };
    }
    if (result.reason === "rate_limited") {
      return {
        ok: false,
        reason: "rate_limited",
        message: result.message,
        retryAfterSeconds: result.retryAfterSeconds ?? 60,
      };
    }
    return {
      ok: false,
      reason: "github_unavailable",
      message: result.message,
      retryAfterSeconds: result.retryAfterSeconds ?? 5,
    };
  }
  memory.set(login, result.account.id);
  deps.waitUntil(
    deps.kv.put(kvKey, String(result.account.id), { expirationTtl: KV_TTL_SECONDS }).catch(() => {}),
  );
  return { ok: true, identity: identity(app.slug, result.account.id, deps.config.github.apiUrl) };
}
