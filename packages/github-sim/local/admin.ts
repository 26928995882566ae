/**
 * A typed client for the simulator's control API (`/_sim/*`). Every method throws on a non-2xx answer
 * with the control API's error message.
 */
import type {
  CallEntry,
  DeliveryRecord,
  FaultRule,
  LatencyRule,
  Permissions,
  RepoRole,
  RouteCounter,
  SimAccount,
  SimApp,
  SimGrant,
  SimInstallation,
  SimRepo,
  SimSettings,
  TokenKind,
} from "../src/types.ts";

export type {
  CallEntry,
  DeliveryRecord,
  FaultRule,
  LatencyRule,
  Permissions,
  RepoRole,
  RouteCounter,
  SimAccount,
  SimApp,
  SimGrant,
  SimInstallation,
  SimRepo,
  SimSettings,
};

/** Input of `seedUser`. */
export interface SeedUserInput {
  login: string;
  id?: number;
  name?: string;
  email?: string;
  type?: "User" | "Bot";
}

/** Input of `seedOrg`: members by login with their org role. */
export interface SeedOrgInput {
  login: string;
  id?: number;
  name?: string;
  members?: Record<string, "admin" | "member">;
  /** Base role of members on every org repository; GitHub's default is `read`. */
  defaultRepositoryPermission?: "read" | "write" | "admin" | "none";
  /** SAML SSO enforced: members' user tokens need SSO authorization for the org (see `authorizeSso`). */
  samlEnforced?: boolean;
}

/** Input of `seedRepo`. Repositories are private unless `private: false`. */
export interface SeedRepoInput {
  owner: string;
  name: string;
  id?: number;
  private?: boolean;
  defaultBranch?: string;
  description?: string;
  /** login -> role. */
  collaborators?: Record<string, RepoRole>;
}

/** Input of `seedApp`. Ids, client id and secret are generated when not given. */
export interface SeedAppInput {
  slug: string;
  /**
   * SPKI PEM (`-----BEGIN PUBLIC KEY-----`); see `generateAppKeyPair`. Required for a new App;
   * re-seeding an existing slug without it keeps the App's key.
   */
  publicKeyPem?: string;
  id?: number;
  name?: string;
  clientId?: string;
  clientSecret?: string;
  /** Login of the owning account (seeded); defaults to an org `github-sim-apps`. */
  owner?: string;
  /** Id of the `<slug>[bot]` user (neither the App id nor an installation id). */
  botUserId?: number;
  webhookUrl?: string;
  webhookSecret?: string;
  /** Default `{ contents: "write", metadata: "read", pull_requests: "write" }`. */
  permissions?: Permissions;
  events?: string[];
  /** Allowed `redirect_uri`s; empty accepts any. */
  callbackUrls?: string[];
  /** Default true. */
  deviceFlowEnabled?: boolean;
  /** Default true: `ghu_` 8 h + `ghr_` refresh tokens. False: non-expiring `ghu_`, no refresh token. */
  expireUserTokens?: boolean;
  description?: string;
  /**
   * GitHub's "Setup URL (optional)": after the install page, the person is sent here with
   * `installation_id`, `setup_action` (`install` / `update`) and `state`. Null clears it; absent keeps it.
   */
  setupUrl?: string | null;
  /** GitHub's "Redirect on update" (default true): also redirect after configuring an installation. */
  setupOnUpdate?: boolean;
}

/** Input of `seedInstallation`. */
export interface SeedInstallationInput {
  /** App id, slug or client id. */
  app: number | string;
  /** Login of the user or org it is installed on. */
  account: string;
  id?: number;
  /** Default: `selected` when `repositories` is given, else `all`. */
  repositorySelection?: "all" | "selected";
  /** Repository names (or `owner/name`, or ids) of a `selected` installation. */
  repositories?: Array<string | number>;
  /** Default: the App's permissions. */
  permissions?: Permissions;
  events?: string[];
  suspended?: boolean;
  /** Login of who installed it (webhook `sender`). */
  sender?: string;
  /** Send `installation.created` (default true). */
  webhook?: boolean;
}

/** Input of `injectFault` (see README "Faults"). */
export interface FaultInput {
  /** Path pattern: `{param}` matches one segment, `*` anything. */
  path: string;
  method?: string;
  /** Only `POST /login/oauth/access_token` calls with this `grant_type`. */
  grantType?: string;
  kind?: "status" | "network" | "rate_limit" | "secondary_rate_limit";
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Seconds: `retry-after` (secondary) or until `x-ratelimit-reset` (primary). */
  retryAfter?: number;
  /** Calls affected (default 1); null = until cleared. */
  times?: number | null;
}

/** Input of `setLatency`. */
export interface LatencyInput {
  path: string;
  method?: string;
  grantType?: string;
  delayMs: number;
}

/** An entry of `issuedTokens()`: the one place the simulator returns token strings. */
export interface IssuedToken {
  token: string;
  kind: TokenKind;
  prefix: string;
  appId: number;
  userId: number | null;
  installationId: number | null;
  origin: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  status: "active" | "revoked" | "expired";
}

