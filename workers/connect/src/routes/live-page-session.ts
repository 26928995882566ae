import { wasUserErasedSince } from "@gitcred/db";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { type PageSession, readPageSession, SESSION_COOKIE } from "../page-session.ts";
import { type AppEnv, database } from "../request-context.ts";

/**
 * The request's page session, unless the person's data was erased since it started. Page sessions live in
 * KV, which git-token's erasure cannot list by person nor delete everywhere at once (eventually
 * consistent); so erasure writes a marker in Postgres and every page request checks it here (one indexed
 * read): an open page stops answering as an erased person on its next request, instead of for up to 8 h.
 */
export async function readLivePageSession(c: Context<AppEnv>): Promise<PageSession | undefined> {
  const session = await readPageSession(c.env.PAGE_SESSIONS, getCookie(c, SESSION_COOKIE));
  if (session === undefined) return undefined;
  if (await wasUserErasedSince(database(c).db, session.userId, new Date(session.createdAt))) {
    c.get("log").info("refused a page session of an erased person");
    return undefined;
  }
  return session;
}
