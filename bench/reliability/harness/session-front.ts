/**
 * The session worker's sandbox HTTP API on a Node port, for test files that run the real git credential
 * helper (another process, which needs a URL): the control server hands requests under `SESSION_FRONT`
 * to the worker as they came (method, bearer secret, body) and its answer back.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Miniflare } from "miniflare";

/** Path prefix on the control server: `<controlUrl>/session-http` is the helper's `GITCRED_SESSION_URL`. */
export const SESSION_FRONT = "/session-http";

/** Forwards one request to the session worker; its failures answer 502 (never a header or body echoed). */
export async function forwardToSession(
  mf: Miniflare,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const name of ["authorization", "content-type", "accept"]) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const worker = await mf.getWorker("gitcred-session");
    const answer = await worker.fetch(`http://session${(req.url ?? "/").slice(SESSION_FRONT.length)}`, {
      method: req.method ?? "GET",
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const out: Record<string, string> = {
      "content-type": answer.headers.get("content-type") ?? "text/plain",
    };
    const retryAfter = answer.headers.get("retry-after");
    if (retryAfter !== null) out["retry-after"] = retryAfter;
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end("session front: the session worker could not be reached\n");
  }
}
