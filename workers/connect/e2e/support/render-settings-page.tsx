/** @jsxImportSource hono/jsx */
/**
 * The settings page's own view rendered in Node, for a state the suite cannot reach on its own yet: the
 * e2e test serves it on the suite's origin under the page's real CSP, so Chromium, axe-core and the
 * 375 px check see exactly what `/settings` would answer in that state.
 */
import { SettingsPage, type SettingsPageProps } from "../../src/views/settings-page.tsx";

/** The page's HTML for `props`. */
export async function renderSettingsPage(props: SettingsPageProps): Promise<string> {
  return String(await (<SettingsPage {...props} />).toString());
}
