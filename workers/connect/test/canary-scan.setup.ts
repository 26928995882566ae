/**
 * After every test file: no token the simulator issued (nor the client secret or private key) in the
 * connect worker's KV, Durable Object storage, Postgres, log lines, or any redirect URL / page body the
 * tests saw (collected by the browser helper). The scan must have had something to look for: an OAuth
 * code the simulator issues for this file's scan alone has to be among the secrets it collected, and
 * found when it is put in a haystack, so a scan that collects nothing (or matches nothing) fails.
 */
import { env } from "cloudflare:workers";
import {
  databaseHaystack,
  durableObjectHaystack,
  kvHaystack,
  scanEachTestFile,
} from "../../../test-support/workerd/canary-scan.ts";
import { seenByBrowsers } from "./browser.ts";

/** Every line the connect worker logged during the current file (hostile-input tests read them). */
export const logLines: string[] = [];

scanEachTestFile({
  env,
  appSecrets: ["client secret", "private key"],
  lines: logLines,
  // Errors are worth seeing when a test fails; the lines are already redacted.
  echoErrors: true,
  places: async () => [
    ["KV", await kvHaystack(env.PAGE_SESSIONS)],
    ["Durable Object storage", await durableObjectHaystack(env.DEVICE_AUTHORIZATIONS)],
    ["Postgres", await databaseHaystack(env)],
    ["redirects and pages", seenByBrowsers.splice(0)],
  ],
});
