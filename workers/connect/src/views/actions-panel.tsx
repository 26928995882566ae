/**
 * The account's actions, each a link to its own confirmation page (the change itself is that page's
 * CSRF-checked POST): nothing here changes anything with one click.
 */
export function ActionsPanel(props: { connected: boolean }) {
  return (
    <section class="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <ul class="plain">
        {props.connected ? (
          <>
            <li>
              <a href="/settings/confirm/reconnect">Reconnect GitHub</a>
              <p class="muted">Sign in on GitHub again, with this account or another one.</p>
            </li>
            <li>
              <a href="/settings/confirm/disconnect">Disconnect GitHub</a>
              <p class="muted">Revoke gitcred's access; agents then work as the gitcred app.</p>
            </li>
          </>
        ) : null}
        <li>
          <a href="/settings/confirm/end-sessions">End the active sessions</a>
          <p class="muted">Every agent session of this account stops getting credentials at once.</p>
        </li>
        <li>
          <a href="/settings/confirm/delete-data">Delete my data</a>
          <p class="muted">Disconnect, end the sessions, and erase what gitcred keeps about you.</p>
        </li>
      </ul>
    </section>
  );
}
