import type { PlatformAccount } from "../platform-account.ts";
import { Layout } from "./layout.tsx";

/**
 * What a settings link shows before it is spent: whose platform account GitHub would be connected to,
 * and a POST button that redeems the link. A GET never redeems, so a person who opens a link someone
 * else sent sees the sender's account named here and can close the page; a link-preview scanner's
 * GET or HEAD leaves the link working.
 */
export function LinkInterstitialPage(props: { account: PlatformAccount; linkId: string; expiresAt: Date }) {
  const { account } = props;
  return (
    <Layout title={`Connect GitHub to ${account.displayName}`} account={account}>
      <h1 id="interstitial-title">Connect GitHub to {account.displayName}</h1>
      <section class="card" aria-labelledby="interstitial-title" data-interstitial>
        <p>
          This link opens the GitHub settings of the platform account <strong>{account.displayName}</strong>.
          Agents of that account will work on GitHub as whichever GitHub account you connect there.
        </p>
        <p>
          <strong>Is this your account?</strong> If someone sent you this link, or you do not recognise the
          account, close this page: continuing would connect your GitHub account to theirs.
        </p>
        <form method="post" action="/settings/link">
          <input type="hidden" name="s" value={props.linkId} />
          <button type="submit">Continue as {account.displayName}</button>
        </form>
        <p>The link works once, until {props.expiresAt.toUTCString()}.</p>
      </section>
    </Layout>
  );
}

/** A redemption POST that did not come from our own interstitial (another site's form): nothing spent. */
export function LinkRefusedPage() {
  return (
    <Layout title="gitcred settings">
      <h1>Settings</h1>
      <p class="notice error" role="alert" data-notice="link_refused">
        This settings link can only be used from its own page. Open the link again and press Continue.
      </p>
    </Layout>
  );
}
