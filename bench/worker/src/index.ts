/**
 * The benchmark's measuring worker: runs N calls against gitcred's workers over service bindings from
 * inside the same runtime and returns the timings, so what is measured is worker-to-worker RPC as in
 * production rather than Node-to-worker HTTP. The harness drives it with `POST /<op>` and a JSON body.
 * It is bench tooling, never deployed.
 */
import { readBillCounts, setWarpOffset } from "./clock.ts";
import type { BenchEnv } from "./env.ts";
import { type LatencyRequest, measureLatency } from "./latency.ts";
import {
  type ComparisonRequest,
  comparisonLoad,
  type PrepareLoadRequest,
  prepareLoad,
} from "./prepare-load.ts";

export { BenchObject } from "./bench-object.ts";

import { fuzzHttp, type HttpFuzzRequest } from "./fuzz/http.ts";
import { fuzzRpc, type RpcFuzzRequest } from "./fuzz/rpc.ts";
import { refreshStorm, type StormRequest } from "./storm.ts";

async function route(request: Request, env: BenchEnv): Promise<unknown> {
  const path = new URL(request.url).pathname;
  const body: unknown = await request.json();
  switch (path) {
    case "/latency":
      return measureLatency(env, body as LatencyRequest);
    case "/storm":
      return refreshStorm(env, body as StormRequest);
    case "/prepare":
      return prepareLoad(env, body as PrepareLoadRequest);
    case "/compare":
      return comparisonLoad(env, body as ComparisonRequest);
    case "/fuzz-rpc":
      return fuzzRpc(env, body as RpcFuzzRequest);
    case "/fuzz-http":
      return fuzzHttp(env, body as HttpFuzzRequest);
    case "/counts":
      return readBillCounts(env, (body as { reset: boolean }).reset === true);
    case "/clock":
      return setWarpOffset(env, Number((body as { offsetMs: number }).offsetMs));
    case "/kv-put": {
      const { key, value } = body as { key: string; value: string };
      await env.BENCH_KV.put(key, value);
      return { ok: true };
    }
    default:
      return undefined;
  }
}

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    if (request.method !== "POST") return new Response("POST only", { status: 405 });
    try {
      const answer = await route(request, env);
      if (answer === undefined) return new Response("no such op", { status: 404 });
      return Response.json(answer);
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return Response.json({ error: message }, { status: 500 });
    }
  },
} satisfies ExportedHandler<BenchEnv>;
