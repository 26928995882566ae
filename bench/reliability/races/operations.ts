/**
 * The operations raced against each other on one person: connect (web flow code), device-flow polls
 * (two pollers on one approved code), refresh (two callers on an expired token) and disconnect. Each is
 * prepared first (codes obtained, token aged) so that only the racing part runs concurrently.
 */
import { authorizeAtSimulator, type Person } from "../../lib/world.ts";
import { expireAccessToken, harness, rpc, sim, tokenRow } from "../harness/client.ts";

const FILE = "races";

export type RaceOp = "connect" | "device" | "refresh" | "disconnect";

export interface RaceTarget {
  person: Person;
  owner: string;
  repo: string;
}

/** Prepares `op` and returns the calls to race (a device poll and a refresh race two callers each). */
export async function prepare(op: RaceOp, t: RaceTarget): Promise<(() => Promise<unknown>)[]> {
  const info = harness();
  const userId = t.person.userId;
  if (op === "connect") {
    const redirectUri = `${info.publicUrl}/github/callback`;
    const grant = await authorizeAtSimulator(info.simUrl, info.clientId, t.person.login, redirectUri);
    return [() => rpc(FILE, "GIT_TOKEN", "connectWithOAuthCode", { userId, ...grant, redirectUri })];
  }
  if (op === "device") {
    const res = await fetch(`${info.simUrl}/login/device/code`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: info.clientId }),
    });
    const started = (await res.json()) as { device_code: string; user_code: string };
    await sim().authorizeDevice(started.user_code, { login: t.person.login });
    const poll = () =>
      rpc(FILE, "GIT_TOKEN", "completeDeviceAuthorization", { userId, deviceCode: started.device_code });
    return [poll, poll];
  }
  if (op === "refresh") {
    if ((await tokenRow(userId))?.status === "active") await expireAccessToken(userId);
    const call = () =>
      rpc(FILE, "GIT_TOKEN", "getUserTokenForRepo", { userId, owner: t.owner, repo: t.repo });
    return [call, call];
  }
  return [() => rpc(FILE, "GIT_TOKEN", "disconnectUser", { userId })];
}