/** Answer of `checkToken`. */
export interface TokenCheck {
  valid: boolean;
  reason?: string;
  kind?: TokenKind;
  prefix?: string;
  expiresAt?: string | null;
  login?: string;
  userId?: number;
  installationId?: number;
  repoFound?: boolean;
  role?: RepoRole | null;
  pull?: boolean;
  push?: boolean;
}

/** The control API client. */
export interface SimAdmin {
  readonly url: string;
  reset(): Promise<void>;
  state(): Promise<Record<string, unknown>>;
  seedUser(input: SeedUserInput): Promise<SimAccount>;
  seedOrg(input: SeedOrgInput): Promise<SimAccount>;
  seedRepo(input: SeedRepoInput): Promise<SimRepo>;
  setCollaborator(owner: string, repo: string, login: string, role: RepoRole | null): Promise<SimRepo>;
  seedApp(input: SeedAppInput): Promise<SimApp>;
  seedInstallation(input: SeedInstallationInput): Promise<SimInstallation>;
  updateInstallationRepositories(
    id: number,
    change: { add?: Array<string | number>; remove?: Array<string | number>; webhook?: boolean },
  ): Promise<SimInstallation>;
  suspendInstallation(id: number, options?: { sender?: string; webhook?: boolean }): Promise<SimInstallation>;
  unsuspendInstallation(
    id: number,
    options?: { sender?: string; webhook?: boolean },
  ): Promise<SimInstallation>;
  deleteInstallation(id: number, options?: { webhook?: boolean }): Promise<void>;
  /** Who is signed in to the authorize/device pages, and whether the authorize page decides by itself. */
  setSession(session: {
    login?: string | null;
    autoApprove?: "off" | "approve" | "deny" | boolean;
  }): Promise<void>;
  advanceClock(seconds: number): Promise<{ now: string; offsetMs: number }>;
  setClock(iso: string): Promise<{ now: string; offsetMs: number }>;
  getClock(): Promise<{ now: string; offsetMs: number }>;
  setSettings(
    settings: Partial<
      Pick<
        SimSettings,
        | "tokenFormat"
        | "rateLimitCore"
        | "rateLimitUnauthenticated"
        | "lockoutThreshold"
        | "lockoutWindowSeconds"
        | "lockoutSeconds"
      >
    >,
  ): Promise<SimSettings>;
  /** Turns SAML SSO enforcement of an organization on or off. */
  setSamlEnforcement(org: string, enforced: boolean): Promise<SimAccount>;
  /**
   * The person authorizes their token for a SAML org: by the URL of an `X-GitHub-SSO: required` answer
   * (what opening it and signing in does; 410 once it expired), or for every grant of `user` on `org`.
   */
  authorizeSso(
    input: { url: string } | { org: string; user: string; app?: number },
  ): Promise<{ authorized: boolean }>;
  /** Every SSO authorize URL handed out (the person's only: canary scans look for them). */
  ssoRequests(): Promise<
    { url: string; orgId: number; userId: number; expiresAt: string; usedAt: string | null }[]
  >;
  setTokenFormat(format: SimSettings["tokenFormat"]): Promise<void>;
  injectFault(fault: FaultInput): Promise<FaultRule>;
  faults(): Promise<FaultRule[]>;
  clearFaults(): Promise<void>;
  setLatency(rule: LatencyInput): Promise<LatencyRule>;
  clearLatency(): Promise<void>;
  calls(filter?: { since?: number; route?: string }): Promise<CallEntry[]>;
  clearCalls(): Promise<void>;
  counters(): Promise<Record<string, RouteCounter>>;
  /** How many calls a route got, e.g. `count("POST /login/oauth/access_token#refresh_token")`. */
  count(route: string): Promise<number>;
  issuedTokens(): Promise<IssuedToken[]>;
  /** Every OAuth authorization code and device code issued (secrets too: canary scans look for them). */
  issuedCodes(): Promise<{ authorizationCodes: string[]; deviceCodes: string[] }>;
  checkToken(token: string, owner?: string, repo?: string): Promise<TokenCheck>;
  revokeToken(token: string): Promise<void>;
  grants(): Promise<SimGrant[]>;
  /** The person revokes the App (sends `github_app_authorization` revoked unless `webhook: false`). */
  revokeGrant(app: number | string, user: string, options?: { webhook?: boolean }): Promise<boolean>;
  deliverWebhook(
    app: number | string,
    event: string,
    payload: Record<string, unknown>,
  ): Promise<DeliveryRecord>;
  deliveries(): Promise<DeliveryRecord[]>;
  /** Approves (or denies) a device code without a browser. */
  authorizeDevice(userCode: string, options?: { login?: string; approve?: boolean }): Promise<void>;
  /**
   * Renames a repository as its owner would: the old name's API path answers 301 to
   * `/repositories/{id}`; `repository` `renamed` goes to Apps subscribed to it (unless `webhook: false`).
   */
  renameRepo(owner: string, repo: string, name: string, options?: MoveOptions): Promise<SimRepo>;
  /** Transfers a repository to `newOwner` (`repository` `transferred`; the old path redirects). */
  transferRepo(owner: string, repo: string, newOwner: string, options?: MoveOptions): Promise<SimRepo>;
  /** Renames a user or organisation: same id and installations (`installation_target` `renamed`). */
  renameAccount(login: string, newLogin: string, options?: MoveOptions): Promise<SimAccount>;
}

