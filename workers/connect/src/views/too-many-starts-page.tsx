import type { PlatformAccount } from "../platform-account.ts";
import { Layout } from "./layout.tsx";

/**
 * Answered with 429 when a page session or a person has started too many device connections: says plainly
 * why and when to try again (a redirect could not carry the 429 and its Retry-After).
 */
export function TooManyStartsPage(props: { account: PlatformAccount; retryAfterSeconds: number }) {
  const minutes = Math.max(1, Math.ceil(props.retryAfterSeconds / 60));
  return (
    <Layout title="gitcred settings" account={props.account}>
      <h1>Settings</h1>
      <p class="notice error" role="alert" data-notice="too_many_starts">
        Too many device connections were started from here. Try again in {minutes}{" "}
        {minutes === 1 ? "minute" : "minutes"}; a code you already have keeps working until it expires.
      </p>
      <p>
        <a href="/settings">Back to settings</a>
      </p>
    </Layout>
  );
}
