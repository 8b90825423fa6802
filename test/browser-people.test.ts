// The people side in real headless Chromium: a whole journey (sign up, confirm through a real SMTP
// listener, upvote in place, submit, comment, log out), and a corpus of XSS payloads placed in every
// kind of user-provided text, none of which may run. The CSP is bypassed here so that escaping
// alone is what is tested (the CSP is a second wall, asserted in the web tests).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Deps } from '../src/deps.ts';
import { createDeps } from '../src/main.ts';
import { createOrganization } from '../src/people/organizations.ts';
import { postComment } from '../src/people/comments.ts';
import { startSession } from '../src/people/accounts.ts';
import { buildApp } from '../src/web/app.ts';
import { axeViolations, launchChromium, newPage, skipBrowser } from './chromium.ts';
import { FIXTURES, fixedClock, paper, silentLog, testConfig } from './helpers.ts';
import { linkIn, type MailSink, startMailSink } from './mail-sink.ts';
import { type Replay, startReplay } from './replay-server.ts';

const atom = readFileSync(join(FIXTURES, 'arxiv-api-query.atom.xml'), 'utf8');
const entry = atom.match(/<entry>[\s\S]*?<\/entry>/g)!.find((e) => e.includes('abs/2605.30380v'))!;

/** Each sets window.__xss or opens a dialog if it ever runs. */
const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '"><svg onload=window.__xss=1>',
  "' onmouseover='window.__xss=1' x='",
  '</title><script>alert(1)</script>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<a href="javascript:window.__xss=1">click</a>',
  '$\\href{javascript:window.__xss=1}{x}$',
  '<style>body{display:none}</style>',
  '{{constructor.constructor("window.__xss=1")()}}',
];
const MARKDOWN_PAYLOADS = ['[click](javascript:window.__xss=1)', '![x](x" onerror="window.__xss=1)', '<details open ontoggle=window.__xss=1>'];

