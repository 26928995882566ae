import type { Child } from "hono/jsx";
import type { PlatformAccount } from "../platform-account.ts";

const styles = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { max-width: 42rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
  .card { border: 1px solid #8886; border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
  .row { display: flex; gap: 1rem; align-items: center; }
  .avatar { width: 48px; height: 48px; border-radius: 50%; }
  .account-avatar { width: 24px; height: 24px; border-radius: 50%; }
  header { border-bottom: 1px solid #8886; padding-bottom: .5rem; }
  .notice { padding: .75rem 1rem; border-radius: 6px; border: 1px solid #8888; margin: 1rem 0; }
  .notice.error { border-color: #c33; } .notice.success { border-color: #2a2; }
  .status-active { color: #2a2; } .status-reconnect_required { color: #c60; }
  button { font: inherit; padding: .4rem .9rem; border-radius: 6px; border: 1px solid #888; cursor: pointer; }
  form { display: inline; }
  code.user-code { font-size: 1.6rem; letter-spacing: .15em; }
`;

/**
 * The platform account the page acts for, on every signed-in page: a person who opened someone else's
 * link sees whose account they would connect before and after any click (login CSRF).
 */
function AccountBanner(props: { account: PlatformAccount }) {
  const { account } = props;
  return (
    <header>
      <p class="row" data-platform-account={account.displayName}>
        {account.avatarUrl === undefined ? null : (
          <img class="account-avatar" src={account.avatarUrl} alt="" width="24" height="24" />
        )}
        <span>
          Platform account: <strong>{account.displayName}</strong>
        </span>
      </p>
    </header>
  );
}

/** The page shell: no scripts, so everything works as plain HTML forms. */
export function Layout(props: {
  title: string;
  children: Child;
  refreshSeconds?: number;
  account?: PlatformAccount;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        {props.refreshSeconds === undefined ? null : (
          <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
        )}
        <title>{props.title}</title>
        <style>{styles}</style>
      </head>
      <body>
        {props.account === undefined ? null : <AccountBanner account={props.account} />}
        <main>{props.children}</main>
      </body>
    </html>
  );
}
