import type { SessionEvent } from "@gitcred/client";
import { sha256Hex } from "@gitcred/utils";
import { bearerSecret } from "../http/bearer-secret.ts";
import { authorizeCaller } from "../record/authorize-caller.ts";
import type { SessionDeps } from "../types.ts";

/** WebSockets subscribed to a session's events carry this tag. */
const EVENTS_TAG = "events";
/** ...and this one, with the generation of the secret they were opened with (never the secret or its hash). */
const GENERATION_TAG = "generation:";
/** Socket close code for "the session ended or expired" (4000–4999 are the application's). */
export const SESSION_OVER_CLOSE_CODE = 4001;
/** Socket close code for "the secret this socket was opened with was replaced". */
export const SECRET_ROTATED_CLOSE_CODE = 4002;
/** Subscribers per session; a sandbox needs one or two. */
const MAX_SUBSCRIBERS = 32;

/** The 401 of the socket route, in the JSON shape of the other routes. */
function refused(reason: string): Response {
  return new Response(JSON.stringify({ ok: false, reason, message: "the session secret is not accepted" }), {
    status: 401,
    headers: { "content-type": "application/json", "www-authenticate": 'Bearer realm="gitcred-session"' },
  });
}

/**
 * `GET /sessions/:id/events` with `Upgrade: websocket`, authenticated by the session secret: accepts the
 * socket with the hibernation API (the object may sleep while subscribers wait), sends the events after
 * `?after=N` at once, and every later event as it happens (`publishEvents`). The socket is tagged with
 * the generation of the secret it was opened with, so `closeEventSockets` can cut it off when that
 * secret is replaced or the session ends.
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
  if (secret === undefined) return refused("not_found");
  const authorized = await authorizeCaller(deps, { kind: "secret", secretSha256: await sha256Hex(secret) });
  // An ended or expired session says so (to the holder of its last secret only), like the JSON routes.
  if (!authorized.ok) return refused(authorized.reason);
  if (ctx.getWebSockets(EVENTS_TAG).length >= MAX_SUBSCRIBERS) {
    return new Response("too many subscribers", { status: 429 });
  }
  const after = Number(new URL(request.url).searchParams.get("after") ?? "");
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  ctx.acceptWebSocket(server, [EVENTS_TAG, `${GENERATION_TAG}${authorized.record.secretGeneration ?? 0}`]);
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

/**
 * Closes the session's event sockets: all of them (the session ended or expired), or, with `keep`, those
 * opened with an older secret than generation `keep`. Without this a socket opened with a secret that was
 * rotated away (or of a session that ended) would keep receiving the session's events for as long as
 * its holder keeps it open. Never throws.
 */
export function closeEventSockets(ctx: DurableObjectState, keep?: number): void {
  const keepTag = keep === undefined ? undefined : `${GENERATION_TAG}${keep}`;
  for (const socket of ctx.getWebSockets(EVENTS_TAG)) {
    if (keepTag !== undefined && ctx.getTags(socket).includes(keepTag)) continue;
    try {
      socket.close(
        keep === undefined ? SESSION_OVER_CLOSE_CODE : SECRET_ROTATED_CLOSE_CODE,
        keep === undefined ? "session over" : "secret rotated",
      );
    } catch {
      // already gone
    }
  }
}
