/**
 * The one stylesheet of every page, served from our own origin (`/assets/settings.css`) so the CSP
 * allows styles from `'self'` and nothing inline: no injected `<style>` or `style=` could restyle a
 * page to hide what it says. Legible system type, states told by words and colour, dark mode through
 * `prefers-color-scheme`, and nothing wider than a 375 px screen (long ids wrap).
 */
export const STYLESHEET = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --card: #f6f8fa; --border: #d1d9e0;
  --link: #0969da; --focus: #0969da;
  --ok: #1a7f37; --ok-bg: #dafbe1; --warn: #7d4e00; --warn-bg: #fff8c5; --bad: #cf222e; --bad-bg: #ffebe9;
  --button: #ffffff; --button-fg: #1f2328; --primary: #1a7f37; --danger: #cf222e; --avatar: #59636e;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --card: #151b23; --border: #3d444d;
    --link: #4493f8; --focus: #4493f8;
    --ok: #3fb950; --ok-bg: #12261e; --warn: #d29922; --warn-bg: #272115; --bad: #f85149; --bad-bg: #25171c;
    --button: #212830; --button-fg: #e6edf3; --primary: #238636; --danger: #b62324; --avatar: #59636e;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  overflow-wrap: anywhere;
}
.wrap { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, summary:focus-visible, .skip:focus {
  outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px;
}
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem 1rem; }
.skip:focus { left: 1rem; }
header.site { border-bottom: 1px solid var(--border); padding: .75rem 0; }
header.site .wrap { display: flex; gap: .75rem; align-items: center; justify-content: space-between; flex-wrap: wrap; }
.brand { font-weight: 600; }
.account { display: flex; gap: .5rem; align-items: center; margin: 0; }
main { padding: 1rem 0 2rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
p { margin: .5rem 0; }
.muted { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: 1rem; margin: 1rem 0; }
.row { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
.avatar {
  position: relative; display: inline-flex; align-items: center; justify-content: center; flex: none;
  width: 48px; height: 48px; border-radius: 50%; overflow: hidden;
  background: var(--avatar); color: #ffffff; font-weight: 600; font-size: 1.25rem;
}
.avatar.small { width: 28px; height: 28px; font-size: .9rem; }
.avatar img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; }
/* A loaded image has no pseudo-elements; a broken one does: it covers the browser's broken-image icon. */
.avatar img::before {
  content: attr(data-initial); position: absolute; inset: 0; display: flex; align-items: center;
  justify-content: center; background: var(--avatar); color: #ffffff;
}
.state { display: inline-block; font-weight: 600; padding: .1rem .5rem; border-radius: 999px; border: 1px solid; }
.state.ok { color: var(--ok); background: var(--ok-bg); }
.state.warn { color: var(--warn); background: var(--warn-bg); }
.state.bad { color: var(--bad); background: var(--bad-bg); }
.notice { padding: .75rem 1rem; border-radius: 6px; border: 1px solid; margin: 1rem 0; }
.notice.success { color: var(--ok); background: var(--ok-bg); }
.notice.error { color: var(--bad); background: var(--bad-bg); }
.notice.warning { color: var(--warn); background: var(--warn-bg); }
.notice p, .notice strong { color: inherit; }
button, .button {
  font: inherit; display: inline-block; padding: .45rem 1rem; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--border); background: var(--button); color: var(--button-fg); text-decoration: none;
  min-height: 2.5rem;
}
button.primary, .button.primary { background: var(--primary); border-color: var(--primary); color: #ffffff; }
button.danger, .button.danger { background: var(--danger); border-color: var(--danger); color: #ffffff; }
form { margin: .5rem 0; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .75rem 0 0; }
.actions form { margin: 0; }
ul.plain, ol.plain { list-style: none; padding: 0; margin: .5rem 0; }
ul.plain > li, ol.plain > li { padding: .6rem 0; border-top: 1px solid var(--border); }
ul.plain > li:first-child, ol.plain > li:first-child { border-top: 0; }
.repos { margin: .25rem 0 0 1.25rem; padding: 0; }
.meta { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: .25rem 0 0; padding: 0; list-style: none; color: var(--muted); font-size: .9rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
code.user-code { font-size: 1.6rem; letter-spacing: .15em; }
.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: .75rem; }
footer.site { border-top: 1px solid var(--border); padding: 1rem 0; color: var(--muted); font-size: .9rem; }
`;
