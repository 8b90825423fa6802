// End-to-end journeys in real headless Chromium (Debian's /usr/bin/chromium via playwright-core)
// against a running server with the demo corpus; axe-core checks accessibility on every page kind.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../src/web/app.ts';
import { axeViolations, launchChromium, newPage as openPage, type PageOptions, skipBrowser as skip } from './chromium.ts';
import { testDeps } from './helpers.ts';

const SCREENSHOT = join(import.meta.dirname, '..', 'docs', 'screenshot.png');

describe('in Chromium', { skip }, () => {
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;

  before(async () => {
    const app = await buildApp(await testDeps({ DEMO_DATA: 'true' }));
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    close = async () => {
      await browser.close();
      await app.close();
    };
  });
  after(() => close());

  // CSP bypassed: lets the test inject axe-core; the site's own CSP is asserted in the web tests.
  const newPage = (opts: PageOptions = {}): Promise<Page> => openPage(browser, opts);

  it('reads the daily page, goes to the previous day, opens a paper, searches', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    assert.equal(await page.locator('h1').first().textContent(), 'Daily Papers');
    assert.equal(await page.locator('.period-title').textContent(), 'Jul 1, 2026');
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    await page.click('a.prev-period');
    await page.waitForURL(`${base}/papers/date/2026-06-30`);
    assert.equal(await page.locator('.period-title').textContent(), 'Jun 30, 2026');

    const first = page.locator('ol.cards h3 a').first();
    const title = (await first.textContent())!.trim();
    await first.click();
    await page.waitForURL(/\/papers\/\d{4}\.\d{5}$/);
    assert.equal((await page.locator('h1').textContent())!.trim(), title);
    assert.ok((await page.locator('.similar ol.cards > li').count()) > 0);

    await page.fill('#site-q', 'trust region policy optimization');
    await page.press('#site-q', 'Enter');
    await page.waitForURL(/\/search\?q=trust\+region\+policy\+optimization/);
    assert.ok((await page.locator('ol.cards > li').count()) > 0);
    assert.ok((await page.locator('ol.cards mark').count()) > 0);
    await page.context().close();
  });

  /** A new page of the site at `at` with `text` typed in the search box, once its options show. */
  const typed = async (text: string, at = base) => {
    const page = await newPage();
    await page.goto(`${at}/`);
    await page.fill('#site-q', text);
    const options = page.locator('#site-q-suggestions [role=option]');
    await options.first().waitFor();
    return { page, options };
  };

  it('suggests papers as you type, by keyboard', async () => {
    const { page, options } = await typed('splatting');
    assert.ok((await options.count()) > 0);
    assert.equal(await page.getAttribute('#site-q', 'aria-expanded'), 'true');
    const title = (await options.first().textContent())!;
    await page.press('#site-q', 'ArrowDown');
    assert.equal(await options.first().getAttribute('aria-selected'), 'true');
    await page.press('#site-q', 'Enter');
    await page.waitForURL(/\/papers\/\d{4}\.\d{5}$/);
    assert.equal((await page.locator('h1').textContent())!.trim(), title.trim());
    await page.context().close();
  });

  it('completes the word being typed, and offers its search first', async () => {
    const { page, options } = await typed('gaussian splat');
    assert.equal((await options.first().textContent())!.trim(), 'Search gaussian splatting');
    assert.match((await options.nth(1).textContent())!, /splatting/i);
    await page.press('#site-q', 'ArrowDown');
    await page.press('#site-q', 'Enter');
    await page.waitForURL(/\/search\?q=gaussian%20splatting$/);
    assert.ok((await page.locator('ol.cards mark').count()) > 0);
    // A space ends the word: "learn " is not completed, "learn" is.
    await page.fill('#site-q', 'reinforcement learn');
    await page.locator('#site-q-suggestions .completion').waitFor();
    await page.fill('#site-q', 'reinforcement learn ');
    await page.locator('#site-q-suggestions .completion').waitFor({ state: 'detached' });
    assert.ok((await options.count()) > 0);
    await page.context().close();
  });

  it('goes to the search box on "/", except while typing in a field', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'site-q');
    assert.equal(await page.inputValue('#site-q'), '', 'the slash is not typed into it');
    // In a field the slash is a character like any other.
    await page.fill('#cta-email', '');
    await page.focus('#cta-email');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cta-email');
    assert.equal(await page.inputValue('#cta-email'), '/');
    // The search page's own box comes first.
    await page.goto(`${base}/search?q=diffusion`);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'q');
    await page.context().close();
  });

  it('shows the math of titles it suggests', async () => {
    const { page, options } = await typed('SALMONN');
    const first = options.first();
    assert.equal(await first.locator('math').count(), 1);
    assert.doesNotMatch((await first.textContent())!, /\$/);
    await page.context().close();
  });

  it('offers the spelling papers use for a word none has, as you type', async () => {
    const deps = await testDeps({ DEMO_DATA: 'true', EMBEDDER: '' }); // the bundled model: its words spell
    await deps.search.semantic!.embedPending();
    const app = await buildApp(deps);
    const at = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { page, options } = await typed('difusion', at);
      const first = options.first();
      assert.equal(await first.textContent(), 'Did you mean: diffusion');
      await page.press('#site-q', 'ArrowDown');
      await page.press('#site-q', 'Enter');
      await page.waitForURL(/\/search\?q=diffusion$/);
      assert.ok((await page.locator('ol.cards mark').count()) > 0);
      await page.context().close();
    } finally {
      await deps.search.semantic!.close();
      await app.close();
    }
  });

  it('renders math with KaTeX', async () => {
    const page = await newPage();
    await page.goto(`${base}/papers/2606.28471`);
    const katex = page.locator('.abstract-full .katex');
    assert.ok((await katex.count()) > 0);
    const box = await katex.first().boundingBox();
    assert.ok(box && box.width > 0 && box.height > 0, 'rendered math has a size');
    await page.context().close();
  });

  it('works without JavaScript', async () => {
    const page = await newPage({ js: false });
    await page.goto(`${base}/papers/week/2026-W26`);
    assert.equal(await page.locator('ol.cards > li').count(), 30);
    await page.click('a.next-period');
    await page.waitForURL(`${base}/papers/week/2026-W27`);
    await page.click('text=Next page');
    await page.waitForURL(`${base}/papers/week/2026-W27?p=1`);
    await page.context().close();
  });

  it('fits a phone screen and switches theme', async () => {
    const page = await newPage({ width: 375 });
    for (const path of ['/', '/papers/2606.28471', '/search?q=diffusion', '/api/docs']) {
      await page.goto(`${base}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} overflows a 375 px screen by ${overflow} px`);
    }
    const toggle = page.locator('.theme-toggle');
    await toggle.click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.reload();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'the choice is remembered');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(13, 17, 23)');
    await page.context().close();
  });

  it('keeps the header on one row on a laptop screen', async () => {
    for (const width of [1024, 1280]) {
      const page = await newPage({ width });
      await page.goto(`${base}/`);
      const middles = await page.evaluate(() =>
        Array.from(document.querySelectorAll('header.site .bar > *')).map((e) => {
          const r = e.getBoundingClientRect();
          return (r.top + r.bottom) / 2;
        }),
      );
      assert.ok(middles.length >= 5, 'brand, views, search, theme and account are all there');
      const spread = Math.max(...middles) - Math.min(...middles);
      assert.ok(spread < 10, `at ${width} px the header's items sit on one row (their middles: ${middles.map(Math.round).join(', ')} px)`);
      await page.context().close();
    }
  });

  it('has no serious or critical accessibility violations, light and dark', async () => {
    const paths = [
      '/', '/papers/week/2026-W26', '/papers/month/2026-06', '/trending', '/papers/2606.28471', '/search?q=diffusion',
      '/search?q=', '/orgs/google', '/subscribe', '/about', '/api/docs', '/no-such-page', '/login', '/signup', '/reset', '/login/link',
    ];
    const found: string[] = [];
    for (const dark of [false, true]) {
      const page = await newPage({ dark });
      for (const path of paths) {
        await page.goto(`${base}${path}`);
        for (const v of await axeViolations(page)) found.push(`${dark ? 'dark' : 'light'} ${path}: ${v}`);
      }
      await page.context().close();
    }
    assert.deepEqual(found, []);
  });
});
