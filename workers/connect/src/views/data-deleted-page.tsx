import type { DeleteUserDataResult } from "@gitcred/client";
import type { PlatformAccount } from "../platform-account.ts";
import { Layout } from "./layout.tsx";

/** After "delete my data": what was removed, and that this page no longer works as the person. */
export function DataDeletedPage(props: {
  account: PlatformAccount;
  result: DeleteUserDataResult;
  sessionsEnded: number | undefined;
}) {
  const { result } = props;
  return (
    <Layout title="Your gitcred data is deleted">
      <h1 id="deleted-title">Your data is deleted</h1>
      <section class="card" aria-labelledby="deleted-title" data-deleted>
        <p class="notice success" role="status" data-notice="data_deleted">
          gitcred deleted what it kept about the platform account {props.account.displayName}.
        </p>
        <ul>
          <li>
            {result.tokenRowDeleted
              ? result.grantRevoked
                ? "Your GitHub connection is deleted and gitcred's access on GitHub is revoked."
                : "Your GitHub connection is deleted. GitHub could not be reached to revoke the grant: revoke it in your GitHub settings."
              : "No GitHub account was connected."}
          </li>
          <li>
            {props.sessionsEnded === undefined
              ? "The active agent sessions could not be ended; they can no longer use your GitHub account."
              : `${props.sessionsEnded} active agent session${props.sessionsEnded === 1 ? " was" : "s were"} ended.`}
          </li>
          <li>{result.auditEventsAnonymized} audit events were kept without your name or ids.</li>
        </ul>
        <p>You are signed out. To use gitcred again, open the settings from the app.</p>
      </section>
    </Layout>
  );
}
