/**
 * Drives simulated time for P1. One clock for everything that reads time: the simulator (its clock API),
 * gitcred's workers (the bench builds' `BenchClock`, through the measuring worker), and Miniflare's KV
 * namespaces, whose TTLs (repo-access results, cached installation tokens) are kept by Miniflare's own
 * timers — set through its control endpoints, which must be enabled before the suite is created
 * (`enableKvClockControl()`). Side effect to know: a KV namespace that received a control operation
 * limits values to 1 KiB (Miniflare's test mode); gitcred's KV values in P1 are far smaller.
 */

import type { Miniflare } from "miniflare";
import * as miniflare from "miniflare";
import type { SimAdmin } from "../../packages/github-sim/local/index.ts";
import { callBench } from "./bench-worker.ts";

/** Miniflare's internal (underscore) API used here; not part of its published types. */
interface MiniflareInternals {
  _enableControlEndpoints(): void;
}

interface MiniflareInstanceInternals {
  _getInternalDurableObjectNamespace(
    plugin: string,
    service: string,
    className: string,
  ): Promise<KvObjectNamespace>;
}

/** Must run before `new Miniflare()` of the suite. */
export function enableKvClockControl(): void {
  (miniflare as unknown as MiniflareInternals)._enableControlEndpoints();
}

interface KvObjectStub {
  fetch(
    url: string,
    init: { cf: { miniflare: { controlOp: { name: string; args: unknown[] } } } },
  ): Promise<{
    text(): Promise<string>;
  }>;
}

interface KvObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): KvObjectStub;
}

/** One simulated clock for the simulator, gitcred's workers and Miniflare's KV timers. */
export class WarpClock {
  /** Milliseconds the simulated clock is ahead of real time. */
  offsetMs = 0;
  private stubs: KvObjectStub[] = [];
  private readonly mf: Miniflare;
  private readonly admin: SimAdmin;
  private readonly kvNamespaceIds: string[];

  constructor(mf: Miniflare, admin: SimAdmin, kvNamespaceIds: string[]) {
    this.mf = mf;
    this.admin = admin;
    this.kvNamespaceIds = kvNamespaceIds;
  }

  private async kv(name: string, args: unknown[]): Promise<void> {
    await Promise.all(
      this.stubs.map((stub) =>
        stub.fetch("http://kv/", { cf: { miniflare: { controlOp: { name, args } } } }).then((r) => r.text()),
      ),
    );
  }

  /** Puts every clock on the simulator's current offset. */
  async start(): Promise<void> {
    const internal = await (
      this.mf as unknown as MiniflareInstanceInternals
    )._getInternalDurableObjectNamespace("kv", "kv:ns", "KVNamespaceObject");
    this.stubs = this.kvNamespaceIds.map((id) => internal.get(internal.idFromName(id)));
    this.offsetMs = (await this.admin.getClock()).offsetMs;
    await this.apply();
  }

  private async apply(): Promise<void> {
    const answer = await callBench<{ warped: boolean }>(this.mf, "clock", { offsetMs: this.offsetMs });
    if (!answer.warped) throw new Error("the suite does not run the time-warp builds");
    await this.kv("enableFakeTimers", [Date.now() + this.offsetMs]);
  }

  /** Advances simulated time by `seconds` everywhere. */
  async advance(seconds: number): Promise<void> {
    this.offsetMs = (await this.admin.advanceClock(seconds)).offsetMs;
    await this.apply();
  }

  /** Simulated now, epoch ms. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Back to real time (KV timers real again, workers and simulator at offset 0). */
  async stop(): Promise<void> {
    await this.admin.setClock(new Date().toISOString());
    this.offsetMs = 0;
    await callBench(this.mf, "clock", { offsetMs: 0 });
    await this.kv("disableFakeTimers", []);
  }
}
