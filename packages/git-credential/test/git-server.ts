/**
 * A local smart-HTTP git server over https (the helper answers https only) for the end-to-end test: `git http-backend` behind a small Node server
 * that authenticates like GitHub's git endpoint — Basic auth whose password is a token, accepted only if
 * the GitHub simulator says the token is valid for that repository (with push access for a push).
 * A missing or refused token gets 401 (git then runs the helper's `erase`), a valid one without the
 * access needed gets 403.
 */
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { SelfSignedCert } from "../../../test-support/self-signed-cert.ts";

export interface TokenVerdict {
  valid: boolean;
  pull?: boolean;
  push?: boolean;
  login?: string;
}

export interface GitServer {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  /** `127.0.0.1:<port>`: the GitHub host the helper is configured for (`GITCRED_GITHUB_HOST`). */
  host: string;
  /** Pushes and fetches that reached http-backend, with the login the token belonged to. */
  accepted: { repo: string; service: string; login: string }[];
  /** Refuses the next `n` authenticated requests with 401 (as a flaky front end might). */
  refuseNext(n: number): void;
  close(): Promise<void>;
}

const ROUTE = /^\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)\.git(\/.*)$/;

function unauthorized(res: ServerResponse, message: string): void {
  res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"', "content-type": "text/plain" });
  res.end(`${message}\n`);
}

function tokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined || !header.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** Pipes one request through `git http-backend` (CGI) and its answer back. */
function backend(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  pathInfo: string,
  login: string,
): void {
  const url = new URL(req.url ?? "/", "http://git.local");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: pathInfo,
    REQUEST_METHOD: req.method ?? "GET",
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    REMOTE_USER: login,
    REMOTE_ADDR: "127.0.0.1",
    GIT_CONFIG_NOSYSTEM: "1",
    HOME: root,
  };
  if (req.headers["content-encoding"] !== undefined)
    env.HTTP_CONTENT_ENCODING = String(req.headers["content-encoding"]);
  if (req.headers["git-protocol"] !== undefined) env.GIT_PROTOCOL = String(req.headers["git-protocol"]);
  if (req.headers["content-length"] !== undefined) env.CONTENT_LENGTH = String(req.headers["content-length"]);
  const child = spawn("git", ["http-backend"], { env });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(end + 4));
  });
  child.stdout.on("end", () => {
    if (!headersDone) res.writeHead(500);
    res.end();
  });
  child.on("error", () => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
}

export async function startGitServer(options: {
  root: string;
  checkToken: (token: string, owner: string, repo: string) => Promise<TokenVerdict>;
  /** The server's certificate: clients trust it with `GIT_SSL_CAINFO`. */
  tls: SelfSignedCert;
  /** Called with each chunk of a request body as it arrives (tests that show nothing buffers upstream). */
  onBody?: (service: string, bytes: number) => void;
}): Promise<GitServer> {
  const accepted: GitServer["accepted"] = [];
  let refusals = 0;
  const server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    const url = new URL(req.url ?? "/", "http://git.local");
    const match = ROUTE.exec(url.pathname);
    if (match === null) {
      res.writeHead(404).end();
      return;
    }
    const [, owner = "", repo = "", rest = ""] = match;
    const service = url.searchParams.get("service") ?? rest.split("/").at(-1) ?? "";
    const push = service === "git-receive-pack";
    const token = tokenOf(req);
    if (token === undefined) {
      unauthorized(res, "Authentication required");
      return;
    }
    if (refusals > 0) {
      refusals--;
      unauthorized(res, "Invalid username or token");
      return;
    }
    options.checkToken(token, owner, repo).then(
      (verdict) => {
        if (!verdict.valid) return unauthorized(res, "Invalid username or token");
        if (!(push ? verdict.push : verdict.pull)) {
          res.writeHead(403, { "content-type": "text/plain" }).end("Permission denied\n");
          return;
        }
        const login = verdict.login ?? "unknown";
        accepted.push({ repo: `${owner}/${repo}`, service, login });
        const onBody = options.onBody;
        if (onBody !== undefined) req.on("data", (chunk: Buffer) => onBody(service, chunk.byteLength));
        backend(options.root, req, res, `/${owner}/${repo}.git${rest}`, login);
      },
      () => {
        res.writeHead(502).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    accepted,
    refuseNext: (n) => {
      refusals = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