/** Options of renames and transfers: who did it (webhook `sender`), and whether webhooks go out. */
export interface MoveOptions {
  sender?: string;
  webhook?: boolean;
}

/** Creates a control API client for the simulator at `url`. */
export function createSimAdmin(url: string): SimAdmin {
  const base = url.replace(/\/+$/, "");
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}/_sim${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const data: unknown = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const message = (data as { error?: string } | null)?.error ?? text;
      throw new Error(`github-sim ${method} /_sim${path}: ${res.status} ${message}`);
    }
    return data as T;
  }
  return {
    url: base,
    reset: async () => void (await call("POST", "/reset")),
    state: () => call("GET", "/state"),
    seedUser: (input) => call("POST", "/users", input),
    seedOrg: (input) => call("POST", "/orgs", input),
    seedRepo: (input) => call("POST", "/repos", input),
    setCollaborator: (owner, repo, login, role) =>
      call(
        "PUT",
        `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/collaborators/${encodeURIComponent(login)}`,
        {
          role,
        },
      ),
    seedApp: (input) => call("POST", "/apps", input),
    seedInstallation: (input) => call("POST", "/installations", input),
    updateInstallationRepositories: (id, change) => call("POST", `/installations/${id}/repositories`, change),
    suspendInstallation: (id, options = {}) => call("POST", `/installations/${id}/suspend`, options),
    unsuspendInstallation: (id, options = {}) => call("POST", `/installations/${id}/unsuspend`, options),
    deleteInstallation: async (id, options = {}) =>
      void (await call("DELETE", `/installations/${id}${options.webhook === false ? "?webhook=false" : ""}`)),
    setSession: async (session) => void (await call("PUT", "/session", session)),
    advanceClock: (seconds) => call("POST", "/clock", { advanceSeconds: seconds }),
    setClock: (iso) => call("POST", "/clock", { setTo: iso }),
    getClock: () => call("GET", "/clock"),
    setSettings: (settings) => call("PUT", "/settings", settings),
    setSamlEnforcement: (org, enforced) => call("PUT", `/orgs/${encodeURIComponent(org)}/saml`, { enforced }),
    authorizeSso: (input) => call("POST", "/sso/authorize", input),
    ssoRequests: () => call("GET", "/sso/requests"),
    setTokenFormat: async (format) => void (await call("PUT", "/settings", { tokenFormat: format })),
    injectFault: (fault) => call("POST", "/faults", fault),
    faults: () => call("GET", "/faults"),
    clearFaults: async () => void (await call("DELETE", "/faults")),
    setLatency: (rule) => call("POST", "/latency", rule),
    clearLatency: async () => void (await call("DELETE", "/latency")),
    calls: (filter = {}) => {
      const q = new URLSearchParams();
      if (filter.since) q.set("since", String(filter.since));
      if (filter.route) q.set("route", filter.route);
      return call("GET", `/calls${q.size ? `?${q}` : ""}`);
    },
    clearCalls: async () => void (await call("DELETE", "/calls")),
    counters: () => call("GET", "/counters"),
    count: async (route) => (await call<Record<string, RouteCounter>>("GET", "/counters"))[route]?.count ?? 0,
    issuedTokens: () => call("GET", "/tokens"),
    issuedCodes: () => call("GET", "/codes"),
    checkToken: (token, owner, repo) => call("POST", "/tokens/check", { token, owner, repo }),
    revokeToken: async (token) => void (await call("POST", "/tokens/revoke", { token })),
    grants: () => call("GET", "/grants"),
    revokeGrant: async (app, user, options = {}) =>
      (await call<{ revoked: boolean }>("POST", "/grants/revoke", { app, user, ...options })).revoked,
    deliverWebhook: (app, event, payload) => call("POST", "/webhooks/deliver", { app, event, payload }),
    deliveries: () => call("GET", "/webhooks/deliveries"),
    authorizeDevice: async (userCode, options = {}) =>
      void (await call("POST", "/device/authorize", { userCode, ...options })),
    renameRepo: (owner, repo, name, options = {}) =>
      call("POST", `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/rename`, {
        name,
        ...options,
      }),
    transferRepo: (owner, repo, newOwner, options = {}) =>
      call("POST", `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/transfer`, {
        newOwner,
        ...options,
      }),
    renameAccount: (login, newLogin, options = {}) =>
      call("POST", `/accounts/${encodeURIComponent(login)}/rename`, { login: newLogin, ...options }),
  };
}
