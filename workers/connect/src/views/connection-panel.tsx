import type { ConnectionInfo, InstallationCoverage, ReconnectReason } from "@gitcred/client";
import type { RecentDeviceConnection } from "../device/read-device-connection.ts";
import type { PlatformAccount } from "../platform-account.ts";
import { Avatar } from "./avatar.tsx";
import { Csrf } from "./notice.tsx";

type Connected = Extract<ConnectionInfo, { connected: true }>;

const RECONNECT_REASONS: Record<ReconnectReason, string> = {
  grant_revoked: "gitcred's access was revoked on GitHub (in your GitHub settings, or by GitHub).",
  refresh_failed: "GitHub no longer accepts gitcred's saved sign-in: it expired or was revoked.",
  token_rejected: "GitHub refused your token when an agent used it: it was revoked or expired.",
  unknown: "GitHub no longer accepts gitcred's saved sign-in.",
};

export interface ConnectionPanelProps {
  account: PlatformAccount;
  connection: ConnectionInfo | { ok: false };
  csrfToken: string;
  userTokensEnabled: boolean;
  githubWebUrl: string;
  /** GitHub's avatar host for this deployment (`githubAvatarBase`). */
  avatarBase: string;
  /** Claimed installations GitHub suspended: agents get no App token there. */
  suspended: InstallationCoverage[];
  deviceConnection?: RecentDeviceConnection | undefined;
}

/** GitHub's SSO link, only when it points at the configured GitHub: the page never links elsewhere. */
function ssoLink(connected: Connected, githubWebUrl: string): string | undefined {
  const url = connected.ssoRequired?.authorizeUrl;
  if (url === undefined || !URL.canParse(url)) return undefined;
  return new URL(url).origin === new URL(githubWebUrl).origin ? url : undefined;
}

/** The connection's state in words (never by colour alone), and what the person can do about it. */
function ConnectionState(props: { connected: Connected; githubWebUrl: string }) {
  const { connected } = props;
  if (connected.status === "reconnect_required") {
    return (
      <div data-state="reconnect_required">
        <p>
          <span class="state bad">Reconnect required</span>
        </p>
        <p data-reconnect-reason={connected.reconnectReason ?? "unknown"}>
          {RECONNECT_REASONS[connected.reconnectReason ?? "unknown"]} Until you reconnect, agents work as the
          gitcred app, not as you.
        </p>
        <p class="actions">
          <a class="button primary" href="/settings/confirm/reconnect">
            Reconnect GitHub
          </a>
        </p>
      </div>
    );
  }
  if (connected.ssoRequired !== undefined) {
    const link = ssoLink(connected, props.githubWebUrl);
    return (
      <div data-state="sso_required" data-sso-organization={connected.ssoRequired.organization}>
        <p>
          <span class="state warn">Single sign-on authorization needed</span>
        </p>
        <p>
          The organisation <strong>{connected.ssoRequired.organization}</strong> enforces SAML single sign-on.
          Agents cannot work on its repositories as you until you authorize gitcred for it on GitHub.
        </p>
        {link === undefined ? null : (
          <p class="actions">
            <a class="button primary" href={link}>
              Authorize for {connected.ssoRequired.organization} on GitHub
            </a>
          </p>
        )}
      </div>
    );
  }
  return (
    <div data-state="active">
      <p>
        <span class="state ok">Active</span>
      </p>
    </div>
  );
}

/** The GitHub account connected to this platform account, its state, and what to do next. */
export function ConnectionPanel(props: ConnectionPanelProps) {
  const { connection } = props;
  const connected = connection.ok && connection.connected ? connection : undefined;
  return (
    <section
      class="card"
      aria-labelledby="github-title"
      data-connection={connected ? connected.status : "none"}
    >
      <h2 id="github-title">GitHub account</h2>
      {!connection.ok ? (
        <p role="alert">Your connection status could not be loaded right now. Please reload in a minute.</p>
      ) : connected ? (
        <>
          <div class="row">
            <Avatar src={`${props.avatarBase}/u/${connected.githubUserId}?v=4`} name={connected.login} />
            <div>
              <p data-connected-as={connected.login}>
                Connected as{" "}
                <a href={`${props.githubWebUrl}/${encodeURIComponent(connected.login)}`}>
                  @{connected.login}
                </a>
                {connected.name ? ` (${connected.name})` : ""}
              </p>
              <p class="muted">Since {new Date(connected.connectedAt).toUTCString()}</p>
            </div>
          </div>
          <ConnectionState connected={connected} githubWebUrl={props.githubWebUrl} />
          {props.suspended.map((installation) => (
            <p class="notice warning" data-suspended-installation={String(installation.installationId)}>
              <strong>Installation suspended.</strong> The gitcred app's installation on{" "}
              {installation.accountLogin ?? `installation ${installation.installationId}`} is suspended on
              GitHub: agents cannot work there as the app until an owner of that account unsuspends it in its
              GitHub settings.
            </p>
          ))}
          {props.deviceConnection === undefined ? null : (
            <p data-device-connection={props.deviceConnection.login}>
              GitHub @{props.deviceConnection.login} connected through a device code issued at{" "}
              {new Date(props.deviceConnection.issuedAt).toUTCString()}. If that was not you, disconnect.
            </p>
          )}
          <p>
            Agents of {props.account.displayName} push to your repositories as you, with your permissions.
          </p>
        </>
      ) : (
        <>
          <p data-state="not_connected">
            <span class="state warn">Not connected</span>
          </p>
          <p>Agents work as the gitcred app, not as you.</p>
          {props.userTokensEnabled ? (
            <div class="actions">
              <form method="post" action="/github/connect">
                <Csrf token={props.csrfToken} />
                <button type="submit" class="primary">
                  Connect GitHub
                </button>
              </form>
              <form method="post" action="/github/device">
                <Csrf token={props.csrfToken} />
                <button type="submit">Use a device code instead</button>
              </form>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
