/**
 * Node-side helpers for the GitHub simulator: start it in-process (Miniflare), drive its control API,
 * and make App key material.
 */
export * from "./admin.ts";
export { bundleWorker } from "./build.ts";
export { type AppKeyPair, generateAppKeyPair, signAppJwt } from "./keys.ts";
export { type RunningSimulator, type StartOptions, startSimulator } from "./start.ts";
