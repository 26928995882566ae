/**
 * The RPC fuzzer: `runs` inputs for one method, generated here with fast-check from a seed, sent over
 * the same service binding a platform worker uses, with a few in flight. Every answer is classified: a
 * documented result, `internal_error` (a 500's equivalent), an undocumented reason, a malformed answer,
 * a throw across RPC (a crash), or an echo of the canary. Inputs that cannot be sent at all (structured
 * clone refuses them on the caller's side) are counted apart: they never reach gitcred.
 */
import fc from "fast-check";
import { CANARY, inputsOf } from "../../../../test-support/fuzz-values.ts";
import { gitTokenBindingFor } from "../../../../test-support/git-token-entrypoints.ts";
import type { BenchEnv } from "../env.ts";
import { runPool } from "../timing.ts";
import { DOCUMENTED, deviceStartInputs, type FuzzWorld, fieldsOf, shapeOf } from "./rpc-shapes.ts";

export interface RpcFuzzRequest {
  /** `<BINDING>.<method>`, e.g. `GIT_TOKEN.getTokenForRepo`. */
  method: string;
  runs: number;
  seed: number;
  concurrency: number;
  world: FuzzWorld;
}

export interface FuzzAnswer {
  runs: number;
  /** Outcome label -> count ("ok", documented reasons, and the failure classes below). */
  outcomes: Record<string, number>;
  failures: number;
  /** A few failing inputs (JSON-ish) with what happened, for the report. */
  samples: string[];
  unsendable: number;
}

type Callable = Record<string, (input: unknown) => Promise<unknown>>;

/** git-token's methods are fuzzed on the entrypoint their real caller binds (connect's, the operator's). */
function entrypointOf(binding: keyof BenchEnv, method: string): keyof BenchEnv {
  return binding === "GIT_TOKEN" ? gitTokenBindingFor(method) : binding;
}

function describeInput(input: unknown): string {
  try {
    return (
      JSON.stringify(input, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))?.slice(0, 200) ?? String(input)
    );
  } catch {
    return String(input).slice(0, 200);
  }
}

/** Sends `runs` generated inputs to one method and classifies every answer. */
export async function fuzzRpc(env: BenchEnv, request: RpcFuzzRequest): Promise<FuzzAnswer> {
  const [binding, method] = request.method.split(".") as [keyof BenchEnv, string];
  const target = env[entrypointOf(binding, method)] as unknown as Callable;
  const documented = new Set(DOCUMENTED[request.method] ?? []);
  const arbitrary =
    request.method === "CONNECT.startDeviceConnect"
      ? deviceStartInputs()
      : inputsOf(shapeOf(request.method, fieldsOf(request.world)));
  const inputs = fc.sample(arbitrary, { numRuns: request.runs, seed: request.seed });
  if (request.method === "CONNECT.startDeviceConnect" && inputs.length > 0) {
    inputs[0] = { userId: request.world.userId };
  }
  const outcomes: Record<string, number> = {};
  const samples: string[] = [];
  let failures = 0;
  let unsendable = 0;
  const fail = (label: string, input: unknown) => {
    failures += 1;
    outcomes[label] = (outcomes[label] ?? 0) + 1;
    if (samples.length < 5) samples.push(`${label}: ${describeInput(input)}`);
  };
  await runPool(inputs.length, request.concurrency, async (i) => {
    const input = inputs[i];
    let result: unknown;
    try {
      structuredClone(input);
    } catch {
      unsendable += 1;
      return;
    }
    try {
      result = await target[method]!(input);
    } catch (error) {
      fail(`thrown: ${error instanceof Error ? error.message.slice(0, 80) : "?"}`, input);
      return;
    }
    if (
      typeof result !== "object" ||
      result === null ||
      typeof (result as { ok?: unknown }).ok !== "boolean"
    ) {
      return fail("malformed answer", input);
    }
    if (JSON.stringify(result).includes(CANARY.slice(4))) return fail("canary echoed", input);
    const r = result as { ok: boolean; reason?: unknown };
    const label = r.ok ? "ok" : String(r.reason);
    if (!r.ok && label === "internal_error") return fail("internal_error", input);
    if (!r.ok && !documented.has(label)) return fail(`undocumented: ${label}`, input);
    outcomes[label] = (outcomes[label] ?? 0) + 1;
  });
  return { runs: inputs.length, outcomes, failures, samples, unsendable };
}
