// `wrangler types` runs from the repo root for this worker (its config is the root wrangler.toml), so it
// cannot name the main module; this gives `exports` from "cloudflare:workers" its types.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index.ts");
  }
}
