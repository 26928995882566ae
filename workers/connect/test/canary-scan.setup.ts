/**
 * After every test file: no token the simulator issued (nor the client secret or private key) in the
 * connect worker's KV, Durable Object storage, Postgres, log lines, or any redirect URL / page body the
 * tests saw (collected by the browser helper). The scan must have had something to look for: an OAuth
 * code the simulator issues for this file's scan alone has to be among the secrets it collected, and
 * found when it is put in a haystack, so a scan that collects nothing (or matches nothing) fails.
 */
import { env } from "cloudflare:workers";
import { setLogSink } from "@gitcred/utils";
import { afterAll, beforeAll, expect } from "vitest";
import {
  databaseHaystack,
  durableObjectHaystack,
  expectScanArmed,
  findSecrets,
  issueCanary,
  knownSecrets,
  kvHaystack,
} from "../../../test-support/workerd/canary-scan.ts";
import { seenByBrowsers } from "./browser.ts";

export const logLines: string[] = [];

/** The code GitHub issued for this file's scan (nobody ever uses it), set before the file's tests run. */
let canary = "";

beforeAll(async () => {
  setLogSink((line, level) => {
    logLines.push(line);
    // Errors are worth seeing when a test fails; the lines are already redacted.
    if (level === "error") console.error(line);
  });
  canary = await issueCanary(env);
});

afterAll(async () => {
  setLogSink(null);
  const secrets = await knownSecrets(env);
  const found = findSecrets(secrets, [
    ["KV", await kvHaystack(env.PAGE_SESSIONS)],
    ["Durable Object storage", await durableObjectHaystack(env.DEVICE_AUTHORIZATIONS)],
    ["Postgres", await databaseHaystack(env)],
    ["logs", logLines.splice(0)],
    ["redirects and pages", seenByBrowsers.splice(0)],
  ]);
  expect(found, `secrets found (of ${secrets.length} checked)`).toEqual([]);
  expectScanArmed(secrets, canary);
});
