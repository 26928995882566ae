/**
 * Canary scan after every test file: no token the simulator ever issued may appear in any session
 * object's storage (record, events, alarm input) or in a log line written by the session worker.
 */
import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { setLogSink } from "@gitcred/utils";
import { afterAll, beforeAll } from "vitest";
import { sim, testEnv } from "./helpers.ts";

const lines: string[] = [];

beforeAll(() => {
  setLogSink((line) => {
    lines.push(line);
  });
});

afterAll(async () => {
  setLogSink(null);
  const tokens = (await sim.issuedTokens()).map((t) => t.token);
  const dumps: string[] = [];
  for (const id of await listDurableObjectIds(testEnv.SESSIONS)) {
    const stub = testEnv.SESSIONS.get(id);
    dumps.push(
      await runInDurableObject(stub, async (_instance, state) => {
        const entries = await state.storage.list();
        const alarm = await state.storage.getAlarm();
        return JSON.stringify({ entries: [...entries], alarm });
      }),
    );
  }
  const haystack = [...dumps, ...lines].join("\n");
  const leaked = tokens.filter((token) => haystack.includes(token));
  if (leaked.length > 0) {
    throw new Error(`${leaked.length} issued token(s) found in session storage or logs`);
  }
});
