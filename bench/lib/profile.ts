/**
 * CPU profiles of the workers inside workerd, through its V8 inspector (Chrome DevTools Protocol's
 * `Profiler` domain), so a missed goal is explained by where the JavaScript thread's time goes instead
 * of by bisecting. Used by `pnpm bench --profile`; nothing here runs in a normal benchmark.
 */
import WebSocket from "ws";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of the samples: by itself (`self`) and with what it called (`total`). */
export interface ProfileLine {
  name: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  target: string;
  sampledMs: number;
  lines: ProfileLine[];
}

interface Target {
  title: string;
  webSocketDebuggerUrl: string;
}

/** A CDP connection: `send` answers with the command's `result`. */
function connect(
  url: string,
): Promise<{ send: (method: string, params?: object) => Promise<unknown>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    let next = 1;
    const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (message.id === undefined) return;
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error !== undefined) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
    });
    socket.once("error", reject);
    socket.once("open", () =>
      resolve({
        send: (method, params = {}) =>
          new Promise((res, rej) => {
            const id = next++;
            waiting.set(id, { resolve: res, reject: rej });
            socket.send(JSON.stringify({ id, method, params }));
          }),
        close: () => socket.close(),
      }),
    );
  });
}

/** Where a frame comes from: its function and its file's last two path parts and line. */
function frameName(frame: CallFrame): string {
  const file = frame.url.split("/").slice(-2).join("/");
  const name = frame.functionName === "" ? "(anonymous)" : frame.functionName;
  return file === "" ? name : `${name} ${file}:${frame.lineNumber + 1}`;
}

/** Self and inclusive milliseconds per function, the largest inclusive first. */
export function summarize(target: string, profile: Profile, top: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sampledUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    sampledUs += us;
    const node = byId.get(id);
    if (node === undefined) return;
    const leaf = frameName(node.callFrame);
    self.set(leaf, (self.get(leaf) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = frameName(byId.get(at)!.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + us);
    }
  });
  const lines = [...total]
    .map(([name, us]) => ({ name, selfMs: (self.get(name) ?? 0) / 1000, totalMs: us / 1000 }))
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, top);
  const selfTop = [...self]
    .map(([name, us]) => ({ name, selfMs: us / 1000, totalMs: (total.get(name) ?? 0) / 1000 }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
  const merged = new Map([...lines, ...selfTop].map((l) => [l.name, l]));
  return { target, sampledMs: sampledUs / 1000, lines: [...merged.values()] };
}

/** Starts profiling every worker isolate behind `inspectorPort`; the returned function stops and summarizes. */
export async function startProfiling(
  inspectorPort: number,
  options: { intervalUs?: number; top?: number; only?: string } = {},
): Promise<() => Promise<ProfileSummary[]>> {
  const res = await fetch(`http://127.0.0.1:${inspectorPort}/json/list`);
  const targets = ((await res.json()) as Target[]).filter(
    (t) => options.only === undefined || t.title.includes(options.only),
  );
  const sessions = await Promise.all(
    targets.map(async (t) => {
      const cdp = await connect(t.webSocketDebuggerUrl);
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: options.intervalUs ?? 100 });
      await cdp.send("Profiler.start");
      return { title: t.title, cdp };
    }),
  );
  return async () => {
    const out: ProfileSummary[] = [];
    for (const { title, cdp } of sessions) {
      const { profile } = (await cdp.send("Profiler.stop")) as { profile: Profile };
      cdp.close();
      out.push(summarize(title, profile, options.top ?? 40));
    }
    return out;
  };
}

/** The summaries as text, one block per isolate. */
export function formatProfiles(summaries: ProfileSummary[]): string {
  return summaries
    .map((s) =>
      [
        `## ${s.target}: ${s.sampledMs.toFixed(0)} ms sampled`,
        ...s.lines.map(
          (l) => `${l.totalMs.toFixed(1).padStart(9)} ${l.selfMs.toFixed(1).padStart(9)}  ${l.name}`,
        ),
      ].join("\n"),
    )
    .join("\n\n");
}
