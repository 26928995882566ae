import type { InstallationCoverage } from "@gitcred/client";
import { Csrf } from "./notice.tsx";

/** What one installation lets agents reach: every repository of the account, or the listed ones. */
function Coverage(props: { installation: InstallationCoverage }) {
  const { installation } = props;
  if (installation.repositorySelection === "all") {
    return (
      <p data-selection="all">
        All repositories of {installation.accountLogin ?? "the account"}, now and later.
      </p>
    );
  }
  if (installation.repositorySelection === null) {
    return <p class="muted">gitcred has not seen which repositories it covers yet.</p>;
  }
  return (
    <div data-selection="selected">
      <p>Only these repositories:</p>
      {installation.repositories.length === 0 ? (
        <p class="muted">None recorded yet (GitHub reports them as they are added).</p>
      ) : (
        <ul class="repos">
          {installation.repositories.map((name) => (
            <li data-repository={name}>
              <code>{name}</code>
            </li>
          ))}
        </ul>
      )}
      {installation.repositoriesTruncated ? <p class="muted">And more.</p> : null}
    </div>
  );
}

/**
 * Where agents can work as the app: the installations this page's tenant claimed, what each covers,
 * and the install flow (through gitcred's own state, so the claim is checked) to add or change them.
 */
export function InstallationsPanel(props: {
  installations: InstallationCoverage[] | undefined;
  canInstall: boolean;
  installEnabled: boolean;
  csrfToken: string;
}) {
  const { installations } = props;
  return (
    <section class="card" aria-labelledby="installations-title">
      <h2 id="installations-title">Where agents can work as the app</h2>
      {installations === undefined ? (
        <p role="alert">The installations could not be loaded right now. Please reload in a minute.</p>
      ) : installations.length === 0 ? (
        <p data-claims="0">No installation of the GitHub App is added for this account yet.</p>
      ) : (
        <ul class="plain" data-claims={String(installations.length)}>
          {installations.map((installation) => (
            <li data-installation-id={String(installation.installationId)}>
              <p class="row">
                <strong>{installation.accountLogin ?? `installation ${installation.installationId}`}</strong>
                {installation.accountType === null ? null : (
                  <span class="muted">
                    {installation.accountType === "Organization" ? "organisation" : "user"}
                  </span>
                )}
                {installation.suspendedAt === null ? (
                  <span class="state ok">Active</span>
                ) : (
                  <span class="state bad" data-suspended>
                    Suspended
                  </span>
                )}
              </p>
              <Coverage installation={installation} />
            </li>
          ))}
        </ul>
      )}
      {props.canInstall ? (
        <form method="post" action="/github/install">
          <Csrf token={props.csrfToken} />
          <button type="submit">Install the GitHub App on more repositories</button>
          <p class="muted">
            On GitHub, choose an account to install on, or one already listed to change which repositories it
            covers.
          </p>
        </form>
      ) : props.installEnabled ? (
        <p class="muted">Connect your GitHub account (active) to install the app through gitcred.</p>
      ) : null}
    </section>
  );
}
