// Real headless Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by
// playwright-core (never a downloaded browser). Missing Chromium skips the browser tests locally
// and fails them in CI.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') throw new Error(`CI=true but Chromium is missing at ${CHROMIUM}: install it (apt-get install -y chromium)`);
export const skipBrowser = available ? false : `Chromium not found at ${CHROMIUM} (apt-get install -y chromium); browser tests skipped`;

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

export type PageOptions = { dark?: boolean; width?: number; js?: boolean; bypassCSP?: boolean };

export async function newPage(browser: Browser, opts: PageOptions = {}): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: 900 },
    colorScheme: opts.dark ? 'dark' : 'light',
    javaScriptEnabled: opts.js ?? true,
    bypassCSP: opts.bypassCSP ?? true,
  });
  return ctx.newPage();
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical findings on the page as it is now (needs a page with the CSP bypassed). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run();
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
