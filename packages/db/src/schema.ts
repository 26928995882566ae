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

/** `X-GitHub-Delivery` ids already handled: webhooks are idempotent. */
export const webhookDeliveries = pgTable("webhook_deliveries", {
  deliveryId: text("delivery_id").primaryKey(),
  event: text("event").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});

export type GithubUserTokenRow = typeof githubUserTokens.$inferSelect;
export type GithubInstallationRow = typeof githubInstallations.$inferSelect;
export type OauthStateRow = typeof oauthStates.$inferSelect;
export type SettingsLinkRow = typeof settingsLinks.$inferSelect;
export type InstallationClaimRow = typeof installationClaims.$inferSelect;
export type InstallStateRow = typeof installStates.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
