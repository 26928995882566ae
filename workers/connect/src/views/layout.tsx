import type { Child } from "hono/jsx";

const styles = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { max-width: 42rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
  .card { border: 1px solid #8886; border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
  .row { display: flex; gap: 1rem; align-items: center; }
  .avatar { width: 48px; height: 48px; border-radius: 50%; }
  .notice { padding: .75rem 1rem; border-radius: 6px; border: 1px solid #8888; margin: 1rem 0; }
  .notice.error { border-color: #c33; } .notice.success { border-color: #2a2; }
  .status-active { color: #2a2; } .status-reconnect_required { color: #c60; }
  button { font: inherit; padding: .4rem .9rem; border-radius: 6px; border: 1px solid #888; cursor: pointer; }
  form { display: inline; }
  code.user-code { font-size: 1.6rem; letter-spacing: .15em; }
`;

/** The page shell: no scripts, so everything works as plain HTML forms. */
export function Layout(props: { title: string; children: Child; refreshSeconds?: number }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        {props.refreshSeconds === undefined ? null : (
          <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
        )}
        <title>{props.title}</title>
        <style>{styles}</style>
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
