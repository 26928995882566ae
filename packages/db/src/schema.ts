import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

/**
 * One GitHub connection per platform user. Tokens are AES-GCM envelopes (never plaintext) whose AAD names
 * this table, the column, the user and the GitHub account, so a ciphertext copied to another row is useless.
 * `version` is the optimistic lock: every write is `... WHERE user_id = $1 AND version = $2`.
 */
export const githubUserTokens = pgTable(
  "github_user_tokens",
  {
    userId: text("user_id").primaryKey(),
    /** New on every connect: caches keyed by it can never serve a previous GitHub account's results. */
    connectionId: uuid("connection_id").notNull(),
    githubUserId: bigint("github_user_id", { mode: "number" }).notNull().unique(),
    githubLogin: text("github_login").notNull(),
    githubName: text("github_name"),
    accessTokenEnc: text("access_token_enc").notNull(),
    accessExpiresAt: timestamp("access_expires_at", { withTimezone: true }),
    refreshTokenEnc: text("refresh_token_enc"),
    refreshExpiresAt: timestamp("refresh_expires_at", { withTimezone: true }),
    status: text("status", { enum: ["active", "reconnect_required"] })
      .notNull()
      .default("active"),
    version: integer("version").notNull().default(1),
    connectedAt: timestamp("connected_at", { withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [check("github_user_tokens_status", sql`${t.status} in ('active', 'reconnect_required')`)],
);

/** GitHub App installations, kept current by webhooks and filled lazily from the API. */
export const githubInstallations = pgTable("github_installations", {
  installationId: bigint("installation_id", { mode: "number" }).primaryKey(),
  accountLogin: text("account_login").notNull(),
  accountId: bigint("account_id", { mode: "number" }).notNull(),
  accountType: text("account_type").notNull(),
  repositorySelection: text("repository_selection", { enum: ["all", "selected"] }).notNull(),
  suspendedAt: timestamp("suspended_at", { withTimezone: true }),
  deletedAt: timestamp("deleted_at", { withTimezone: true }),
  ...timestamps,
});

/** Repositories of installations whose selection is `selected` (lower-cased `owner/repo`). */
export const githubInstallationRepositories = pgTable(
  "github_installation_repositories",
  {
    installationId: bigint("installation_id", { mode: "number" })
      .notNull()
      .references(() => githubInstallations.installationId, { onDelete: "cascade" }),
    repositoryId: bigint("repository_id", { mode: "number" }).notNull(),
    fullName: text("full_name").notNull(),
  },
  (t) => [primaryKey({ columns: [t.installationId, t.repositoryId] }), index("gir_full_name").on(t.fullName)],
);

/**
 * OAuth web-flow states. Only the sha-256 of the random state is stored; consumed with one
 * `DELETE ... RETURNING`, so a state is single use even under concurrent callbacks.
 */
export const oauthStates = pgTable(
  "oauth_states",
  {
    stateHash: text("state_hash").primaryKey(),
    userId: text("user_id").notNull(),
    /** sha-256 of the browser's session id: a state started in one browser cannot finish in another. */
    browserBindingHash: text("browser_binding_hash").notNull(),
    pkceVerifierEnc: text("pkce_verifier_enc").notNull(),
    returnTo: text("return_to").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("oauth_states_expires_at").on(t.expiresAt)],
);

/**
 * Settings links the platform hands a person (`/settings?s=<id>`): only the sha-256 of the id is stored,
 * and a link is traded for a session cookie with one `DELETE ... RETURNING` (on the interstitial's POST,
 * never on a GET), so it works once even when opened twice at the same moment (KV, being eventually
 * consistent, could not promise that).
 */
export const settingsLinks = pgTable(
  "settings_links",
  {
    linkHash: text("link_hash").primaryKey(),
    userId: text("user_id").notNull(),
    /** The tenant whose installations the page's install flow claims; null means the person's own id. */
    tenantId: text("tenant_id"),
    /**
     * The platform account's name as the platform gave it, shown on the link's interstitial and every
     * page ("Connect GitHub to <name>"), so a person who opens someone else's link sees whose it is.
     * Null: the page names the user id.
     */
    accountName: text("account_name"),
    /** The platform account's avatar (an https URL), or null. */
    accountAvatarUrl: text("account_avatar_url"),
    returnTo: text("return_to").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("settings_links_expires_at").on(t.expiresAt), index("settings_links_user_id").on(t.userId)],
);

/**
 * Which platform tenants may use the App's token on an installation. A tenant is an id the platform
 * passes (its organisation or workspace, or a person's own user id for a personal installation). Without
 * a row here the App path answers `no_entitlement`: an installation in one customer's organisation must
 * never be one RPC away for another customer. No foreign key to `github_installations` (that table is
 * filled lazily): a claim may be granted before the first token is minted.
 */
export const installationClaims = pgTable(
  "installation_claims",
  {
    tenantId: text("tenant_id").notNull(),
    installationId: bigint("installation_id", { mode: "number" }).notNull(),
    /** How the claim was made: the install flow through gitcred, the platform's RPC, or an operator's migration. */
    via: text("via", { enum: ["install_flow", "grant", "migration"] }).notNull(),
    /** The platform user who installed through gitcred (install flow only). */
    claimedByUserId: text("claimed_by_user_id"),
    /** The calling worker that made the claim. */
    caller: text("caller"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.installationId] }),
    index("installation_claims_installation_id").on(t.installationId),
    check("installation_claims_via", sql`${t.via} in ('install_flow', 'grant', 'migration')`),
  ],
);

/**
 * Install-flow states (`/github/install` → GitHub → the App's Setup URL). As with OAuth states only the
 * sha-256 is stored and a state is consumed with one `DELETE ... RETURNING`: single use, bound to the
 * browser that started it, so a forged or replayed Setup URL callback claims nothing.
 */
export const installStates = pgTable(
  "install_states",
  {
    stateHash: text("state_hash").primaryKey(),
    userId: text("user_id").notNull(),
    tenantId: text("tenant_id").notNull(),
    browserBindingHash: text("browser_binding_hash").notNull(),
    returnTo: text("return_to").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("install_states_expires_at").on(t.expiresAt)],
);

/** What happened to connections. Never a secret; after data deletion, no personal data either. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    event: text("event").notNull(),
    userId: text("user_id"),
    githubUserId: bigint("github_user_id", { mode: "number" }),
    /** The calling worker, from the service binding's `props`. */
    caller: text("caller"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_events_user_id").on(t.userId)],
);

/**
 * `X-GitHub-Delivery` ids already handled: webhooks are idempotent. Kept 8 days (past GitHub's
 * redelivery window), then pruned by `received_at`.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    deliveryId: text("delivery_id").primaryKey(),
    event: text("event").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_deliveries_received_at").on(t.receivedAt)],
);

/**
 * A person's one current device authorization (RFC 8628): the Durable Object that may poll GitHub for
 * it. One row per person, so a new start replaces the old one and the old poller, finding its object id
 * gone, stops before its next token-endpoint call. The person's identity lives here and not in the
 * object's storage, so erasure (one DELETE) leaves nothing of them in any device object.
 */
export const deviceAuthorizations = pgTable("device_authorizations", {
  userId: text("user_id").primaryKey(),
  objectId: text("object_id").notNull().unique(),
  /** The GitHub login the authorization connected, once it did. */
  login: text("login"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Fixed-window counters (`bucket` e.g. `device-start:session:<hash>`), each owned by one person so
 * erasure removes theirs. Counted with one `INSERT ... ON CONFLICT DO UPDATE ... WHERE`, which is atomic
 * under concurrent requests (a Durable Object could count too, but git-token's erasure cannot reach one).
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    bucket: text("bucket").primaryKey(),
    userId: text("user_id").notNull(),
    windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
    count: integer("count").notNull(),
  },
  (t) => [index("rate_limits_user_id").on(t.userId)],
);

/**
 * Erasure markers: sha-256 of an erased person's user id and when. A page session (KV, up to 8 h) started
 * before the marker is refused on its next request: KV is eventually consistent and cannot be listed by
 * person, so the marker in Postgres is what makes erasure end open pages at once. Pruned after 8 h, when
 * no page session from before the erasure can still exist.
 */
export const userErasures = pgTable("user_erasures", {
  userHash: text("user_hash").primaryKey(),
  erasedAt: timestamp("erased_at", { withTimezone: true }).notNull().defaultNow(),
});

export type GithubUserTokenRow = typeof githubUserTokens.$inferSelect;
export type GithubInstallationRow = typeof githubInstallations.$inferSelect;
export type OauthStateRow = typeof oauthStates.$inferSelect;
export type SettingsLinkRow = typeof settingsLinks.$inferSelect;
export type InstallationClaimRow = typeof installationClaims.$inferSelect;
export type InstallStateRow = typeof installStates.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