describe('people in Chromium', { skip: skipBrowser }, () => {
  let browser: Browser;
  let base: string;
  let deps: Deps;
  let sink: MailSink;
  let arxiv: Replay;
  let close: () => Promise<void>;

  before(async () => {
    sink = await startMailSink();
    arxiv = await startReplay([{ match: (u) => u.searchParams.get('id_list') === '2605.30380', replies: [{ body: `${atom.slice(0, atom.indexOf('<entry>'))}${entry}\n</feed>\n` }] }]);
    deps = await createDeps(
      testConfig({ SMTP_URL: sink.url, ARXIV_API_URL: `${arxiv.url}/api/query`, ARXIV_DELAY_MS: '0', RATE_LIMIT_FACTOR: '100' }),
      fixedClock('2026-06-10T12:00:00Z'),
      silentLog,
    );
    const now = '2026-06-10T12:00:00.000Z';
    await deps.store.transaction((tx) =>
      tx.papers.upsertMany(
        [
          paper({ id: '2606.30001', title: 'A paper worth reading: $x^2$', featuredDate: '2026-06-09', upvotes: 4 }),
          ...PAYLOADS.map((x, i) => paper({ id: `2606.3${String(100 + i).padStart(4, '0')}`, title: `Title ${x}`, abstract: `Abstract ${x} end`, authors: [`Author ${x}`, 'Ada Lovelace'], featuredDate: '2026-06-08' })),
        ],
        now,
      ),
    );
    const app = await buildApp(deps);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    close = async () => {
      await browser.close();
      await app.close();
      await deps.mail.idle();
      await sink.close();
      await arxiv.close();
    };
  });
  after(() => close());

  it('signs up, confirms by mail, upvotes in place, submits, comments and logs out', async () => {
    const page = await newPage(browser, { bypassCSP: false });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${base}/`);
    await page.click('text=Sign up');
    await page.fill('#f-email', 'journey@example.org');
    await page.fill('#f-password', 'correct horse battery staple');
    await page.fill('#f-handle', 'journey');
    await page.click('form.form button[type=submit]');
    await page.locator('h1', { hasText: 'Check your inbox' }).waitFor();

    const mail = await sink.waitFor('journey@example.org');
    const link = new URL(linkIn(mail, '/verify')); // PUBLIC_URL is not this test server's address
    await page.goto(`${base}${link.pathname}${link.search}`);
    await page.click('text=Confirm my address');
    await page.waitForURL(`${base}/`);
    await page.locator('.account', { hasText: 'journey' }).waitFor();
    const middles = await page.evaluate(() =>
      Array.from(document.querySelectorAll('header.site .bar > *')).map((e) => (e.getBoundingClientRect().top + e.getBoundingClientRect().bottom) / 2),
    );
    assert.ok(Math.max(...middles) - Math.min(...middles) < 10, `signed in, the header keeps one row (middles: ${middles.map(Math.round).join(', ')})`);

    await page.goto(`${base}/papers/date/2026-06-09`);
    const control = page.locator('form[data-vote][action="/papers/2606.30001/upvote"] button');
    assert.equal(await control.getAttribute('aria-pressed'), 'false');
    await control.click();
    await page.waitForFunction(() => document.querySelector('form[data-vote][action="/papers/2606.30001/upvote"] button')?.getAttribute('aria-pressed') === 'true');
    assert.match((await control.textContent())!, /5/);
    assert.equal(page.url(), `${base}/papers/date/2026-06-09`, 'voted in place, no page load');
    assert.equal((await deps.store.papers.byId('2606.30001'))?.upvotes, 5);

    await page.click('header a[href="/submit"]');
    await page.fill('#f-id', 'https://arxiv.org/abs/2605.30380');
    await page.click('form.form button[type=submit]');
    await page.waitForURL(`${base}/papers/2605.30380`);
    await page.locator('.paper-meta .submitted-by', { hasText: 'journey' }).waitFor();

    await page.fill('#new-comment', 'Great *paper*: $\\alpha + \\beta$');
    await page.click('text=Post comment');
    await page.waitForURL(/#comment-\d+$/);
    const body = page.locator('.comment .comment-body').first();
    assert.equal(await body.locator('em').textContent(), 'paper');
    assert.ok((await body.locator('.katex').count()) > 0, 'math in the comment is rendered');

    // Log out sits in the account menu: it opens on a click, and a click elsewhere or Escape closes it.
    const menu = page.locator('details.menu');
    await menu.locator('summary').click();
    assert.equal(await menu.getAttribute('open'), '');
    await page.keyboard.press('Escape');
    assert.equal(await menu.getAttribute('open'), null, 'Escape closes the menu');
    await menu.locator('summary').click();
    await page.click('h1');
    assert.equal(await menu.getAttribute('open'), null, 'a click elsewhere closes it');
    await menu.locator('summary').click();
    await page.click('text=Log out');
    await page.waitForURL(`${base}/`);
    await page.locator('.account', { hasText: 'Log in' }).waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('has no serious or critical accessibility violations on signed-in pages', async () => {
    const user = (await deps.store.users.create({ email: 'a11y@example.org', handle: 'a11y', displayName: 'A11y Tester', passwordHash: null, now: '2026-06-10T12:00:00.000Z' }))!;
    const s = await startSession(deps, { ...user, role: 'admin' }, { ip: '127.0.0.1', userAgent: 'test' });
    await deps.store.users.setRole(user.id, 'admin');
    await postComment(deps, user, '2606.30001', 'A *comment* with $x$');
    const found: string[] = [];
    for (const dark of [false, true]) {
      const page = await newPage(browser, { dark });
      await page.context().addCookies([{ name: 'pb_session', value: s.sessionToken, url: base }]);
      for (const path of ['/', '/papers/2606.30001', '/settings', '/submit', '/admin', '/users/a11y', '/orgs/new']) {
        await page.goto(`${base}${path}`);
        for (const v of await axeViolations(page)) found.push(`${dark ? 'dark' : 'light'} ${path}: ${v}`);
      }
      await page.context().close();
    }
    assert.deepEqual(found, []);
  });

  it('never runs an XSS payload from titles, abstracts, authors, organizations, names, comments or queries', async () => {
    const now = new Date('2026-06-10T12:00:00Z');
    const user = (await deps.store.users.create({ email: 'xss@example.org', handle: 'xss-user', displayName: PAYLOADS[1]!, passwordHash: null, now: now.toISOString() }))!;
    await deps.store.users.markVerified(user.id, now.toISOString());
    const verified = { ...user, emailVerified: true };
    const org = await createOrganization(deps, verified, 'xss-org', PAYLOADS[2]!);
    assert.ok(org.ok);
    await deps.store.moderation.setPaperOrganization('2606.30100', 'xss-org');
    for (const x of [...PAYLOADS, ...MARKDOWN_PAYLOADS]) assert.ok((await postComment(deps, verified, '2606.30100', `Comment ${x}`)).ok);
    const session = await startSession(deps, verified, { ip: '127.0.0.1', userAgent: 'test' });

    const pages = [
      '/papers/date/2026-06-08', '/papers/2606.30100', '/papers/2606.30104', `/authors/${encodeURIComponent(`Author ${PAYLOADS[0]}`)}`,
      '/orgs/xss-org', '/users/xss-user', `/search?q=${encodeURIComponent(PAYLOADS[1]!)}`, `/search?q=${encodeURIComponent('Title')}`, '/trending',
    ];
    for (const signedIn of [false, true]) {
      const page: Page = await newPage(browser, { bypassCSP: true });
      if (signedIn) await page.context().addCookies([{ name: 'pb_session', value: session.sessionToken, url: base }]);
      const dialogs: string[] = [];
      page.on('dialog', async (d) => {
        dialogs.push(d.message());
        await d.dismiss();
      });
      for (const path of pages) {
        await page.goto(`${base}${path}`);
        await page.mouse.move(200, 300); // hover payloads get their chance
        const ran = await page.evaluate(() => (window as unknown as { __xss?: number }).__xss);
        assert.equal(ran, undefined, `a payload ran on ${path}${signedIn ? ' (signed in)' : ''}`);
        assert.ok(await page.locator('body').isVisible(), `a style payload hid ${path}`);
      }
      // The payloads are shown as text, not dropped.
      await page.goto(`${base}/papers/2606.30100`);
      assert.match((await page.locator('h1').textContent())!, /<script>window.__xss=1<\/script>/);
      assert.ok((await page.locator('.comment-body', { hasText: '<img src=x onerror=' }).count()) > 0);
      assert.equal(await page.locator('a[href^="javascript:"]').count(), 0);
      assert.deepEqual(dialogs, []);
      await page.context().close();
    }
  });
});
