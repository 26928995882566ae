/**
 * What every state of the settings page must pass in real Chromium: axe-core finds no violation, nothing
 * scrolls sideways at 375 px, the page broke no CSP rule (its stylesheet and avatars are allowed, nothing
 * else was needed), and a screenshot is kept (test-results/settings/, and docs/screenshots/ when
 * GITCRED_SCREENSHOTS=docs, which is how the README's pictures are made).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";

const root = resolve(import.meta.dirname, "../../../..");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const outDirs = [
  join(root, "test-results", "settings"),
  ...(process.env.GITCRED_SCREENSHOTS === "docs" ? [join(root, "docs", "screenshots")] : []),
];
for (const dir of outDirs) mkdirSync(dir, { recursive: true });

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** CSP refusals the page logged (Chromium reports each on the console). */
export function watchCsp(page: Page): string[] {
  const refused: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) refused.push(message.text());
  });
  return refused;
}

/**
 * axe-core inside the page. Evaluated through the DevTools protocol rather than an injected `<script>`:
 * the page's CSP (`default-src 'none'`, no script) refuses an inline script tag, which is the point of it.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

/** Whether every image on the page finished loading (loaded or failed), waited for by condition. */
export async function imagesSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.images].every((image) => image.complete));
}

/** The checks of one state, then its screenshots (light; and dark when asked). */
export async function checkState(page: Page, name: string, options: { dark?: boolean } = {}): Promise<void> {
  await imagesSettled(page);
  await page.setViewportSize({ width: 375, height: 800 });
  const width = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY);
  expect(width, `${name}: scroll width at 375 px`).toBeLessThanOrEqual(375);
  await page.setViewportSize({ width: 960, height: 800 });
  expect(await axeViolations(page), `${name}: axe violations`).toEqual([]);
  for (const dir of outDirs) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  if (options.dark === true) {
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await axeViolations(page), `${name} (dark): axe violations`).toEqual([]);
    for (const dir of outDirs) await page.screenshot({ path: join(dir, `${name}-dark.png`), fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
  }
}
