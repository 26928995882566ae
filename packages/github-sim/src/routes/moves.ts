/**
 * Renames and transfers: the control routes that make them (`/_sim/repos/{owner}/{repo}/rename`,
 * `/_sim/repos/{owner}/{repo}/transfer`, `/_sim/accounts/{login}/rename`), the redirect GitHub answers
 * on a moved repository's old API path, and `GET /repositories/{repository_id}` where it leads.
 *
 * The redirect, as api.github.com answers it: `301 Moved Permanently` for GET and HEAD (`307` for other
 * methods), `Location: <api>/repositories/<id><rest of the path>`, body `{ message: "Moved Permanently",
 * url, documentation_url }` (@octokit/openapi's `moved_permanently`, a `basic-error`).
 */
import type { Hono } from "hono";
import { bases, type SimContext, type SimEnv } from "../context.ts";
import { ghError, json } from "../http.ts";
import { webhookSender } from "../installations.ts";
import { sendInstallationTargetRenamed, sendRepositoryMoved } from "../move-webhooks.ts";
import { movedRepository, renameAccount, renameRepository, transferRepository } from "../moves.ts";
import { answerRepository } from "./repos.ts";
import { bad, body, str } from "./seed.ts";

/** Where GitHub documents following redirects (the `documentation_url` of a 301). */
const REDIRECT_DOC =
  "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects";

async function redirectIfMoved(c: SimContext, next: () => Promise<void>): Promise<Response | undefined> {
  const store = c.env.store;
  const owner = c.req.param("owner") ?? "";
  const name = c.req.param("repo") ?? "";
  const moved = movedRepository(store, owner, name);
  if (!moved) {
    await next();
    return undefined;
  }
  const path = new URL(c.req.url).pathname;
  const prefix = `/repos/${owner}/${name}`;
  const at = path.toLowerCase().indexOf(prefix.toLowerCase());
  const rest = at >= 0 ? path.slice(at + prefix.length) : "";
  const location = `${bases(c).api}/repositories/${moved.id}${rest}`;
  const status = c.req.method === "GET" || c.req.method === "HEAD" ? 301 : 307;
  const message = status === 301 ? "Moved Permanently" : "Temporary Redirect";
  return ghError(status, message, REDIRECT_DOC, { url: location }, { location });
}

/** Registers the redirect (before the `/repos/...` routes) and the control routes. */
export function registerMoveRoutes(app: Hono<SimEnv>): void {
  app.use("/repos/:owner/:repo", redirectIfMoved);
  app.use("/repos/:owner/:repo/*", redirectIfMoved);

  app.get("/repositories/:repository_id", (c) =>
    answerRepository(c, c.env.store.repos.get(Number(c.req.param("repository_id")))),
  );

  app.post("/_sim/repos/:owner/:repo/rename", async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    const store = c.env.store;
    const repo = store.repoByName(c.req.param("owner"), c.req.param("repo"));
    const name = str(b.name);
    if (!repo || !name) return bad("a seeded repository and its new name are required", repo ? 400 : 404);
    const fromName = repo.name;
    const owner = store.account(repo.ownerId);
    const before = store.installations.filter((i) => store.installationForRepo(i.appId, repo)?.id === i.id);
    const renamed = renameRepository(store, repo, name);
    if (typeof renamed === "string") return bad(renamed, 422);
    if (b.webhook !== false && renamed.name !== fromName) {
      const sender = webhookSender(store, str(b.sender), owner);
      sendRepositoryMoved(c, renamed, { action: "renamed", fromName }, before, sender);
    }
    return json(renamed);
  });

  app.post("/_sim/repos/:owner/:repo/transfer", async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    const store = c.env.store;
    const repo = store.repoByName(c.req.param("owner"), c.req.param("repo"));
    const to = store.accountByLogin(str(b.newOwner) ?? "");
    if (!repo || !to) return bad("a seeded repository and newOwner (a seeded account) are required", 404);
    const from = store.account(repo.ownerId);
    const before = store.installations.filter((i) => store.installationForRepo(i.appId, repo)?.id === i.id);
    const moved = transferRepository(store, repo, to);
    if (typeof moved === "string") return bad(moved, 422);
    if (b.webhook !== false) {
      const sender = webhookSender(store, str(b.sender), from);
      sendRepositoryMoved(c, moved, { action: "transferred", from }, before, sender);
    }
    return json(moved);
  });

  app.post("/_sim/accounts/:login/rename", async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    const store = c.env.store;
    const account = store.accountByLogin(c.req.param("login"));
    const login = str(b.login);
    if (!account || !login) return bad("a seeded account and its new login are required", 404);
    const fromLogin = account.login;
    const renamed = renameAccount(store, account, login);
    if (typeof renamed === "string") return bad(renamed, 422);
    if (b.webhook !== false && renamed.login !== fromLogin) {
      const sender = webhookSender(store, str(b.sender), renamed);
      sendInstallationTargetRenamed(c, renamed, fromLogin, sender);
    }
    return json(renamed);
  });
}
