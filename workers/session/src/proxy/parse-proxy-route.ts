import { parseInput, sessionIdSchema } from "@gitcred/utils";

export type GitService = "git-upload-pack" | "git-receive-pack";

/** A request the proxy forwards: one of the three smart-HTTP endpoints of one repository. */
export interface ProxyRoute {
  sessionId: string;
  /** As the request spelled them; compared with the session's repository case-insensitively. */
  owner: string;
  repo: string;
  service: GitService;
  /** `advertise`: `GET info/refs?service=...`; `rpc`: `POST git-upload-pack` / `POST git-receive-pack`. */
  kind: "advertise" | "rpc";
}

/** Why a request is not one the proxy forwards, as a status and a line git shows the person. */
export interface RouteRefusal {
  status: 400 | 404 | 405 | 501;
  message: string;
  /** Git LFS reads a JSON `{ message }` (its batch API), git a text/plain body. */
  lfs?: true;
}

const PREFIX = /^\/git\/([^/]+)\/([^/]+)\/([^/]+)\/(.*)$/;
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const SMART_ONLY =
  "gitcred: the proxy passes git's smart HTTP only (info/refs?service=git-upload-pack|git-receive-pack, git-upload-pack, git-receive-pack)";

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/**
 * Parses `/git/<sessionId>/<owner>/<repo>[.git]/<endpoint>` and keeps only git's smart-HTTP endpoints
 * (gitprotocol-http): `GET info/refs?service=git-upload-pack|git-receive-pack`, `POST git-upload-pack`,
 * `POST git-receive-pack`. The dumb protocol (`HEAD`, `objects/...`), other services, Git LFS and
 * anything else is refused with a message: the proxy must not become a general door to the GitHub host.
 * Names are decoded once and checked against GitHub's alphabets, so no `..` or encoded `/` reaches the
 * upstream URL (which is built from the session's own repository anyway).
 */
export function parseProxyRoute(url: URL, method: string): ProxyRoute | RouteRefusal | undefined {
  const match = PREFIX.exec(url.pathname);
  if (match === null) return undefined;
  const [, rawId = "", rawOwner = "", rawRepo = "", endpoint = ""] = match;
  const sessionId = parseInput(sessionIdSchema, decode(rawId) ?? "");
  const owner = decode(rawOwner);
  const repoPart = decode(rawRepo);
  const repo = repoPart?.endsWith(".git") ? repoPart.slice(0, -4) : repoPart;
  if (!sessionId.ok || owner === undefined || repo === undefined || !OWNER.test(owner) || !REPO.test(repo)) {
    return { status: 404, message: "gitcred: not a git proxy URL (/git/<session>/<owner>/<repo>.git)" };
  }
  if (endpoint.startsWith("info/lfs")) {
    return {
      status: 501,
      lfs: true,
      message: "gitcred: Git LFS does not pass the session's git proxy; store large files elsewhere",
    };
  }
  const base = { sessionId: sessionId.value, owner, repo };
  const upper = method.toUpperCase();
  if (endpoint === "info/refs") {
    const service = url.searchParams.get("service");
    if (service !== "git-upload-pack" && service !== "git-receive-pack") {
      return { status: 404, message: SMART_ONLY };
    }
    if (upper !== "GET") return { status: 405, message: "gitcred: info/refs answers GET only" };
    return { ...base, service, kind: "advertise" };
  }
  if (endpoint === "git-upload-pack" || endpoint === "git-receive-pack") {
    if (upper !== "POST") return { status: 405, message: `gitcred: ${endpoint} answers POST only` };
    return { ...base, service: endpoint, kind: "rpc" };
  }
  return { status: 404, message: SMART_ONLY };
}
