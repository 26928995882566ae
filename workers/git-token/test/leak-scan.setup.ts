/**
 * The canary scan, run after every test file of this project: every token the simulator ever issued
 * (it is the one place that knows them all), the App's client secret and private key must be absent from
 * KV keys, metadata and values, Durable Object storage, every Postgres table, and every log line the
 * worker wrote during the file (captured through the logger's sink). A failure names where a secret was
 * found and its prefix, never the secret. The scan must be armed: a canary OAuth code issued for this
 * file alone is among the secrets it collected (helpers shared with the other workerd projects).
 */
import { env } from "cloudflare:workers";
import {
  databaseHaystack,
  durableObjectHaystack,
  kvHaystack,
  scanEachTestFile,
} from "../../../test-support/workerd/canary-scan.ts";

scanEachTestFile({
  env,
  appSecrets: ["client secret", "private key"],
  places: async () => [
    ["KV", await kvHaystack(env.TOKEN_CACHE)],
    ["Durable Object storage", await durableObjectHaystack(env.USER_TOKEN_REFRESHER)],
    ["Postgres", await databaseHaystack(env)],
  ],
});
