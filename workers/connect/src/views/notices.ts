/** Result codes the settings page shows after a redirect (`/settings?github=<code>`). */
export const NOTICES = {
  connected: { kind: "success", text: "GitHub is connected." },
  disconnected: { kind: "success", text: "GitHub is disconnected and gitcred's access was revoked." },
  disconnected_locally: {
    kind: "success",
    text: "GitHub is disconnected here. GitHub could not be reached to revoke the grant; you can revoke it in your GitHub settings.",
  },
  access_denied: { kind: "error", text: "You did not authorize gitcred on GitHub. Nothing was changed." },
  invalid_state: {
    kind: "error",
    text: "That sign-in link is not valid here (used already, or from another browser). Please try again.",
  },
  expired_state: { kind: "error", text: "That sign-in took too long. Please try again." },
  account_in_use: { kind: "error", text: "That GitHub account is already connected to another user." },
  github_unavailable: { kind: "error", text: "GitHub could not be reached. Please try again in a minute." },
  // Our side (the database, or a change already under way), not GitHub's: the page must not blame GitHub.
  try_again: { kind: "error", text: "gitcred could not finish that just now. Please try again in a minute." },
  bad_verification_code: { kind: "error", text: "GitHub did not accept the sign-in. Please try again." },
  disabled: { kind: "error", text: "Connecting a personal GitHub account is turned off." },
  device_denied: { kind: "error", text: "The device sign-in was denied." },
  device_expired: { kind: "error", text: "The device code expired. Start again to get a new one." },
  csrf: { kind: "error", text: "The form expired. Please try again." },
  installation_claimed: {
    kind: "success",
    text: "The installation is added: agents can now work on its repositories.",
  },
  installation_not_visible: {
    kind: "error",
    text: "Your GitHub account cannot see that installation, so it was not added.",
  },
  install_state_invalid: {
    kind: "error",
    text: "That installation did not start from this page (or was already finished). Start it here again.",
  },
  install_not_configured: {
    kind: "error",
    text: "Installing the GitHub App is not set up on this deployment.",
  },
  install_needs_connection: {
    kind: "error",
    text: "Connect your GitHub account first: gitcred checks with it that you can see the installation.",
  },
  install_cancelled: {
    kind: "error",
    text: "The installation was not finished on GitHub. Nothing was added.",
  },
  sessions_ended: {
    kind: "success",
    text: "Every active agent session of this account was ended: none of them can get a credential any more.",
  },
  sessions_end_failed: {
    kind: "error",
    text: "The sessions could not all be ended just now. Please try again in a minute.",
  },
  delete_failed: {
    kind: "error",
    text: "Your data could not be deleted just now; nothing is half done that a retry would not finish. Please try again in a minute.",
  },
  error: { kind: "error", text: "Something went wrong. Please try again." },
} as const;

export type NoticeCode = keyof typeof NOTICES;

export function isNoticeCode(value: unknown): value is NoticeCode {
  return typeof value === "string" && Object.hasOwn(NOTICES, value);
}
