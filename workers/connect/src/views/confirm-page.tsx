import type { PlatformAccount } from "../platform-account.ts";
import { Layout } from "./layout.tsx";
import { Csrf } from "./notice.tsx";

/** Each action the settings page offers, its confirmation text, and the POST that does it. */
export const ACCOUNT_ACTIONS = {
  reconnect: {
    title: "Reconnect GitHub?",
    action: "/github/connect",
    button: "Continue to GitHub",
    danger: false,
    explain: [
      "GitHub asks you to choose an account and to authorize gitcred again.",
      "If you choose another GitHub account, it replaces the one connected now, and agents then work as that account.",
    ],
  },
  disconnect: {
    title: "Disconnect GitHub?",
    action: "/github/disconnect",
    button: "Disconnect",
    danger: true,
    explain: [
      "gitcred revokes its access on GitHub and forgets your GitHub tokens.",
      "Agents then work as the gitcred app (its bot), on the repositories where the app is installed, or not at all.",
    ],
  },
  "end-sessions": {
    title: "End the active sessions?",
    action: "/settings/end-sessions",
    button: "End the sessions",
    danger: true,
    explain: [
      "Every agent session of this account is ended now: its credentials are forgotten and it cannot get another.",
      "Work in progress in those sessions can no longer be pushed. New sessions can still start.",
    ],
  },
  "delete-data": {
    title: "Delete my data?",
    action: "/settings/delete-data",
    button: "Delete my data",
    danger: true,
    explain: [
      "gitcred ends your active sessions, revokes its access on GitHub and deletes your GitHub connection, pending sign-ins, settings links and device codes.",
      "What happened stays in the audit log without your name or ids. This page signs you out. This cannot be undone.",
    ],
  },
} as const;

export type AccountAction = keyof typeof ACCOUNT_ACTIONS;

/** Whether `value` names one of the actions above (the route's parameter is otherwise refused). */
export function isAccountAction(value: string): value is AccountAction {
  return Object.hasOwn(ACCOUNT_ACTIONS, value);
}

/**
 * The confirmation page of one action: what it will do, for which platform account, and a POST button
 * with the session's CSRF token. Opening it changes nothing; Cancel goes back.
 */
export function ConfirmPage(props: { action: AccountAction; account: PlatformAccount; csrfToken: string }) {
  const action = ACCOUNT_ACTIONS[props.action];
  return (
    <Layout title={`${action.title} gitcred: ${props.account.displayName}`} account={props.account}>
      <h1 id="confirm-title">{action.title}</h1>
      <section class="card" aria-labelledby="confirm-title" data-confirm={props.action}>
        <p>
          For the platform account <strong>{props.account.displayName}</strong>:
        </p>
        {action.explain.map((line) => (
          <p>{line}</p>
        ))}
        <div class="actions">
          <form method="post" action={action.action}>
            <Csrf token={props.csrfToken} />
            <button type="submit" class={action.danger ? "danger" : "primary"}>
              {action.button}
            </button>
          </form>
          <a class="button" href="/settings">
            Cancel
          </a>
        </div>
      </section>
    </Layout>
  );
}
