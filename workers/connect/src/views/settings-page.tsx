import type { ConnectionInfo, InstallationClaim } from "@gitcred/client";
import type { RecentDeviceConnection } from "../device/read-device-connection.ts";
import type { DeviceView } from "../device/types.ts";
import type { PlatformAccount } from "../platform-account.ts";
import { Layout } from "./layout.tsx";
import { NOTICES, type NoticeCode } from "./notices.ts";

export interface SettingsPageProps {
  /** The platform account this page connects GitHub to, named on the page, its notices and device codes. */
  account: PlatformAccount;
  connection: ConnectionInfo | { ok: false };
  csrfToken: string;
  userTokensEnabled: boolean;
  githubWebUrl: string;
  notice?: NoticeCode;
  device?: { handle: string; view: DeviceView };
  /** The installations the page's tenant claimed; `undefined` when they could not be loaded. */
  claims?: InstallationClaim[] | undefined;
  /** Whether the install flow is set up (an App slug, people's tokens on). */
  installEnabled: boolean;
  /** A recent connection of the connected account made through a device code. */
  deviceConnection?: RecentDeviceConnection | undefined;
}

function InstallationsPanel(props: {
  claims: InstallationClaim[] | undefined;
  canInstall: boolean;
  csrfToken: string;
}) {
  return (
    <section class="card" aria-labelledby="installations-title">
      <h2 id="installations-title">Where agents can work as the app</h2>
      {props.claims === undefined ? (
        <p role="alert">The installations could not be loaded right now. Please reload in a minute.</p>
      ) : props.claims.length === 0 ? (
        <p data-claims="0">No installation of the GitHub App is added for this account yet.</p>
      ) : (
        <ul data-claims={String(props.claims.length)}>
          {props.claims.map((claim) => (
            <li data-installation-id={String(claim.installationId)}>
              {claim.accountLogin ?? `installation ${claim.installationId}`}
            </li>
          ))}
        </ul>
      )}
      {props.canInstall ? (
        <form method="post" action="/github/install">
          <Csrf token={props.csrfToken} />
          <button type="submit">Install the GitHub App on more repositories</button>
        </form>
      ) : null}
    </section>
  );
}

function Notice(props: { code: NoticeCode; account: PlatformAccount }) {
  const notice = NOTICES[props.code];
  return (
    <p
      class={`notice ${notice.kind}`}
      role={notice.kind === "error" ? "alert" : "status"}
      data-notice={props.code}
    >
      {notice.text} (Platform account: {props.account.displayName}.)
    </p>
  );
}

function Csrf(props: { token: string }) {
  return <input type="hidden" name="csrf" value={props.token} />;
}

function DevicePanel(props: { handle: string; view: DeviceView; account: PlatformAccount }) {
  const { view } = props;
  if (view.status !== "pending") return null;
  return (
    <section class="card" aria-labelledby="device-title" data-device-status={view.status}>
      <h3 id="device-title">Connect from a terminal or another device</h3>
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

/** The settings page: GitHub connection status and the actions a person can take. Plain HTML forms. */
export function SettingsPage(props: SettingsPageProps) {
  const { connection } = props;
  const connected = connection.ok && connection.connected ? connection : undefined;
  const pending = props.device?.view.status === "pending";
  return (
    <Layout
      title={`gitcred settings: ${props.account.displayName}`}
      account={props.account}
      {...(pending ? { refreshSeconds: 5 } : {})}
    >
      <h1>Settings for {props.account.displayName}</h1>
      {props.notice === undefined ? null : <Notice code={props.notice} account={props.account} />}
      <section
        class="card"
        aria-labelledby="github-title"
        data-connection={connected ? connected.status : "none"}
      >
        <h2 id="github-title">GitHub</h2>
        {!connection.ok ? (
          <p role="alert">Your connection status could not be loaded right now. Please reload in a minute.</p>
        ) : connected ? (
          <>
            <div class="row">
              <img
                class="avatar"
                src={`${props.githubWebUrl}/${encodeURIComponent(connected.login)}.png?size=96`}
                alt=""
                width="48"
                height="48"
              />
              <div>
                <p data-connected-as={connected.login}>
                  Connected as{" "}
                  <a href={`${props.githubWebUrl}/${encodeURIComponent(connected.login)}`}>
                    @{connected.login}
                  </a>
                  {connected.name ? ` (${connected.name})` : ""}
                </p>
                <p>
                  Since {new Date(connected.connectedAt).toUTCString()} ·{" "}
                  <span class={`status-${connected.status}`}>
                    {connected.status === "active" ? "active" : "reconnect required"}
                  </span>
                </p>
              </div>
            </div>
            {props.deviceConnection === undefined ? null : (
              <p data-device-connection={props.deviceConnection.login}>
                GitHub @{props.deviceConnection.login} connected through a device code issued at{" "}
                {new Date(props.deviceConnection.issuedAt).toUTCString()}. If that was not you, disconnect.
              </p>
            )}
            <p>
              Agents of {props.account.displayName} push to your repositories as you, with your permissions.
            </p>
            {connected.status === "reconnect_required" && props.userTokensEnabled ? (
              <form method="post" action="/github/connect">
                <Csrf token={props.csrfToken} />
                <button type="submit">Reconnect GitHub</button>
              </form>
            ) : null}{" "}
            <form method="post" action="/github/disconnect">
              <Csrf token={props.csrfToken} />
              <button type="submit">Disconnect</button>
            </form>
          </>
        ) : (
          <>
            <p>Not connected. Agents work as the gitcred app, not as you.</p>
            {props.userTokensEnabled ? (
              <>
                <form method="post" action="/github/connect">
                  <Csrf token={props.csrfToken} />
                  <button type="submit">Connect GitHub</button>
                </form>{" "}
                <form method="post" action="/github/device">
                  <Csrf token={props.csrfToken} />
                  <button type="submit">Use a device code instead</button>
                </form>
              </>
            ) : null}
          </>
        )}
      </section>
      {props.device === undefined ? null : (
        <DevicePanel handle={props.device.handle} view={props.device.view} account={props.account} />
      )}
      <InstallationsPanel
        claims={props.claims}
        canInstall={props.installEnabled && connected?.status === "active"}
        csrfToken={props.csrfToken}
      />
    </Layout>
  );
}

/** Shown when there is no valid session: the platform must hand the person a fresh settings link. */
export function SignedOutPage() {
  return (
    <Layout title="gitcred settings">
      <h1>Settings</h1>
      <p class="notice error" role="alert" data-notice="signed_out">
        This settings link has expired or was already used. Open the settings again from the app to get a new
        link.
      </p>
    </Layout>
  );
}
