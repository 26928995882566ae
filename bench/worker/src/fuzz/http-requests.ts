/**
 * What the HTTP fuzzer sends to each public route: methods, path parameters, query strings, cookies,
 * Origin, Authorization, content types and bodies — valid pieces (the run's real page cookie, CSRF token,
 * session secret, correctly signed webhooks) mixed with hostile ones, so requests reach past the first
 * check as well as bounce off it. A valid page cookie + CSRF token on POST /github/device would start a
 * real device authorization (an object polling GitHub for 15 minutes): that mix stays rare.
 */
import fc from "fast-check";
import { anything, CANARY, nasty } from "../../../../test-support/fuzz-values.ts";

export interface HttpWorld {
  publicUrl: string;
  /** `name=value` of a real settings-page session. */
  cookie: string;
  csrf: string;
  sessionId: string;
  sessionSecret: string;
}

export interface GeneratedRequest {
  method: string;
  path: string;
  query: [string, string][];
  headers: [string, string][];
  body?: string;
  /** Sign the body with the webhook secret (X-Hub-Signature-256). */
  sign?: boolean;
}

export const ROUTES = [
  "GET /healthz",
  "GET /",
  "GET /settings",
  "POST /github/connect",
  "GET /github/callback",
  "POST /github/disconnect",
  "POST /github/device",
  "POST /github/webhooks",
  "GET /dev/login",
  "* unknown paths",
  "POST /sessions/:id/credentials",
  "POST /sessions/:id/credentials/rejected",
  "GET /sessions/:id/identity",
  "GET /sessions/:id/events",
] as const;

export type Route = (typeof ROUTES)[number];

/** Header values cannot carry control characters (Headers refuses them): those go in queries instead. */
const headerSafe = (s: string) => [...s].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== "\u007f").join("");
const oneLine = nasty.map(headerSafe);
const query = (keys: string[]) =>
  fc.array(fc.tuple(fc.oneof(fc.constantFrom(...keys), nasty), nasty), { maxLength: 4 });
const methodOr = (method: string) =>
  fc.oneof(
    { weight: 9, arbitrary: fc.constant(method) },
    { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD") },
  );

function pageHeaders(world: HttpWorld, validCookie: number) {
  return fc
    .tuple(
      fc.oneof(
        { weight: validCookie, arbitrary: fc.constant(world.cookie) },
        { weight: 1, arbitrary: oneLine.map((v) => `__Host-gitcred_session=${encodeURIComponent(v)}`) },
        { weight: 1, arbitrary: fc.constant("") },
      ),
      fc.constantFrom(world.publicUrl, "null", "https://evil.example", ""),
      fc.constantFrom(
        "application/x-www-form-urlencoded",
        "application/json",
        "text/plain",
        "multipart/form-data; boundary=x",
        "",
      ),
    )
    .map(([cookie, origin, type]) => {
      const headers: [string, string][] = [];
      if (cookie !== "") headers.push(["cookie", cookie]);
      if (origin !== "") headers.push(["origin", origin]);
      if (type !== "") headers.push(["content-type", type]);
      return headers;
    });
}

function pagePost(path: string, world: HttpWorld, validCsrf: number) {
  const csrf = fc.oneof(
    { weight: validCsrf, arbitrary: fc.constant(world.csrf) },
    { weight: 1, arbitrary: nasty },
  );
  const body = fc.oneof(
    fc
      .tuple(csrf, query(["csrf", "returnTo"]))
      .map(([c, extra]) => new URLSearchParams([["csrf", c], ...extra]).toString()),
    anything.map((v) => {
      try {
        return JSON.stringify(v) ?? "";
      } catch {
        return "";
      }
    }),
    fc.string({ unit: "binary", maxLength: 200 }),
  );
  return fc
    .record({ method: methodOr("POST"), query: query(["returnTo"]), headers: pageHeaders(world, 2), body })
    .map((r) => ({ ...r, path }));
}

function webhook(): fc.Arbitrary<GeneratedRequest> {
  const account = fc.record({
    login: oneLine,
    id: fc.integer({ min: 1, max: 2 ** 31 }),
    type: fc.constantFrom("User", "Organization", "Bot", "x"),
  });
  const payload = fc.record(
    {
      action: fc.oneof(
        fc.constantFrom("created", "deleted", "suspend", "unsuspend", "added", "removed", "revoked"),
        nasty,
      ),
      installation: fc.record({
        id: fc.oneof(fc.integer({ min: 900_000_000, max: 2 ** 31 }), fc.constantFrom(0, -1, 1.5)),
        account,
        repository_selection: fc.constantFrom("all", "selected", "x"),
        suspended_at: fc.constantFrom(null, "2026-01-01T00:00:00Z", "yesterday"),
      }),
      sender: fc.record({ id: fc.integer({ min: 900_000_000, max: 2 ** 31 }), login: oneLine }),
      repositories_added: fc.array(
        fc.record({ id: fc.integer({ min: 1, max: 2 ** 31 }), full_name: oneLine }),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: [], noNullPrototype: true },
  );
  const body = fc.oneof(
    { weight: 4, arbitrary: payload.map((p) => JSON.stringify(p)) },
    {
      weight: 1,
      arbitrary: anything.map((v) => {
        try {
          return JSON.stringify(v) ?? "null";
        } catch {
          return "null";
        }
      }),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  );
  return fc
    .record({
      body,
      sign: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      event: fc.oneof(
        fc.constantFrom(
          "installation",
          "installation_repositories",
          "github_app_authorization",
          "ping",
          "push",
        ),
        nasty,
      ),
      delivery: fc.oneof(fc.uuid(), nasty),
      signature: fc.oneof(
        fc.constant(""),
        oneLine.map((s) => `sha256=${s}`),
      ),
      method: methodOr("POST"),
    })
    .map((r) => {
      const headers: [string, string][] = [
        ["content-type", "application/json"],
        ["x-github-event", headerSafe(r.event)],
        ["x-github-delivery", headerSafe(r.delivery)],
      ];
      if (!r.sign && r.signature !== "") headers.push(["x-hub-signature-256", r.signature]);
      return { method: r.method, path: "/github/webhooks", query: [], headers, body: r.body, sign: r.sign };
    });
}

function sessionRoute(world: HttpWorld, suffix: string, method: string, withBody: boolean) {
  const id = fc.oneof(
    { weight: 4, arbitrary: fc.constant(world.sessionId) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,40}$/) },
    { weight: 2, arbitrary: nasty.map(encodeURIComponent) },
  );
  const auth = fc.oneof(
    { weight: 3, arbitrary: fc.constant(`Bearer ${world.sessionSecret}`) },
    { weight: 2, arbitrary: oneLine.map((s) => `Bearer ${s}`) },
    { weight: 1, arbitrary: fc.constantFrom("", "Basic eDp5", `token ${CANARY}`, "Bearer") },
  );
  const body = withBody
    ? fc.oneof(
        fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => JSON.stringify({ tokenSha256: h })),
        anything.map((v) => {
          try {
            return JSON.stringify(v) ?? "";
          } catch {
            return "";
          }
        }),
        fc.string({ maxLength: 2000 }),
      )
    : fc.constant(undefined);
  return fc.record({ id, auth, body, method: methodOr(method), query: query(["after"]) }).map((r) => ({
    method: r.method,
    path: `/sessions/${r.id}/${suffix}`,
    query: r.query,
    headers: (r.auth === "" ? [] : [["authorization", r.auth]]) as [string, string][],
    ...(r.body === undefined ? {} : { body: r.body }),
  }));
}

