import type { ActivityEvent, ActivityRef } from "@gitcred/client";

const WHAT: Record<ActivityEvent["kind"], string> = {
  credential_handed_out: "Credential handed to an agent session",
  connected: "GitHub connected",
  disconnected: "GitHub disconnected",
  token_rejected: "GitHub refused your token: reconnect required",
  refresh_failed: "Renewing your GitHub sign-in failed: reconnect required",
  grant_revoked: "gitcred's access was revoked on GitHub",
  installation_claimed: "GitHub App installation added",
  git_push: "An agent session pushed",
  git_push_refused: "Push refused by the session's branch policy (nothing reached GitHub)",
  other: "Account event",
};

const DID: Record<ActivityRef["action"], string> = {
  create: "created",
  update: "updated",
  delete: "deleted",
};

/** The refs a push named, each with what it asked for and the commit it pointed the ref at (short). */
function Refs(props: { refs: ActivityRef[]; omitted: number | undefined }) {
  return (
    <ul class="meta" data-activity-refs>
      {props.refs.map((r) => (
        <li data-activity-ref={r.ref} data-activity-ref-action={r.action}>
          <code>{r.ref}</code> {DID[r.action]}
          {r.action === "delete" ? null : (
            <>
              {" "}
              to <code title={r.newId}>{r.newId.slice(0, 12)}</code>
            </>
          )}
        </li>
      ))}
      {props.omitted === undefined ? null : <li>and {props.omitted} more</li>}
    </ul>
  );
}

/** One entry: when, what, and the ids the person can recognise; never a secret (none is in the event). */
function Entry(props: { event: ActivityEvent }) {
  const { event } = props;
  return (
    <li data-activity={event.kind} data-activity-id={event.id}>
      <p>
        <strong>{WHAT[event.kind]}</strong>
        {event.repository === undefined ? null : (
          <>
            {" "}
            for <code data-activity-repository>{event.repository}</code>
          </>
        )}
      </p>
      <ul class="meta">
        <li>
          <time datetime={event.at}>{new Date(event.at).toUTCString()}</time>
        </li>
        {event.identity === undefined ? null : (
          <li data-activity-identity={event.identity}>
            {event.identity === "user" ? "as you (your GitHub account)" : "as the gitcred app (bot)"}
          </li>
        )}
        {event.access === undefined ? null : (
          <li>{event.access === "write" ? "read and push" : "read only"}</li>
        )}
        {event.sessionId === undefined ? null : (
          <li>
            session <code data-activity-session>{event.sessionId}</code>
          </li>
        )}
        {event.installationId === undefined ? null : <li>installation {event.installationId}</li>}
        {event.reason === undefined ? null : <li>reason: {event.reason.replaceAll("_", " ")}</li>}
        {event.caller === undefined ? null : <li>by {event.caller}</li>}
      </ul>
      {event.refs === undefined ? null : <Refs refs={event.refs} omitted={event.omittedRefs} />}
    </li>
  );
}

/**
 * "What agents did as you": the person's own audit events, newest first, a page at a time (links, so
 * the browser's back button and a bookmark work without script).
 */
export function ActivityPanel(props: {
  events: ActivityEvent[] | undefined;
  nextCursor?: string | undefined;
  /** Set on an older page: a link back to the newest. */
  paged: boolean;
}) {
  const { events } = props;
  return (
    <section class="card" aria-labelledby="activity-title" data-activity-count={String(events?.length ?? 0)}>
      <h2 id="activity-title">What agents did as you</h2>
      {events === undefined ? (
        <p role="alert">The activity could not be loaded right now. Please reload in a minute.</p>
      ) : events.length === 0 ? (
        <p>
          Nothing yet. Each credential an agent session gets for you, and each push through gitcred's git
          proxy, will be listed here.
        </p>
      ) : (
        <ol class="plain">
          {events.map((event) => (
            <Entry event={event} />
          ))}
        </ol>
      )}
      {props.paged || props.nextCursor !== undefined ? (
        <nav class="pager" aria-label="Activity pages">
          {props.paged ? <a href="/settings#activity-title">Newest activity</a> : <span />}
          {props.nextCursor === undefined ? null : (
            <a href={`/settings?activity=${encodeURIComponent(props.nextCursor)}#activity-title`} rel="next">
              Older activity
            </a>
          )}
        </nav>
      ) : null}
    </section>
  );
}
