/**
 * The connect worker's entrypoint and object expose exactly the methods they mean to: Workers RPC
 * reaches every method on the prototype chain, TypeScript's `private` included (see
 * test-support/workerd/rpc-surface.ts). `DeviceAuthorization`'s helpers (`withDatabase(use)` took a
 * callback and ran it with a database handle) are `#private` for that reason.
 */
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { rpcSurface } from "../../../test-support/workerd/rpc-surface.ts";
import { ConnectService } from "../src/connect-service.ts";
import { DeviceAuthorization } from "../src/device-authorization.ts";

describe("the connect worker's RPC surface", () => {
  it("ConnectService has the platform's three methods", () => {
    expect(rpcSurface(ConnectService, WorkerEntrypoint)).toEqual(
      ["createSettingsLink", "getDeviceConnect", "startDeviceConnect"].sort(),
    );
  });

  it("DeviceAuthorization has what the connect worker's routes and the runtime call", () => {
    expect(rpcSurface(DeviceAuthorization, DurableObject)).toEqual(["alarm", "start", "status"].sort());
  });
});
