/**
 * The canary scan, run after every test file of this project: every token the simulator ever issued
 * (it is the one place that knows them all), the App's client secret and private key must be absent from
 * KV keys, metadata and values, Durable Object storage, every Postgres table, and every log line the
 * worker wrote during the file (captured through the logger's sink). A failure names where a secret was
 * found and its prefix, never the secret. The scan must be armed: a canary OAuth code issued for this
 * file alone is among the secrets it collected (helpers shared with the other workerd projects).
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

const lines: string[] = [];
let canary = "";

beforeAll(async () => {
  setLogSink((line) => {
    lines.push(line);
  });
  canary = await issueCanary(env);
});

afterAll(async () => {
  setLogSink(null);
  const secrets = await knownSecrets(env);
  const found = findSecrets(secrets, [
    ["KV", await kvHaystack(env.TOKEN_CACHE)],
    ["Durable Object storage", await durableObjectHaystack(env.USER_TOKEN_REFRESHER)],
    ["Postgres", await databaseHaystack(env)],
    ["logs", lines.splice(0)],
  ]);
  expect(found, `secrets found at rest or in logs (of ${secrets.length} checked)`).toEqual([]);
  expectScanArmed(secrets, canary);
});
