/**
 * git-token's entrypoints as the test harnesses bind them: one service binding per role, and which
 * methods live on the connect worker's and the operator's entrypoints, so a harness that stands in for
 * several callers sends each method where its real caller would. One list, used by every harness.
 */

/** Methods of `GitTokenConnectBackend` (the connect worker's flows and webhooks). */
export const CONNECT_BACKEND_METHODS: readonly string[] = [
  "connectWithOAuthCode",
  "completeDeviceAuthorization",
  "claimInstallationAsUser",
  "handleGrantRevoked",
  "forgetInstallation",
  "listInstallationCoverage",
  "listActivity",
  "deleteMyData",
];

/** Methods of `GitTokenAdmin` (the operator's). */
export const ADMIN_METHODS: readonly string[] = [
  "deleteUserData",
  "storeConnection",
  "claimKnownInstallations",
];

/** Methods of `GitTokenSessionAudit` (the session worker's git proxy records its pushes). */
export const SESSION_AUDIT_METHODS: readonly string[] = ["recordGitPush"];

/**
 * Service bindings `GIT_TOKEN_CONNECT`, `GIT_TOKEN_ADMIN` and `GIT_TOKEN_AUDIT`, with the callers those
 * roles have (`GIT_TOKEN_AUDIT` is what the session worker binds).
 */
export const GIT_TOKEN_ROLE_BINDINGS = {
  GIT_TOKEN_CONNECT: {
    name: "gitcred-git-token",
    entrypoint: "GitTokenConnectBackend",
    props: { caller: "gitcred-connect" },
  },
  GIT_TOKEN_ADMIN: { name: "gitcred-git-token", entrypoint: "GitTokenAdmin", props: { caller: "operator" } },
  GIT_TOKEN_AUDIT: {
    name: "gitcred-git-token",
    entrypoint: "GitTokenSessionAudit",
    props: { caller: "gitcred-session" },
  },
} as const;

/** The binding a harness calls git-token's `method` through: its role's, else the platform's. */
export function gitTokenBindingFor(method: string): "GIT_TOKEN" | keyof typeof GIT_TOKEN_ROLE_BINDINGS {
  if (CONNECT_BACKEND_METHODS.includes(method)) return "GIT_TOKEN_CONNECT";
  if (ADMIN_METHODS.includes(method)) return "GIT_TOKEN_ADMIN";
  if (SESSION_AUDIT_METHODS.includes(method)) return "GIT_TOKEN_AUDIT";
  return "GIT_TOKEN";
}
