/**
 * Finds a Chromium that runs here and launches it through playwright-core (which never downloads a
 * browser). In order: `CHROMIUM_PATH`; the system's Chromium or Chrome; Playwright's browser cache; and
 * last the Chromium that ships inside the `@sparticuz/chromium` devDependency, unpacked once into
 * node_modules/.cache. Nothing is downloaded at test time, so a machine with only Node, npm and git runs
 * every browser test. `GITCRED_BROWSER=bundled` skips the machine's browsers (CI uses it to prove that
 * what the project brings is enough).
 *
 * The flags keep Chromium off the network: these machines have none, and background traffic would only
 * fail.
 */
import { spawnSync } from "node:child_process";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress } from "node:zlib";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "..");

/** A browser that answered `--version`, and where it came from (printed by `npm test`). */
export interface FoundChromium {
  path: string;
  source: "CHROMIUM_PATH" | "system" | "playwright-cache" | "bundled";
  version: string;
}

const SYSTEM = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/** The version a binary prints, or undefined when it does not start (a snap stub, missing libraries). */
function versionOf(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const result = spawnSync(path, ["--version", "--headless", "--no-sandbox"], {
    encoding: "utf8",
    timeout: 30_000,
  });
  const line = result.stdout?.trim() ?? "";
  return result.status === 0 && /\d+\.\d+/.test(line) ? line : undefined;
}

/** Chromium builds in Playwright's cache (`npx playwright install` elsewhere), newest first. */
function playwrightCache(): string[] {
  const dirs = [
    process.env.PLAYWRIGHT_BROWSERS_PATH,
    join(homedir(), ".cache", "ms-playwright"),
    join(homedir(), "Library", "Caches", "ms-playwright"),
  ].filter((d): d is string => d !== undefined && d !== "" && existsSync(d));
  const found: string[] = [];
  for (const dir of dirs) {
    for (const entry of readdirSync(dir).sort().reverse()) {
      if (!/^chromium(_headless_shell)?-\d+$/.test(entry)) continue;
      for (const sub of [
        "chrome-linux/chrome",
        "chrome-linux64/chrome",
        "chrome-linux/headless_shell",
        "chrome-headless-shell-linux64/chrome-headless-shell",
      ]) {
        found.push(join(dir, entry, sub));
      }
    }
  }
  return found;
}

/**
 * The Chromium inside `@sparticuz/chromium` (a brotli-compressed Linux x64 build). Unpacked to a temporary
 * name and renamed into place, so test processes starting at once never run a half-written binary.
 */
async function bundled(): Promise<string> {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `no Chromium found, and the bundled one (@sparticuz/chromium) is built for linux-x64, not ${process.platform}-${process.arch}: install Chrome or set CHROMIUM_PATH`,
    );
  }
  // The package's `exports` hide its package.json; the root devDependency is linked here by pnpm.
  const packageDir = realpathSync(join(root, "node_modules", "@sparticuz", "chromium"));
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    version: string;
  };
  const target = join(root, "node_modules", ".cache", "gitcred-chromium", version, "chromium");
  if (existsSync(target)) return target;
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  await pipeline(
    createReadStream(join(packageDir, "bin", "chromium.br")),
    createBrotliDecompress(),
    createWriteStream(partial, { mode: 0o755 }),
  );
  renameSync(partial, target);
  return target;
}

let found: Promise<FoundChromium> | undefined;

/** The browser the tests use (looked up once per process). Throws with what to do when there is none. */
export function findChromium(): Promise<FoundChromium> {
  found ??= (async (): Promise<FoundChromium> => {
    const explicit = process.env.CHROMIUM_PATH;
    if (explicit !== undefined && explicit !== "") {
      const version = versionOf(explicit);
      if (version === undefined)
        throw new Error(`CHROMIUM_PATH=${explicit} does not run (\`--version\` failed)`);
      return { path: explicit, source: "CHROMIUM_PATH", version };
    }
    if (process.env.GITCRED_BROWSER !== "bundled") {
      for (const [source, paths] of [
        ["system", SYSTEM],
        ["playwright-cache", playwrightCache()],
      ] as const) {
        for (const path of paths) {
          const version = versionOf(path);
          if (version !== undefined) return { path, source, version };
        }
      }
    }
    const path = await bundled();
    const version = versionOf(path);
    if (version === undefined)
      throw new Error(`the bundled Chromium at ${path} does not run (\`--version\` failed)`);
    return { path, source: "bundled", version };
  })();
  return found;
}

/** Launches headless Chromium with the machine-independent flags every browser test uses. */
export async function launchChromium(): Promise<Browser> {
  const { path } = await findChromium();
  return chromium.launch({
    executablePath: path,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    headless: true,
  });
}

/**
 * A browser context whose waits end on events only: Playwright's 30 s action and navigation timeouts are
 * off, so a machine busy with the rest of the suite makes a browser test slower, never red. The test's
 * own (vitest) timeout stays the one bound.
 */
export async function eventOnlyContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  context.setDefaultTimeout(0);
  context.setDefaultNavigationTimeout(0);
  return context;
}
