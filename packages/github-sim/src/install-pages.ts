/**
 * The pages of the App installation flow (`/apps/{slug}/installations/new`): the account chooser with
 * one form per account, and the "Installed" / "Configured" pages shown when the App has no setup URL
 * (or does not redirect on update). Every value is escaped; inputs carry stable names and ids.
 */
import { appPagesPrefix, type SimFlavor } from "./flavor.ts";
import { escapeHtml as e } from "./http.ts";
import { hidden, layout } from "./pages.ts";
import type { SimAccount, SimApp, SimInstallation, SimRepo } from "./types.ts";

/** An account the signed-in person may install the App on, its repositories and current installation. */
export interface InstallTarget {
  account: SimAccount;
  repos: SimRepo[];
  installation: SimInstallation | undefined;
}

/** Where the install forms post (and the sign-in form of the flow): `/github-apps/...` on GHES. */
export function installPath(app: SimApp, flavor: SimFlavor): string {
  return `${appPagesPrefix(flavor)}/${encodeURIComponent(app.slug)}/installations/new`;
}

function targetForm(
  flavor: SimFlavor,
  app: SimApp,
  user: SimAccount,
  t: InstallTarget,
  carried: Record<string, string>,
): string {
  const { account, repos, installation } = t;
  const id = account.id;
  const selected = installation?.repositorySelection === "selected";
  const chosen = new Set(installation?.repositoryIds ?? []);
  const verb = installation ? "Configure" : "Install";
  const whose = account.id === user.id ? "your personal account" : "organization";
  const boxes = repos
    .map(
      (r) =>
        `<li><label><input type="checkbox" name="repository_ids" value="${r.id}" id="repo-${id}-${r.id}"${
          selected && chosen.has(r.id) ? " checked" : ""
        }> ${e(account.login)}/${e(r.name)}</label></li>`,
    )
    .join("");
  return `<section class="target" id="target-${id}">
<h2>${e(account.login)} <span class="muted">(${whose}${installation ? ", installed" : ""})</span></h2>
<form method="post" action="${e(installPath(app, flavor))}" data-target="${e(account.login)}">${hidden({
    ...carried,
    target_id: String(id),
  })}
<fieldset><legend>Repository access</legend>
<label><input type="radio" name="repository_selection" value="all" id="selection-all-${id}"${
    selected ? "" : " checked"
  }> All repositories</label><br>
<label><input type="radio" name="repository_selection" value="selected" id="selection-selected-${id}"${
    selected ? " checked" : ""
  }> Only select repositories</label>
${repos.length ? `<ul class="repos">${boxes}</ul>` : `<p class="muted">No repositories.</p>`}
</fieldset>
<p><button type="submit" class="primary" name="sim_action" value="install" id="install-${id}">${verb}</button></p>
</form></section>`;
}

/** "Install <App>": one form per account the person may install on; "Configure" where it is installed. */
export function installPage(
  flavor: SimFlavor,
  app: SimApp,
  user: SimAccount,
  targets: InstallTarget[],
  carried: Record<string, string>,
): Response {
  return layout(
    `Install ${app.name}`,
    `<h1 id="title">Install ${e(app.name)}</h1>
<p>Signed in as <strong id="signed-in-as">${e(user.login)}</strong>.</p>
<p class="muted">Where do you want to install ${e(app.name)}?</p>
${targets.map((t) => targetForm(flavor, app, user, t, carried)).join("\n")}`,
  );
}

/** Shown after installing or configuring when the App does not redirect to a setup URL. */
export function installedPage(
  app: SimApp,
  account: SimAccount,
  installation: SimInstallation,
  action: "install" | "update",
): Response {
  const title = action === "install" ? "Installed" : "Configured";
  return layout(
    title,
    `<h1 id="result">${title}</h1>
<p>${e(app.name)} is ${action === "install" ? "installed" : "configured"} on <strong id="installed-on">${e(
      account.login,
    )}</strong>.</p>
<p class="muted">Installation <span id="installation-id">${installation.id}</span>, repository access: <span id="repository-selection">${
      installation.repositorySelection === "all" ? "All repositories" : "Only select repositories"
    }</span>.</p>`,
  );
}
