/**
 * The HTTP fuzzer: `runs` generated requests for one public route, sent to the connect worker's or the
 * session worker's public HTTP handler through a service binding (the same handler the Internet or a
 * sandbox reaches). Counted: status classes, 5xx, and throws. Webhook bodies marked `sign` get a valid
 * X-Hub-Signature-256 with the run's secret, so the handler's parsing and storage are fuzzed too.
 */
import fc from "fast-check";
import type { BenchEnv } from "../env.ts";
import { runPool } from "../timing.ts";
import { type HttpWorld, type Route, requestsFor } from "./http-requests.ts";
import type { FuzzAnswer } from "./rpc.ts";

export interface HttpFuzzRequest {
  route: Route;
  runs: number;
  seed: number;
  concurrency: number;
  world: HttpWorld & { webhookSecret: string };
}

async function signature(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Sends `runs` generated requests to one route and counts statuses, 5xx and throws. */
export async function fuzzHttp(env: BenchEnv, request: HttpFuzzRequest): Promise<FuzzAnswer> {
  const generated = fc.sample(requestsFor(request.route, request.world), {
    numRuns: request.runs,
    seed: request.seed,
  });
  const target =
    request.route.startsWith("POST /sessions") || request.route.startsWith("GET /sessions")
      ? env.SESSION_HTTP
      : env.CONNECT_HTTP;
  const outcomes: Record<string, number> = {};
  const samples: string[] = [];
  let failures = 0;
  let unsendable = 0;
  await runPool(generated.length, request.concurrency, async (i) => {
    const g = generated[i]!;
    let built: Request;
    try {
      // Appended to the origin (not resolved against it): a path starting with "//" stays a path.
      const url = new URL(`${request.world.publicUrl}${g.path}`);
      for (const [k, v] of g.query) url.searchParams.append(k, v);
      const headers = new Headers(g.headers);
      if (g.sign === true && g.body !== undefined) {
        headers.set("x-hub-signature-256", await signature(request.world.webhookSecret, g.body));
      }
      const hasBody = g.body !== undefined && g.method !== "GET" && g.method !== "HEAD";
      built = new Request(url, {
        method: g.method,
        headers,
        ...(hasBody ? { body: g.body } : {}),
        redirect: "manual",
      });
    } catch {
      unsendable += 1;
      return;
    }
    let status: number;
    try {
      const res = await target.fetch(built);
      status = res.status;
      await res.body?.cancel();
    } catch (error) {
      failures += 1;
      const label = `thrown: ${error instanceof Error ? error.message.slice(0, 80) : "?"}`;
      outcomes[label] = (outcomes[label] ?? 0) + 1;
      if (samples.length < 5) samples.push(`${label}: ${g.method} ${g.path}`);
      return;
    }
    const label = `${status}`;
    outcomes[label] = (outcomes[label] ?? 0) + 1;
    if (status >= 500) {
      failures += 1;
      if (samples.length < 5)
        samples.push(
          `${status}: ${g.method} ${g.path}?${new URLSearchParams(g.query).toString().slice(0, 120)}`,
        );
    }
  });
  return { runs: generated.length, outcomes, failures, samples, unsendable };
}
