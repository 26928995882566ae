/**
 * The simulator's world: the records it keeps in its Durable Object storage.
 * Field names are the simulator's own (camelCase); the GitHub-shaped JSON is built in `views.ts`.
 */

/** A GitHub account: a person, a bot (an App's `<slug>[bot]` user) or an organization. */
export interface SimAccount {
  id: number;
  login: string;
  type: "User" | "Bot" | "Organization";
  name: string | null;
  email: string | null;
  createdAt: string;
  /** Organizations only: member login (lower case) -> role. Org admins are admins of every org repo. */
  members?: Record<string, "admin" | "member">;
  /** Organizations only: the base role every member has on every org repository (GitHub default: read). */
  defaultRepositoryPermission?: "read" | "write" | "admin" | "none";
  /** Bots only: the App they belong to. */
  appId?: number;
  /**
   * Organizations only: SAML single sign-on is enforced. A member's user token then reaches the org's
   * resources only after the person authorized it for the org (see `saml.ts`).
   */
  samlEnforced?: boolean;
}

/** A collaborator role on a repository, as GitHub names them. */
export type RepoRole = "admin" | "maintain" | "write" | "triage" | "read";

/** A repository; `collaborators` maps account id (as a string) to role. */
export interface SimRepo {
  id: number;
  ownerId: number;
  name: string;
  private: boolean;
  defaultBranch: string;
  description: string | null;
  createdAt: string;
  collaborators: Record<string, RepoRole>;
}

/** Permission level of a GitHub App permission. */
export type PermissionLevel = "read" | "write" | "admin";

/** A GitHub App permission set, e.g. `{ contents: "write", metadata: "read" }`. */
export type Permissions = Record<string, PermissionLevel>;

/** A registered GitHub App. */
export interface SimApp {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  clientSecret: string;
  /** SPKI PEM ("BEGIN PUBLIC KEY"); App JWTs are verified against it. */
  publicKeyPem: string;
  ownerId: number;
  botUserId: number;
  webhookUrl: string | null;
  webhookSecret: string | null;
  permissions: Permissions;
  events: string[];
  /** Callback URLs for the web flow; empty accepts any `redirect_uri` (a simulator leniency). */
  callbackUrls: string[];
  deviceFlowEnabled: boolean;
  /** When false, user tokens never expire and no refresh token is issued (GitHub's opt-out). */
  expireUserTokens: boolean;
  description: string | null;
  /** GitHub's "Setup URL (optional)": where the install page sends the person after installing. */
  setupUrl: string | null;
  /** GitHub's "Redirect on update": also send them to `setupUrl` after changing an installation. */
  setupOnUpdate: boolean;
  createdAt: string;
}

