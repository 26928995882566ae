import type { ActivityEvent, ConnectionInfo, InstallationCoverage } from "@gitcred/client";
import type { RecentDeviceConnection } from "../device/read-device-connection.ts";
import type { DeviceView } from "../device/types.ts";
import type { PlatformAccount } from "../platform-account.ts";
import { ActionsPanel } from "./actions-panel.tsx";
import { ActivityPanel } from "./activity-panel.tsx";
import { ConnectionPanel } from "./connection-panel.tsx";
import { DevicePanel } from "./device-panel.tsx";
import { InstallationsPanel } from "./installations-panel.tsx";
import { Layout } from "./layout.tsx";
import { Notice } from "./notice.tsx";
import type { NoticeCode } from "./notices.ts";

export interface SettingsPageProps {
  /** The platform account this page connects GitHub to, named on the page, its notices and device codes. */
  account: PlatformAccount;
  connection: ConnectionInfo | { ok: false };
  csrfToken: string;
  userTokensEnabled: boolean;
  githubWebUrl: string;
  /** GitHub's avatar host for this deployment (`githubAvatarBase`). */
  avatarBase: string;
  notice?: NoticeCode;
  device?: { handle: string; view: DeviceView };
  /** The installations the page's tenant claimed; `undefined` when they could not be loaded. */
  installations: InstallationCoverage[] | undefined;
  /** Whether the install flow is set up (an App slug, people's tokens on). */
  installEnabled: boolean;
  /** A recent connection of the connected account made through a device code. */
  deviceConnection?: RecentDeviceConnection | undefined;
  /** One page of the person's activity; `undefined` when it could not be loaded. */
  activity: { events: ActivityEvent[]; nextCursor?: string | undefined } | undefined;
  /** The page shows an older page of activity (a `?activity=` cursor). */
  activityPaged: boolean;
}

/**
 * The settings page: which platform account, which GitHub account and in what state, where agents can
 * work, what they did as the person, and the actions (each behind a confirmation page). Plain HTML.
 */
export function SettingsPage(props: SettingsPageProps) {
  const { connection } = props;
  const connected = connection.ok && connection.connected ? connection : undefined;
  const pending = props.device?.view.status === "pending";
  const suspended = (props.installations ?? []).filter((i) => i.suspendedAt !== null);
  return (
    <Layout
      title={`gitcred settings: ${props.account.displayName}`}
      account={props.account}
      {...(pending ? { refreshSeconds: 5 } : {})}
    >
      <h1>Settings for {props.account.displayName}</h1>
      {props.notice === undefined ? null : <Notice code={props.notice} account={props.account} />}
      <ConnectionPanel
        account={props.account}
        connection={connection}
        csrfToken={props.csrfToken}
        userTokensEnabled={props.userTokensEnabled}
        githubWebUrl={props.githubWebUrl}
        avatarBase={props.avatarBase}
        suspended={suspended}
        deviceConnection={props.deviceConnection}
      />
      {props.device === undefined ? null : (
        <DevicePanel handle={props.device.handle} view={props.device.view} account={props.account} />
      )}
      <InstallationsPanel
        installations={props.installations}
        canInstall={props.installEnabled && connected?.status === "active"}
        installEnabled={props.installEnabled}
        csrfToken={props.csrfToken}
      />
      <ActivityPanel
        events={props.activity?.events}
        nextCursor={props.activity?.nextCursor}
        paged={props.activityPaged}
      />
      <ActionsPanel connected={connected !== undefined} />
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
