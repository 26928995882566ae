import { DurableObject } from "cloudflare:workers";

/**
 * One per device authorization: polls GitHub from its alarm and exchanges the device code exactly once.
 * (The device flow arrives with the connect worker; the class and its migration exist from the
 * foundation so deployments never need to rename it.)
 */
export class DeviceAuthorization extends DurableObject<Env> {}