/** An installation of an App on an account. */
export interface SimInstallation {
  id: number;
  appId: number;
  accountId: number;
  repositorySelection: "all" | "selected";
  /** Repositories of a `selected` installation. */
  repositoryIds: number[];
  permissions: Permissions;
  events: string[];
  suspendedAt: string | null;
  suspendedById: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A person's authorization of an App (what `DELETE /applications/{client_id}/grant` removes). */
export interface SimGrant {
  id: number;
  appId: number;
  userId: number;
  createdAt: string;
}

/** Every credential the simulator hands out. */
export type TokenKind = "user" | "refresh" | "installation";

/** A token the simulator issued. The token string itself is the storage key. */
export interface SimToken {
  token: string;
  kind: TokenKind;
  appId: number;
  userId: number | null;
  installationId: number | null;
  grantId: number | null;
  /** How a user/refresh token came to be. */
  origin: "web" | "device" | "refresh" | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  /** Refresh tokens: the access token issued with it (killed when this refresh token is used). */
  pairedToken: string | null;
  /** Installation tokens: effective permissions and repositories (null = all the installation's). */
  permissions: Permissions | null;
  repositoryIds: number[] | null;
  /** Authorization id shown by the check-token API. */
  authorizationId: number;
}

/**
 * Where a repository's old name points after a rename or a transfer (keyed by the old owner's account id
 * and the lower-cased old name): GitHub answers that old API path with a redirect to the repository's id
 * until a repository takes the name again.
 */
export interface SimRedirect {
  ownerId: number;
  name: string;
  repoId: number;
  createdAt: string;
}

/** An OAuth web-flow authorization code. */
export interface SimOAuthCode {
  code: string;
  appId: number;
  userId: number;
  redirectUri: string | null;
  codeChallenge: string | null;
  expiresAt: string;
  usedAt: string | null;
}

/** A device-flow authorization. */
export interface SimDeviceAuth {
  deviceCode: string;
  userCode: string;
  appId: number;
  expiresAt: string;
  interval: number;
  lastPollAt: string | null;
  status: "pending" | "approved" | "denied" | "consumed";
  userId: number | null;
}

/** Simulator settings that persist across requests (and restarts when persisted). */
export interface SimSettings {
  /** Login of the person signed in to the authorize/device pages, or null (the page asks). */
  signedInLogin: string | null;
  /** What the authorize page does without a click: show the page, approve or deny at once. */
  autoApprove: "off" | "approve" | "deny";
  /**
   * Installation token format: classic 40 characters, stateless `ghs_<appid>_<JWT>`, or `rollout`, which
   * alternates the two as an App sees while GitHub's staged rollout (from April 2026) reaches it.
   */
  tokenFormat: "classic" | "stateless" | "rollout";
  /** Sim clock offset from the real clock, in milliseconds. */
  clockOffsetMs: number;
  /** Primary rate limit per token per hour (core resource). */
  rateLimitCore: number;
  /** Primary rate limit for unauthenticated callers per hour. */
  rateLimitUnauthenticated: number;
  /**
   * GitHub's "failed login limit": this many refused tokens of one person within `lockoutWindowSeconds`
   * lock the person out (every authentication, valid tokens too, answers 403) for `lockoutSeconds`.
   * 0 turns it off.
   */
  lockoutThreshold: number;
  lockoutWindowSeconds: number;
  lockoutSeconds: number;
  /** Next ids handed out to records seeded without one. */
  nextId: Record<string, number>;
}

/** One REST/OAuth call as the call log keeps it: never a full token, only its prefix and a hash. */
export interface CallEntry {
  seq: number;
  /** Sim-clock time of the call (ISO, milliseconds). */
  time: string;
  method: string;
  /** Path without the query string (queries carry codes and states). */
  path: string;
  /** The route template, e.g. `POST /app/installations/{installation_id}/access_tokens`. */
  route: string;
  status: number;
  durationMs: number;
  /** `grant_type` of `POST /login/oauth/access_token` calls. */
  grantType: string | null;
  auth: { kind: string; tokenPrefix: string | null; tokenHash: string | null };
  /** Set when an injected fault answered (or delayed) the call. */
  fault: string | null;
}

/** Per-route call counts. */
export interface RouteCounter {
  count: number;
  byStatus: Record<string, number>;
}

/** An injected fault, matched by method + path pattern (and optionally `grant_type`). */
export interface FaultRule {
  id: string;
  method: string | null;
  path: string;
  grantType: string | null;
  kind: "status" | "network" | "rate_limit" | "secondary_rate_limit";
  status: number;
  body: unknown;
  headers: Record<string, string>;
  delayMs: number;
  retryAfter: number;
  /** Calls left to affect; null = every call until cleared. */
  remaining: number | null;
}

/** A latency rule: every matching call waits `delayMs` before being handled. */
export interface LatencyRule {
  id: string;
  method: string | null;
  path: string;
  grantType: string | null;
  delayMs: number;
}

/** A person's SSO authorization of one App grant's tokens for one SAML organization. */
export interface SimSsoAuthorization {
  grantId: number;
  orgId: number;
  createdAt: string;
}

/** An authorize URL handed out in `X-GitHub-SSO: required; url=...` (valid one hour). */
export interface SimSsoRequest {
  /** The `authorization_request` query value of the URL. */
  id: string;
  url: string;
  grantId: number;
  userId: number;
  orgId: number;
  expiresAt: string;
  usedAt: string | null;
}

/** Failed logins of one person (tokens of theirs that GitHub refused) in the current short window. */
export interface LoginFailures {
  windowStart: number;
  count: number;
  /** Epoch seconds (sim clock) until which every authentication of the person is refused; 0 = none. */
  lockedUntil: number;
}

/** A primary rate-limit window of one bucket. */
export interface RateWindow {
  resetAt: number;
  used: number;
}

/** A webhook delivery attempt. */
export interface DeliveryRecord {
  id: string;
  time: string;
  appId: number;
  event: string;
  action: string | null;
  url: string | null;
  status: number | null;
  error: string | null;
  payload: unknown;
}
