import type { DeviceView } from "../device/types.ts";
import type { PlatformAccount } from "../platform-account.ts";

/**
 * A pending device code, with whose platform account it links and a warning never to pass it on:
 * whoever enters it connects their GitHub account to this platform account (RFC 8628 §5.4).
 */
export function DevicePanel(props: { handle: string; view: DeviceView; account: PlatformAccount }) {
  const { view } = props;
  if (view.status !== "pending") return null;
  return (
    <section class="card" aria-labelledby="device-title" data-device-status={view.status}>
      <h2 id="device-title">Connect from a terminal or another device</h2>
      <p data-device-account={props.account.displayName}>
        This code connects a GitHub account to the platform account{" "}
        <strong>{props.account.displayName}</strong>. Enter it only yourself: whoever enters it connects their
        GitHub account to {props.account.displayName}. Never send it to anyone.
      </p>
      <p>
        Open <a href={view.verificationUri}>{view.verificationUri}</a> and enter this code:
      </p>
      <p>
        <code class="user-code" data-user-code>
          {view.userCode}
        </code>
      </p>
      <p>
        This page checks again every few seconds. The code works until{" "}
        {new Date(view.expiresAt).toUTCString()}.
      </p>
      <a href={`/settings?device=${encodeURIComponent(props.handle)}`}>Check now</a>
    </section>
  );
}
