import type { SessionEvent } from "@gitcred/client";
import { sha256Hex } from "@gitcred/utils";
import { bearerSecret } from "../http/bearer-secret.ts";
import { authorizeCaller } from "../record/authorize-caller.ts";
import type { SessionDeps } from "../types.ts";

/** WebSockets subscribed to a session's events carry this tag. */
const EVENTS_TAG = "events";
/** Subscribers per session; a sandbox needs one or two. */
const MAX_SUBSCRIBERS = 32;

/**
 * `GET /sessions/:id/events` with `Upgrade: websocket`, authenticated by the session secret: accepts the
 * socket with the hibernation API (the object may sleep while subscribers wait), sends the events after
 * `?after=N` at once, and every later event as it happens (`publishEvents`).
 */
export async function acceptEventSocket(
  ctx: DurableObjectState,
  deps: SessionDeps,
  request: Request,
): Promise<Response> {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return new Response("expected a WebSocket upgrade", { status: 426 });
  }
  const secret = bearerSecret(request);
  if (secret === undefined) return new Response("unauthorized", { status: 401 });
  const authorized = await authorizeCaller(deps, { kind: "secret", secretSha256: await sha256Hex(secret) });
  if (!authorized.ok) return new Response("unauthorized", { status: 401 });
  if (ctx.getWebSockets(EVENTS_TAG).length >= MAX_SUBSCRIBERS) {
    return new Response("too many subscribers", { status: 429 });
  }
  const after = Number(new URL(request.url).searchParams.get("after") ?? "");
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  ctx.acceptWebSocket(server, [EVENTS_TAG]);
  if (Number.isInteger(after) && after >= 0) {
    for (const event of await deps.store.listEvents(after, 200)) server.send(JSON.stringify(event));
  }
  return new Response(null, { status: 101, webSocket: client });
}

/** Sends new events to every subscriber; a socket that cannot take them is closed, never fatal. */
export function publishEvents(ctx: DurableObjectState, events: readonly SessionEvent[]): void {
  for (const socket of ctx.getWebSockets(EVENTS_TAG)) {
    try {
      for (const event of events) socket.send(JSON.stringify(event));
    } catch {
      try {
        socket.close(1011, "send failed");
      } catch {
        // already gone
      }
    }
  }
}
