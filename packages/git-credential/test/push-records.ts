import type { Suite } from "./start-suite.ts";
import type { Answer } from "./world.ts";

/**
 * An entry of listActivity as this Node test reads it (the full type is @gitcred/client's ActivityEvent,
 * whose module pulls in the Workers RPC types a Node project does not have).
 */
export interface ActivityEntry {
  kind: string;
  repository?: string;
  sessionId?: string;
  identity?: "user" | "app";
  caller?: string;
  reason?: string;
  refs?: { ref: string; action: string; oldId: string; newId: string }[];
}

/** How long the push records may take to land before the test fails with what was there. */
const BOUND_MS = 15_000;

/**
 * The person's push records (`git_push`, `git_push_refused`) as their settings page reads them
 * (git-token's listActivity, from Postgres), oldest first, once `count` are there: the proxy sends them
 * after the grant under waitUntil, so they land a moment after git returns. Asks again until then,
 * within `BOUND_MS`; no sleep.
 */
export async function pushRecordsOf(suite: Suite, userId: string, count: number): Promise<ActivityEntry[]> {
  const deadline = Date.now() + BOUND_MS;
  for (;;) {
    const listed = await suite.rpc<Answer<{ events: ActivityEntry[] }>>("GIT_TOKEN", "listActivity", {
      userId,
      limit: 50,
    });
    if (!listed.ok) throw new Error(listed.reason);
    const pushes = listed.events
      .filter((e) => e.kind === "git_push" || e.kind === "git_push_refused")
      .reverse();
    if (pushes.length >= count || Date.now() > deadline) return pushes;
  }
}
