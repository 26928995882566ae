/**
 * An attacker's host for the credential attacks: a local http or https listener that answers every request
 * with `401` and `WWW-Authenticate: Basic` (so git asks its credential helpers and retries with whatever
 * they gave) and records, per request, whether it carried a credential. The credential itself is kept
 * only as a length: a report or an assertion message must never print a token.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { SelfSignedCert } from "../../../test-support/self-signed-cert.ts";

export interface TrapRequest {
  method: string;
  path: string;
  /** The `Authorization` scheme received (`Basic`, `Bearer`, ...), or undefined when none was sent. */
  authorization: string | undefined;
  /** Length of the credential received (0 when none): enough to tell, nothing to leak. */
  credentialLength: number;
}

export interface CredentialTrap {
  /** `https://127.0.0.1:<port>` (or `http://`). */
  url: string;
  port: number;
  requests: TrapRequest[];
  /** Requests that carried a credential: any one is a leak. */
  credentialed(): TrapRequest[];
  close(): Promise<void>;
}

function record(requests: TrapRequest[], req: IncomingMessage, res: ServerResponse): void {
  const header = req.headers.authorization;
  const [scheme, ...rest] = (header ?? "").split(" ");
  requests.push({
    method: req.method ?? "GET",
    path: new URL(req.url ?? "/", "http://trap.local").pathname,
    authorization: header === undefined ? undefined : scheme,
    credentialLength: rest.join(" ").length,
  });
  // Read the body out (the LFS batch request has one) before answering.
  req.resume();
  req.on("end", () => {
    res.writeHead(401, { "www-authenticate": 'Basic realm="trap"', "content-type": "text/plain" });
    res.end("Authentication required\n");
  });
}

/** Starts a trap on 127.0.0.1 (a random port): https when given a certificate, else plain http. */
export async function startCredentialTrap(options: { tls?: SelfSignedCert } = {}): Promise<CredentialTrap> {
  const requests: TrapRequest[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => record(requests, req, res);
  const server =
    options.tls === undefined
      ? createHttpServer(handler)
      : createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    port,
    requests,
    credentialed: () => requests.filter((r) => r.authorization !== undefined),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
