// Email digests end to end on a real SQLite database and a real SMTP listener on loopback:
// double opt-in, the digest of a period with its HTML and text parts and unsubscribe headers,
// never a period or a paper twice, filters, skipped empty days, one-click unsubscribe, signed
// manage links, bouncing addresses, several processes deciding at once, and a sender killed midway.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../src/deps.ts';
import { runDigests } from '../src/jobs/digests.ts';
import { createDeps } from '../src/main.ts';
import { confirmSubscription, subscribe, subscriptionLinks } from '../src/people/subscriptions.ts';
import { buildApp } from '../src/web/app.ts';
import { paper, silentLog, tempDir, testConfig } from './helpers.ts';
import { linkIn, type MailSink, startMailSink } from './mail-sink.ts';
import { WebClient } from './web-client.ts';

let clockMs = Date.parse('2026-06-10T04:00:00Z');
const clock = { now: () => new Date(clockMs) };
let sink: MailSink;
let deps: Deps;
let app: FastifyInstance;
let dbUrl: string;

const day = (iso: string) => Date.parse(iso);
const settings = { frequency: 'daily', weekday: '1', hour: '7', timeZone: 'Europe/Paris', query: '' };

before(async () => {
  sink = await startMailSink();
  dbUrl = `sqlite:${join(tempDir(), 'digests.db')}`;
  deps = await createDeps(testConfig({ DATABASE_URL: dbUrl, SMTP_URL: sink.url, RATE_LIMIT_FACTOR: '1000', PUBLIC_URL: 'https://papers.example.org' }), clock, silentLog);
  await deps.store.transaction((tx) =>
    tx.papers.upsertMany(
      [
        paper({ id: '2606.40001', title: 'Robots that grasp with $\\alpha$-blending', abstract: 'We bound the error by $O(n^2)$ and show $\\epsilon \\leq 0.1$.', categories: ['cs.RO'], featuredDate: '2026-06-09', upvotes: 30 }),
        paper({ id: '2606.40002', title: 'Seeing depth in images', categories: ['cs.CV', 'cs.RO'], featuredDate: '2026-06-09', upvotes: 20 }),
        paper({ id: '2606.40003', title: 'Language models that plan', categories: ['cs.CL'], featuredDate: '2026-06-10', upvotes: 10 }),
        paper({ id: '2606.30009', title: 'An old paper', categories: ['cs.RO'], featuredDate: '2026-05-01', upvotes: 99 }),
      ],
      clock.now().toISOString(),
    ),
  );
  app = await buildApp(deps);
});
after(async () => {
  await app.close();
  await deps.mail.idle();
  await sink.close();
});

describe('subscribing', () => {
  it('takes an address from the header, sends a confirmation link, and starts only when it is followed', async () => {
    const c = new WebClient(app, '10.1.0.1');
    const home = await c.get('/');
    assert.match(home.body, /<form class="cta-form" method="get" action="\/subscribe">/);
    const form = await c.get('/subscribe?email=reader%40example.org');
    assert.match(form.body, /value="reader@example.org"/);
    const r = await c.post('/subscribe', { email: 'reader@example.org', ...settings }, '/subscribe');
    assert.equal(r.status, 200);
    assert.match(r.body, /Check your inbox/);
    const [sub] = await deps.store.subscriptions.ofUser(-1, 'reader@example.org');
    assert.equal(sub?.status, 'pending');
    const mail = await sink.waitFor('reader@example.org', (m) => /Confirm your/.test(m.subject ?? ''));
    assert.match(mail.text ?? '', /daily at 07:00 \(Europe\/Paris\)/);
    const link = new URL(linkIn(mail, '/subscriptions/confirm'));
    const page = await c.get(link.pathname + link.search);
    assert.match(page.body, /Confirm my subscription/);
    const done = await c.post('/subscriptions/confirm', { token: link.searchParams.get('token')! }, link.pathname + link.search);
    assert.match(done.body, /You are subscribed/);
    assert.equal((await deps.store.subscriptions.byId(sub!.id))?.status, 'active');
    const bad = await c.post('/subscribe', { email: 'nope', ...settings, timeZone: 'Mars/Olympus' }, '/subscribe');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /Enter an email address/);
    assert.match(bad.body, /is not a time zone/);
  });
});

