import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { PlatformAccount } from "../platform-account.ts";
import { Avatar } from "./avatar.tsx";

/** Where every page's stylesheet is served from (our own origin: the CSP's `style-src 'self'`). */
export const STYLESHEET_PATH = "/assets/settings.css";

/**
 * The platform account the page acts for, on every signed-in page: a person who opened someone else's
 * link sees whose account they would connect before and after any click (login CSRF).
 */
function AccountBanner(props: { account: PlatformAccount }) {
  const { account } = props;
  return (
    <p class="account" data-platform-account={account.displayName}>
      <Avatar src={account.avatarUrl} name={account.displayName} small />
      <span>
        Platform account: <strong>{account.displayName}</strong>
      </span>
    </p>
  );
}

/** The page shell: landmarks, a skip link, our stylesheet, and no scripts (plain HTML forms only). */
export function Layout(props: {
  title: string;
  children: Child;
  refreshSeconds?: number;
  account?: PlatformAccount;
}) {
  // The doctype keeps browsers in standards mode (without it the layout rules differ: quirks mode).
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="same-origin" />
          <meta name="color-scheme" content="light dark" />
          {props.refreshSeconds === undefined ? null : (
            <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
          )}
          <title>{props.title}</title>
          <link rel="stylesheet" href={STYLESHEET_PATH} />
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="site">
            <div class="wrap">
              <span class="brand">gitcred</span>
              {props.account === undefined ? null : <AccountBanner account={props.account} />}
            </div>
          </header>
          <main id="main" class="wrap">
            {props.children}
          </main>
          <footer class="site">
            <div class="wrap">
              gitcred hands your agents a GitHub credential for one repository at a time. It never shows or
              stores your password.
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