/** The request generator of one route, built around the run's real cookie, CSRF token and secrets. */
export function requestsFor(route: Route, world: HttpWorld): fc.Arbitrary<GeneratedRequest> {
  const simple = (method: string, path: string, keys: string[]) =>
    fc
      .record({ method: methodOr(method), query: query(keys), headers: pageHeaders(world, 1) })
      .map((r) => ({ ...r, path }));
  switch (route) {
    case "GET /healthz":
      return simple("GET", "/healthz", ["x"]);
    case "GET /":
      return simple("GET", "/", ["s"]);
    case "GET /settings":
      return simple("GET", "/settings", ["s", "device", "github"]);
    case "POST /github/connect":
      return pagePost("/github/connect", world, 3);
    case "GET /github/callback":
      return simple("GET", "/github/callback", ["state", "code", "error", "error_description"]);
    case "POST /github/disconnect":
      return pagePost("/github/disconnect", world, 3);
    case "POST /github/device":
      // Valid CSRF one in a thousand (a real device authorization each time): see the module comment.
      return pagePost("/github/device", world, 0);
    case "POST /github/webhooks":
      return webhook();
    case "GET /dev/login":
      return simple("GET", "/dev/login", ["user"]);
    case "* unknown paths":
      return fc
        .record({
          method: methodOr("GET"),
          tail: fc.array(nasty.map(encodeURIComponent), { minLength: 1, maxLength: 3 }),
          prefix: fc.constantFrom("/", "/github/", "/settings/", "/sessions/", "/_sim/", "/.well-known/"),
        })
        .map((r) => ({ method: r.method, path: `${r.prefix}${r.tail.join("/")}`, query: [], headers: [] }));
    case "POST /sessions/:id/credentials":
      return sessionRoute(world, "credentials", "POST", false);
    case "POST /sessions/:id/credentials/rejected":
      return sessionRoute(world, "credentials/rejected", "POST", true);
    case "GET /sessions/:id/identity":
      return sessionRoute(world, "identity", "GET", false);
    case "GET /sessions/:id/events":
      return sessionRoute(world, "events", "GET", false);
  }
}