describe('the digest job', () => {
  let subId: number;
  before(async () => {
    subId = (await deps.store.subscriptions.ofUser(-1, 'reader@example.org'))[0]!.id;
  });

  it('sends the period\'s trending papers at the local hour, with both parts, readable math and unsubscribe headers', async () => {
    assert.deepEqual(await runDigests(deps), { sent: 0, skipped: 0, raced: 0 }, 'not due before 07:00 in Paris');
    clockMs = day('2026-06-10T05:00:00Z'); // 07:00 CEST
    assert.deepEqual(await runDigests(deps), { sent: 1, skipped: 0, raced: 0 });
    const mail = await sink.waitFor('reader@example.org', (m) => /trending papers/.test(m.subject ?? ''));
    assert.match(mail.subject!, /3 trending papers · Jun 10, 2026/);
    const text = mail.text ?? '';
    // Trending order: the paper featured today (10 votes) outranks yesterday's 30 and 20 (score = (votes+1)/(hours+2)^1.5).
    assert.ok(text.indexOf('Language models') < text.indexOf('Robots that grasp') && text.indexOf('Robots that grasp') < text.indexOf('Seeing depth'), 'trending order');
    assert.match(text, /Robots that grasp with α-blending/);
    assert.match(text, /O\(n²\) and show ε≤0\.1/);
    assert.match(text, /▲ 30/);
    assert.doesNotMatch(text, /An old paper/, 'only the period\'s featured days');
    assert.match(String(mail.html), /<table role="presentation"/);
    assert.match(String(mail.html), /href="https:\/\/papers\.example\.org\/papers\/2606\.40001"/);
    const links = subscriptionLinks(deps, subId);
    // mailparser groups the List-* headers under "list".
    const list = mail.headers.get('list') as { unsubscribe: { url: string }; 'unsubscribe-post': { name: string } };
    assert.equal(list['unsubscribe-post'].name, 'List-Unsubscribe=One-Click');
    assert.equal(list.unsubscribe.url, links.unsubscribe);
    assert.match(text, /Unsubscribe: https:\/\/papers\.example\.org\/subscriptions\/\d+\/unsubscribe\?sig=/);
  });

  it('never sends a period twice nor a paper twice, and skips a day with nothing new', async () => {
    assert.deepEqual(await runDigests(deps), { sent: 0, skipped: 0, raced: 0 }, 'the same period again: nothing');
    clockMs = day('2026-06-11T05:00:00Z');
    assert.deepEqual(await runDigests(deps), { sent: 0, skipped: 1, raced: 0 }, 'nothing new on the 11th: skipped, nothing sent');
    await deps.store.transaction((tx) => tx.papers.upsertMany([paper({ id: '2606.40004', title: 'A fresh paper on the 12th', featuredDate: '2026-06-12', upvotes: 1 })], clock.now().toISOString()));
    clockMs = day('2026-06-12T05:00:00Z');
    assert.deepEqual(await runDigests(deps), { sent: 1, skipped: 0, raced: 0 });
    const mail = await sink.waitFor('reader@example.org', (m) => /A fresh paper/.test(m.subject ?? ''));
    assert.doesNotMatch(mail.text ?? '', /Robots that grasp/, 'papers already sent are not sent again');
    assert.deepEqual((await deps.store.subscriptions.digestsOf(subId)).map((x) => `${x.period}:${x.papers}`), ['2026-06-10:3', '2026-06-11:0', '2026-06-12:1']);
  });

  it('narrows a digest with a filter (categories in and out) and sends weekly on the chosen day', async () => {
    const r = await subscribe(deps, { email: 'robots@example.org', frequency: 'weekly', weekday: '5', hour: '18', timeZone: 'America/New_York', query: 'cat:cs.RO -cat:cs.CV' }, undefined);
    assert.ok(r.ok);
    const token = /token=([\w-]+)/.exec((await sink.waitFor('robots@example.org')).text ?? '')![1]!;
    const s = await confirmSubscription(deps, token);
    assert.equal((await deps.store.subscriptions.byId(s!.id))?.nextDueAt, '2026-06-12T22:00:00.000Z', 'Friday 18:00 in New York');
    clockMs = day('2026-06-12T22:00:00Z');
    await runDigests(deps);
    const mail = await sink.waitFor('robots@example.org', (m) => /trending/.test(m.subject ?? '') || /Robots/.test(m.subject ?? ''));
    assert.match(mail.text ?? '', /Robots that grasp/);
    assert.doesNotMatch(mail.text ?? '', /Seeing depth/, '-cat:cs.CV left it out');
    assert.doesNotMatch(mail.text ?? '', /Language models/, 'not cs.RO');
    assert.match(mail.text ?? '', /matching “cat:cs.RO -cat:cs.CV”, week 24 of 2026/);
  });

  it('unsubscribes in one click (RFC 8058: a POST with no cookie and no CSRF token) and through the visible link', async () => {
    const links = subscriptionLinks(deps, subId);
    const url = new URL(links.unsubscribe);
    const forged = await app.inject({ method: 'POST', url: `${url.pathname}?sig=wrong`, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(forged.statusCode, 404);
    const r = await app.inject({ method: 'POST', url: url.pathname + url.search, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.statusCode, 200);
    assert.equal((await deps.store.subscriptions.byId(subId))?.status, 'unsubscribed');
    clockMs = day('2026-06-13T05:00:00Z');
    const before = sink.messages.length;
    await runDigests(deps);
    await deps.mail.idle();
    assert.equal(sink.messages.filter((m, i) => i >= before && /reader@/.test(JSON.stringify(m.to))).length, 0);

    // The manage page (signed link, no sign-in) resumes it and changes it to weekly.
    const c = new WebClient(app, '10.1.0.2');
    const manage = new URL(links.manage);
    const page = await c.get(manage.pathname + manage.search);
    assert.match(page.body, /ended: nothing is sent/);
    await c.post(manage.pathname + manage.search, { action: 'resume' }, manage.pathname + manage.search);
    const saved = await c.post(manage.pathname + manage.search, { action: 'save', ...settings, frequency: 'weekly', weekday: '1' }, manage.pathname + manage.search);
    assert.equal(saved.status, 303);
    const s = await deps.store.subscriptions.byId(subId);
    assert.equal(s?.status, 'active');
    assert.equal(s?.frequency, 'weekly');
    assert.equal(s?.nextDueAt, '2026-06-15T05:00:00.000Z', 'Monday 07:00 in Paris');
    assert.equal((await c.get(`${manage.pathname}?sig=${'x'.repeat(43)}`)).status, 404);
  });

  it('lets several processes run the job at once: every period is decided once', async () => {
    for (let i = 0; i < 30; i++) await subscribe(deps, { email: `many${i}@example.org`, ...settings, timeZone: 'UTC', hour: '9' }, undefined);
    // Confirmed directly (the link flow is tested above).
    const ids = [];
    for (let i = 0; i < 30; i++) ids.push((await deps.store.subscriptions.ofUser(-1, `many${i}@example.org`))[0]!.id);
    for (const id of ids) await deps.store.subscriptions.setStatus(id, 'active');
    clockMs = day('2026-06-13T09:00:00Z');
    for (const id of ids) await deps.store.subscriptions.setNextDue(id, '2026-06-13T09:00:00.000Z');
    // A second process (another node of the site) runs the job at the same moment.
    const other = new Promise<{ sent: number; skipped: number; raced: number }>((resolve, reject) => {
      let out = '';
      const p = fork(join(import.meta.dirname, 'run-digests-child.ts'), [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, DATABASE_URL: dbUrl, SMTP_URL: sink.url, LOG_LEVEL: 'silent', EMBEDDER: 'none', DEMO_DATA: 'false', NOW: clock.now().toISOString() },
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      });
      p.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
      });
      p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`))));
    });
    const [a, b] = await Promise.all([runDigests(deps), other]);
    const decided = a.sent + a.skipped + b.sent + b.skipped;
    assert.ok(decided >= 30, JSON.stringify({ a, b }));
    for (const id of ids) assert.equal((await deps.store.subscriptions.digestsOf(id)).length, 1, `subscription ${id}: one digest for the period`);
    await deps.mail.idle();
  });

  it('pauses an address that keeps refusing mail (5xx)', async () => {
    await subscribe(deps, { email: 'gone@example.org', ...settings, timeZone: 'UTC', hour: '10' }, undefined);
    const s = (await deps.store.subscriptions.ofUser(-1, 'gone@example.org'))[0]!;
    await deps.store.subscriptions.setStatus(s.id, 'active');
    sink.refuseRecipient('gone@example.org', 550);
    for (let i = 0; i < 3; i++) {
      const today = clock.now().toISOString().slice(0, 10);
      await deps.store.transaction((tx) => tx.papers.upsertMany([paper({ id: `2606.4100${i}`, featuredDate: today, upvotes: 5 })], clock.now().toISOString()));
      await deps.store.subscriptions.setNextDue(s.id, clock.now().toISOString());
      assert.ok((await runDigests(deps)).sent >= 1);
      await deps.mail.idle();
      await deps.mail.drain();
      assert.equal((await deps.store.subscriptions.byId(s.id))?.status, i < 2 ? 'active' : 'bouncing', `after ${i + 1} refusals`);
      clockMs += 86_400_000;
    }
    assert.ok(((await deps.store.outbox.counts()).failed ?? 0) >= 3, 'refused for good, not retried');
  });
});

describe('a sender killed midway', () => {
  it('delivers exactly N messages, none twice, after a restart', async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, 'crash.db')}`;
    const d = await createDeps(testConfig({ DATABASE_URL: url, SMTP_URL: sink.url }), clock, silentLog);
    const N = 40;
    for (let i = 0; i < N; i++) await d.store.outbox.enqueue({ kind: 'digest', to: `crash${i}@example.org`, message: { subject: `crash ${i}`, text: 'x' }, now: clock.now().toISOString() });
    await d.store.close();
    const before = sink.messages.length;
    const child = (env: Record<string, string>) =>
      new Promise<number | null>((resolve) => {
        const p = fork(join(import.meta.dirname, 'send-outbox-child.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, DATABASE_URL: url, SMTP_URL: sink.url, LOG_LEVEL: 'silent', ...env }, stdio: 'ignore' });
        p.on('exit', (code, signal) => resolve(signal ? 137 : code));
      });
    assert.equal(await child({ CRASH_AFTER: '15' }), 137, 'the first sender was killed');
    const crashMails = () => sink.messages.slice(before).map((m) => m.subject ?? '').filter((x) => x.startsWith('crash '));
    const afterCrash = crashMails().length;
    assert.ok(afterCrash >= 15 && afterCrash < N, `killed after ${afterCrash} of ${N}`);
    // Its claims run out (2 minutes): the restarted sender's clock is past them.
    assert.equal(await child({ CLOCK_OFFSET_MS: String(5 * 60_000) }), 0);
    const subjects = crashMails();
    assert.equal(subjects.length, N, 'exactly N delivered');
    assert.equal(new Set(subjects).size, N, 'none twice');
  });
});

describe('digests for readers with an account', () => {
  it('add papers of the period related to their upvotes, saying which upvote brought each; others get none', async () => {
    clockMs = day('2026-06-20T09:00:00Z');
    await deps.store.transaction((tx) =>
      tx.papers.upsertMany(
        [
          paper({ id: '2606.42001', title: 'Language models that reason', categories: ['cs.CL'], featuredDate: '2026-06-20', upvotes: 3 }),
          paper({ id: '2606.42002', title: 'Robots that grasp cups', categories: ['cs.RO'], featuredDate: '2026-06-20', upvotes: 1 }),
        ],
        clock.now().toISOString(),
      ),
    );
    const fan = await deps.store.users.create({ email: 'fan@example.org', handle: 'fan', displayName: 'Fan', passwordHash: null, now: clock.now().toISOString() });
    await deps.store.users.markVerified(fan!.id, clock.now().toISOString());
    await deps.store.votes.set(fan!.id, '2606.40001', true, clock.now().toISOString()); // "Robots that grasp with α-blending"
    const impostor = await deps.store.users.create({ email: 'unconfirmed@example.org', handle: 'unconfirmed', displayName: 'U', passwordHash: null, now: clock.now().toISOString() });
    await deps.store.votes.set(impostor!.id, '2606.40001', true, clock.now().toISOString());
    for (const email of ['fan@example.org', 'plain@example.org', 'unconfirmed@example.org']) {
      await subscribe(deps, { email, ...settings, timeZone: 'UTC', hour: '9', query: 'cat:cs.CL' }, undefined);
      const s = (await deps.store.subscriptions.ofUser(-1, email))[0]!;
      await deps.store.subscriptions.setStatus(s.id, 'active');
      await deps.store.subscriptions.setNextDue(s.id, clock.now().toISOString());
    }
    await runDigests(deps);
    const digest = (to: string) => sink.waitFor(to, (m) => /Language models that reason/.test(m.text ?? ''));
    const mail = await digest('fan@example.org');
    const text = mail.text ?? '';
    assert.ok(text.indexOf('Language models that reason') < text.indexOf('For you, related to your upvotes:'), 'after the trending papers');
    assert.match(text, /• Robots that grasp cups\n[\s\S]*?Because you upvoted “Robots that grasp with α-blending”/);
    assert.doesNotMatch(text, /Robots that grasp with α-blending\n/, 'not the upvoted paper itself');
    assert.match(String(mail.html), /For you, related to your upvotes<\/td>/);
    assert.match(String(mail.html), /Because you upvoted “Robots that grasp with α-blending”/);
    assert.doesNotMatch((await digest('plain@example.org')).text ?? '', /For you/, 'no account');
    assert.doesNotMatch((await digest('unconfirmed@example.org')).text ?? '', /For you/, 'an account that never confirmed the address');
  });
});
