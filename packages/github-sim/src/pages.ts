/**
 * The HTML pages of the web flows (authorize, sign-in, device code entry and confirmation). Plain,
 * accessible markup: buttons and inputs carry stable names and ids for browser tests.
 */
import { escapeHtml as e } from "./http.ts";
import type { SimAccount, SimApp } from "./types.ts";

/** Wraps page content in the simulator's layout. */
export function layout(title: string, body: string, status = 200): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)} · GitHub (simulator)</title>
<style>
body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;background:#f6f8fa;color:#1f2328;margin:0}
header{background:#24292f;color:#fff;padding:12px 24px;font-weight:600}
header small{font-weight:400;opacity:.7;margin-left:8px}
main{max-width:480px;margin:40px auto;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:24px}
h1{font-size:20px;margin-top:0} .muted{color:#59636e;font-size:14px}
button,input[type=submit]{font-size:14px;padding:6px 16px;border-radius:6px;border:1px solid #d0d7de;cursor:pointer;margin-right:8px}
.primary{background:#1f883d;color:#fff;border-color:#1f883d} .danger{background:#fff;color:#d1242f}
input[type=text],select{font-size:18px;padding:6px;width:100%;box-sizing:border-box;margin:8px 0 16px}
.code{font-family:ui-monospace,monospace;letter-spacing:2px}
</style></head>
<body><header>GitHub <small>simulator — not github.com</small></header><main>${body}</main></body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

/** Hidden inputs carrying `params` through a form. */
export function hidden(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${e(k)}" value="${e(v)}">`)
    .join("");
}

/** A page stating an error (unknown client, bad parameters). */
export function errorPage(title: string, message: string, status = 400): Response {
  return layout(title, `<h1>${e(title)}</h1><p id="error">${e(message)}</p>`, status);
}

/** Sign-in page: pick one of the seeded people. `action` is where the form posts. */
export function signInPage(
  action: string,
  people: SimAccount[],
  params: Record<string, string>,
  signedIn?: string,
): Response {
  const options = people.map(
    (p) =>
      `<option value="${e(p.login)}"${p.login === signedIn ? " selected" : ""}>${e(p.login)}${p.name ? ` (${e(p.name)})` : ""}</option>`,
  );
  return layout(
    "Sign in",
    `<h1>Sign in to GitHub</h1>
<p class="muted">The simulator has no passwords: choose who is signed in.</p>
<form method="post" action="${e(action)}">${hidden(params)}
<input type="hidden" name="sim_action" value="signin">
<label for="login">Username</label>
<select id="login" name="login">${options.join("")}</select>
<button type="submit" class="primary" id="sign-in" name="sign_in">Sign in</button>
</form>`,
  );
}

/** The "Authorize <app>" page with Authorize and Cancel buttons. */
export function authorizePage(
  app: SimApp,
  user: SimAccount,
  redirectTo: string,
  params: Record<string, string>,
): Response {
  return layout(
    `Authorize ${app.name}`,
    `<h1 id="title">Authorize ${e(app.name)}</h1>
<p>Signed in as <strong id="signed-in-as">${e(user.login)}</strong>.</p>
<p class="muted">${e(app.name)} by <strong>${e(app.slug)}</strong> would like permission to verify your GitHub identity
and to act on your behalf on repositories where it is installed.</p>
<p class="muted">Authorizing will redirect to <span id="redirect-to">${e(redirectTo)}</span></p>
<form method="post" action="/login/oauth/authorize">${hidden(params)}
<button type="submit" class="danger" name="sim_action" value="deny" id="js-oauth-authorize-cancel">Cancel</button>
<button type="submit" class="primary" name="sim_action" value="approve" id="js-oauth-authorize-btn">Authorize ${e(app.name)}</button>
</form>`,
  );
}

/** Device activation: enter the user code. */
export function deviceEntryPage(user: SimAccount, message: string | null): Response {
  return layout(
    "Device Activation",
    `<h1>Device Activation</h1>
<p>Signed in as <strong id="signed-in-as">${e(user.login)}</strong>.</p>
${message ? `<p id="error" role="alert">${e(message)}</p>` : ""}
<form method="post" action="/login/device">
<label for="user-code">Enter the code displayed on your device</label>
<input type="text" id="user-code" name="user_code" class="code" autocomplete="off" placeholder="XXXX-XXXX" maxlength="9">
<button type="submit" class="primary" id="continue" name="sim_action" value="continue">Continue</button>
</form>`,
  );
}

/** Device activation: authorize the App for the entered code. */
export function deviceConfirmPage(app: SimApp, user: SimAccount, userCode: string): Response {
  return layout(
    `Authorize ${app.name}`,
    `<h1 id="title">Authorize ${e(app.name)}</h1>
<p>Signed in as <strong id="signed-in-as">${e(user.login)}</strong>.</p>
<p>Device code <span class="code" id="user-code-shown">${e(userCode)}</span></p>
<form method="post" action="/login/device/confirm">${hidden({ user_code: userCode })}
<button type="submit" class="danger" name="sim_action" value="deny" id="device-cancel">Cancel</button>
<button type="submit" class="primary" name="sim_action" value="approve" id="device-authorize">Authorize ${e(app.name)}</button>
</form>`,
  );
}

/** Final page of the device flow. */
export function deviceDonePage(approved: boolean): Response {
  return approved
    ? layout(
        "Congratulations",
        `<h1 id="result">Congratulations, you're all set!</h1><p>Your device is now connected.</p>`,
      )
    : layout("Access denied", `<h1 id="result">Access denied</h1><p>The device was not authorized.</p>`);
}
