/**
 * Time warp for the P1 workload (10 simulated hours in a minute or so). Imported FIRST by the bench
 * builds of gitcred's workers (see bench/lib/build.ts): it replaces the global `Date` with one that
 * reads real time plus an offset, and exports the `BenchClock` entrypoint through which the harness
 * sets that offset to the simulator's. Durable Objects of a worker share its isolate, so one call sets
 * the clock of the worker and of its objects. Nothing else of the worker changes: expiry margins,
 * caches and refresh decisions run as deployed, only on the simulator's clock. Never deployed.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { type BillCounts, readCounts } from "./counters.ts";

const RealDate = Date;
let offsetMs = 0;

function warpedNow(): number {
  return RealDate.now() + offsetMs;
}

globalThis.Date = new Proxy(RealDate, {
  construct(target, args: unknown[], newTarget) {
    return Reflect.construct(target, args.length === 0 ? [warpedNow()] : args, newTarget) as object;
  },
  apply() {
    return new RealDate(warpedNow()).toString();
  },
  get(target, property, receiver) {
    return property === "now" ? warpedNow : Reflect.get(target, property, receiver);
  },
});

/** The clock control of a bench build; bound by the bench worker as `CLOCK_<WORKER>`. */
export class BenchClock extends WorkerEntrypoint {
  /** Sets the offset from real time; returns this worker's `Date.now()` after the change. */
  set(offset: number): number {
    if (!Number.isFinite(offset)) throw new TypeError("offset must be a finite number of ms");
    offsetMs = offset;
    return Date.now();
  }

  /** This worker's Durable Object requests and KV operations so far (counters.ts); `reset` zeroes them. */
  counts(reset: boolean): BillCounts {
    return readCounts(reset);
  }
}
