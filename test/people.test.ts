// The people side through the web app on a real SQLite database, with mail delivered to a real SMTP
// listener on loopback and arXiv replayed by a local server: accounts, sessions, CSRF, votes,
// submissions, comments, organizations, claims, moderation, API tokens, rate limits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../src/deps.ts';
import { createDeps } from '../src/main.ts';
import { startSession } from '../src/people/accounts.ts';
import { setRole } from '../src/people/moderation.ts';
import { buildApp } from '../src/web/app.ts';
import { FIXTURES, paper, silentLog, testConfig } from './helpers.ts';
import { linkIn, type MailSink, startMailSink } from './mail-sink.ts';
import { type Replay, startReplay } from './replay-server.ts';
import { WebClient } from './web-client.ts';

// The recorded arXiv API response, cut to one entry: what `id_list=2605.30380` answers.
const atom = readFileSync(join(FIXTURES, 'arxiv-api-query.atom.xml'), 'utf8');
const entries = atom.match(/<entry>[\s\S]*?<\/entry>/g)!;
const feedWith = (e: string[]) => `${atom.slice(0, atom.indexOf('<entry>'))}${e.join('\n')}\n</feed>\n`;
const one = (id: string) => feedWith(entries.filter((e) => e.includes(`abs/${id}v`)));

let clockMs = Date.parse('2026-06-10T12:00:00Z');
const clock = { now: () => new Date(clockMs) };

async function site(env: Record<string, string>, sink: MailSink, arxiv: Replay): Promise<{ app: FastifyInstance; deps: Deps }> {
  const deps = await createDeps(
    testConfig({ SMTP_URL: sink.url, ARXIV_API_URL: `${arxiv.url}/api/query`, ARXIV_DELAY_MS: '0', PAGE_CACHE_SECONDS: '60', ...env }),
    clock,
    silentLog,
  );
  await deps.store.transaction((tx) =>
    tx.papers.upsertMany(
      [
        paper({ id: '2606.00001', title: 'Voting paper one', featuredDate: '2026-06-09', upvotes: 3 }),
        paper({ id: '2606.00002', title: 'Voting paper two', featuredDate: '2026-06-09', upvotes: 0 }),
        paper({ id: '2606.00003', title: 'A paper to hide', featuredDate: '2026-06-09', upvotes: 7 }),
      ],
      clock.now().toISOString(),
    ),
  );
  return { app: await buildApp(deps), deps };
}

let sink: MailSink;
let arxiv: Replay;
let app: FastifyInstance;
let deps: Deps;
let ipCounter = 10;
const newClient = () => new WebClient(app, `10.0.0.${ipCounter++}`);

/** Signs up through the forms and confirms through the mailed link; returns the signed-in client. */
async function member(email: string, handle?: string): Promise<WebClient> {
  const c = newClient();
  const r = await c.post('/signup', { email, password: 'correct horse battery', ...(handle ? { handle } : {}) }, '/signup');
  assert.equal(r.status, 200, r.body.slice(0, 300));
  const mail = await sink.waitFor(email, (m) => /Confirm your email/.test(m.subject ?? ''));
  const link = new URL(linkIn(mail, '/verify'));
  const page = await c.get(link.pathname + link.search);
  assert.match(page.body, /Confirm my address/);
  const token = link.searchParams.get('token')!;
  const done = await c.post('/verify', { token }, link.pathname + link.search);
  assert.equal(done.status, 303);
  assert.ok(c.signedIn);
  return c;
}

before(async () => {
  sink = await startMailSink();
  arxiv = await startReplay([
    { match: (u) => u.searchParams.get('id_list') === '2605.30380', replies: [{ body: one('2605.30380') }] },
    { match: (u) => u.searchParams.get('id_list') === '2605.30355', replies: [{ body: one('2605.30355') }] },
    { match: (u) => u.searchParams.has('id_list'), replies: [{ body: feedWith([]) }] },
  ]);
  ({ app, deps } = await site({ RATE_LIMIT_FACTOR: '1000' }, sink, arxiv));
});
after(async () => {
  await app.close();
  await deps.mail.idle();
  await sink.close();
  await arxiv.close();
});

describe('accounts', () => {
  it('signs up, confirms through the mailed link (a page with a button: mail scanners fetch links), and is signed in', async () => {
    const c = await member('ada@example.org', 'ada');
    const home = await c.get('/');
    assert.match(home.body, /<summary title="Your account"><span class="name">ada<\/span><\/summary>/);
    assert.match(home.body, /<a href="\/users\/ada">Your profile<\/a>/);
    assert.doesNotMatch(home.body, /verify-notice/, 'a confirmed address has no reminder');
    const user = await deps.store.users.byEmail('ada@example.org');
    assert.equal(user?.emailVerified, true);
    // The link works once.
    const mail = await sink.waitFor('ada@example.org');
    const again = await newClient().post('/verify', { token: new URL(linkIn(mail, '/verify')).searchParams.get('token')! }, '/login');
    assert.equal(again.status, 410);
  });

  it('answers a sign-up with a taken address exactly like a new one, and mails the owner instead', async () => {
    await member('taken@example.org');
    const fresh = await newClient().post('/signup', { email: 'brand-new@example.org', password: 'correct horse battery' }, '/signup');
    const taken = await newClient().post('/signup', { email: 'TAKEN@example.org', password: 'correct horse battery' }, '/signup');
    const strip = (b: string) => b.replace(/brand-new@example\.org|taken@example\.org/gi, 'X');
    assert.equal(taken.status, fresh.status);
    assert.equal(strip(taken.body), strip(fresh.body));
    await sink.waitFor('taken@example.org', (m) => /already have/.test(m.subject ?? ''));
    assert.equal((await deps.store.users.count()) >= 3, true);
    assert.equal((await deps.store.users.byEmail('taken@example.org'))?.handle, 'taken');
  });

  it('says which fields are wrong and keeps what was typed (never the password)', async () => {
    const r = await newClient().post('/signup', { email: 'not-an-address', password: 'short', handle: 'x!' }, '/signup');
    assert.equal(r.status, 400);
    assert.match(r.body, /Enter an email address like name@example.org/);
    assert.match(r.body, /Use at least 10 characters/);
    assert.match(r.body, /Use 3 to 30 letters/);
    assert.match(r.body, /value="not-an-address"/);
    assert.doesNotMatch(r.body, /value="short"/);
  });

  it('logs in and out; a wrong password and an unknown address fail alike; failures back off', async () => {
    await member('bob@example.org', 'bob');
    const c = newClient();
    const wrong = await c.post('/login', { email: 'bob@example.org', password: 'wrong password!!' }, '/login');
    const unknown = await newClient().post('/login', { email: 'nobody@example.org', password: 'wrong password!!' }, '/login');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    const msg = (b: string) => /role="alert">([^<]+)</.exec(b)?.[1];
    assert.equal(msg(wrong.body), msg(unknown.body));
    const ok = await c.post('/login', { email: 'Bob@Example.org ', password: 'correct horse battery', next: '/trending' }, '/login');
    assert.equal(ok.status, 303);
    assert.equal(ok.location, '/trending');
    const cookie = String(ok.headers['set-cookie']);
    assert.match(cookie, /pb_session=[^;]+;.*HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.doesNotMatch(cookie, /Secure/, 'not Secure on plain http');
    const out = await c.post('/logout', {}, '/');
    assert.equal(out.status, 303);
    assert.equal(c.signedIn, false);
    assert.doesNotMatch((await c.get('/')).body, /Log out/);

    // Five failures for one account: the sixth attempt must wait, even with the right password.
    const attacker = newClient();
    for (let i = 0; i < 5; i++) await attacker.post('/login', { email: 'bob@example.org', password: `guess number ${i}` }, '/login');
    const blocked = await newClient().post('/login', { email: 'bob@example.org', password: 'correct horse battery' }, '/login');
    assert.equal(blocked.status, 429);
    assert.match(blocked.body, /wait \d+ seconds/);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    clockMs += 60_000;
    assert.equal((await newClient().post('/login', { email: 'bob@example.org', password: 'correct horse battery' }, '/login')).status, 303);
  });

  it('resets a password by mail: the same answer for unknown addresses, one use, other sessions end', async () => {
    const first = await member('carol@example.org', 'carol');
    const unknown = await newClient().post('/reset', { email: 'nobody-here@example.org' }, '/reset');
    const known = await newClient().post('/reset', { email: 'carol@example.org' }, '/reset');
    assert.equal(unknown.status, known.status);
    assert.equal(unknown.body.replace('nobody-here@example.org', 'X'), known.body.replace('carol@example.org', 'X'));
    const mail = await sink.waitFor('carol@example.org', (m) => /Reset/.test(m.subject ?? ''));
    assert.match(mail.headers.get('content-type') ? String((mail.headers.get('content-type') as { value: string }).value) : '', /multipart\/alternative/);
    assert.ok(mail.html && mail.text, 'HTML and plain-text parts');
    const link = new URL(linkIn(mail, '/reset'));
    const c = newClient();
    const form = await c.get(link.pathname + link.search);
    assert.match(form.body, /For carol@example.org/);
    const token = link.searchParams.get('token')!;
    const weak = await c.post('/reset/confirm', { token, password: 'short' }, link.pathname + link.search);
    assert.equal(weak.status, 400);
    const done = await c.post('/reset/confirm', { token, password: 'a brand new passphrase' }, link.pathname + link.search);
    assert.equal(done.status, 303);
    assert.ok(c.signedIn);
    assert.equal((await first.get('/settings')).status, 303, 'the old session was signed out');
    assert.equal((await newClient().post('/reset/confirm', { token, password: 'another new passphrase' }, '/login')).status, 410);
    assert.equal((await newClient().post('/login', { email: 'carol@example.org', password: 'a brand new passphrase' }, '/login')).status, 303);
  });

  it('signs in with an emailed link instead of a password', async () => {
    await member('dan@example.org', 'dan');
    const c = newClient();
    await c.post('/login/link', { email: 'dan@example.org' }, '/login/link');
    const mail = await sink.waitFor('dan@example.org', (m) => /sign-in link/.test(m.subject ?? ''));
    const link = new URL(linkIn(mail, '/login/link'));
    const done = await c.post('/login/link/redeem', { token: link.searchParams.get('token')! }, link.pathname + link.search);
    assert.equal(done.status, 303);
    assert.ok(c.signedIn);
  });

  it('lists sessions and signs one out from another', async () => {
    await member('eve@example.org', 'eve');
    const laptop = newClient();
    const phone = newClient();
    for (const c of [laptop, phone]) assert.equal((await c.post('/login', { email: 'eve@example.org', password: 'correct horse battery' }, '/login')).status, 303);
    const page = await laptop.get('/settings');
    const ids = [...page.body.matchAll(/name="id" value="([A-Za-z0-9_-]{16})"/g)].map((m) => m[1]!);
    assert.equal(ids.length, 2, 'the two other sessions (this one has no button)');
    for (const id of ids) await laptop.post('/settings/sessions/revoke', { id });
    assert.equal((await phone.get('/settings')).status, 303, 'the phone is signed out');
    assert.equal((await laptop.get('/settings')).status, 200);
  });
});

describe('CSRF and headers', () => {
  it('refuses a state-changing request without the token, with another session\'s token, or from another origin', async () => {
    const c = await member('frank@example.org', 'frank');
    const other = await member('grace@example.org', 'grace');
    const none = await c.request('POST', '/papers/2606.00001/upvote', { form: { on: '1' } });
    assert.equal(none.status, 403);
    const foreign = await c.request('POST', '/papers/2606.00001/upvote', { form: { on: '1', _csrf: await other.csrf('/settings') } });
    assert.equal(foreign.status, 403);
    const evil = await c.request('POST', '/papers/2606.00001/upvote', { form: { on: '1', _csrf: await c.csrf('/settings') }, headers: { origin: 'https://evil.example' } });
    assert.equal(evil.status, 403);
    assert.match(evil.body, /another site/);
    const anon = await newClient().request('POST', '/login', { form: { email: 'frank@example.org', password: 'correct horse battery' } });
    assert.equal(anon.status, 403, 'login CSRF: a form without the browser token is refused');
    assert.equal((await deps.store.votes.countFor('2606.00001')), 0);
  });

  it('sends a CSP without inline scripts, no framing, and HSTS behind https', async () => {
    const r = await newClient().get('/login');
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(r.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.match(String(r.headers['cache-control']), /no-store/);
    const secure = await site({ PUBLIC_URL: 'https://papers.example.org' }, sink, arxiv);
    const s = await secure.app.inject('/');
    assert.match(String(s.headers['strict-transport-security']), /max-age=15552000/);
    const login = await secure.app.inject('/login');
    assert.match(String(login.headers['set-cookie']), /Secure/);
    await secure.app.close();
  });
});

describe('upvotes', () => {
  it('toggles one vote per user, with a form (redirect) or in place (JSON); trending and counts follow at once', async () => {
    const c = await member('hank@example.org', 'hank');
    const before = await newClient().get('/papers/2606.00002');
    assert.match(before.body, /title="Sign in to upvote"/);
    const r = await c.post('/papers/2606.00002/upvote', { on: '1' }, '/papers/2606.00002', { referer: 'http://localhost/papers/date/2026-06-09' });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/papers/date/2026-06-09');
    const twice = await c.post('/papers/2606.00002/upvote', { on: '1' }, '/papers/2606.00002', { accept: 'application/json' });
    assert.deepEqual(JSON.parse(twice.body), { voted: true, upvotes: 1 });
    const page = await c.get('/papers/2606.00002');
    assert.match(page.body, /aria-pressed="true"/);
    const anonymousPage = await newClient().get('/papers/date/2026-06-09');
    assert.match(anonymousPage.body, /href="\/papers\/2606\.00002"[\s\S]*?upvotes" title="1 upvote"/, 'the cached anonymous page was refreshed by the vote');
    const off = await c.post('/papers/2606.00002/upvote', { on: '0' }, '/papers/2606.00002', { accept: 'application/json' });
    assert.deepEqual(JSON.parse(off.body), { voted: false, upvotes: 0 });
    const anon = await newClient().request('POST', '/papers/2606.00002/upvote', { form: { on: '1', _csrf: await newClient().csrf('/login') } });
    assert.equal(anon.status, 403, 'no CSRF cookie of its own');
    const anonWithForm = newClient();
    const redirect = await anonWithForm.post('/papers/2606.00002/upvote', { on: '1' }, '/login');
    assert.equal(redirect.status, 303);
    assert.match(redirect.location!, /^\/login\?next=%2Fpapers%2F2606\.00002/);
  });

  it('suggests papers related to your upvotes on "For you", saying which upvote brought each, never one you voted', async () => {
    const c = await member('jules@example.org', 'jules');
    const empty = await c.get('/for-you');
    assert.equal(empty.status, 200);
    assert.match(empty.body, /Upvote papers you like/);
    assert.doesNotMatch(empty.body, /your 0 newest/);
    await c.post('/papers/2606.00001/upvote', { on: '1' }, '/papers/2606.00001');
    const page = await c.get('/for-you');
    assert.equal(page.status, 200);
    const cards = page.body.split('<li><article class="card">').slice(1);
    assert.ok(cards.length >= 1);
    assert.ok(!cards.some((card) => card.includes('href="/papers/2606.00001">Voting paper one</a></h3>')), 'not the upvoted paper itself');
    const two = cards.find((card) => card.includes('href="/papers/2606.00002"'));
    assert.ok(two, 'the paper that shares its words');
    assert.match(two, /Because you upvoted <a href="\/papers\/2606\.00001">Voting paper one<\/a>\./);
    const api = JSON.parse((await c.get('/api/for-you')).body) as { paper: { id: string }; because: { id: string; title: string }[]; score: number }[];
    const viaApi = api.find((x) => x.paper.id === '2606.00002');
    assert.deepEqual(viaApi?.because, [{ id: '2606.00001', title: 'Voting paper one' }]);
    assert.ok(viaApi.score > 0 && !api.some((x) => x.paper.id === '2606.00001'));
    const anonymousApi = await newClient().get('/api/for-you');
    assert.equal(anonymousApi.status, 401);
    assert.equal(JSON.parse(anonymousApi.body).error, 'Unauthorized');
    // A read-only token: the list as a feed (no sign-in: a feed reader has only the address) and
    // through the API, but no vote.
    const made = await c.post('/settings/tokens', { name: 'feed reader', scope: 'read' });
    const token = /<code class="token">(pb_[A-Za-z0-9_-]+)<\/code>/.exec(made.body)![1]!;
    const feed = await newClient().get(`/feeds/foryou.rss?token=${token}`);
    assert.equal(feed.status, 200);
    assert.match(feed.body, /<title>For you · paperboy<\/title>/);
    assert.match(feed.body, /<link>http:\/\/localhost[^<]*\/papers\/2606\.00002<\/link>/);
    assert.ok(!feed.body.includes('/papers/2606.00001</link>'));
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await app.inject({ method: 'GET', url: '/api/for-you', headers: bearer })).statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: '/api/papers/2606.00003/upvote', headers: bearer })).statusCode, 403);
    const tokenId = (await deps.store.users.apiTokensOf((await deps.store.users.byHandle('jules'))!.id))[0]!.id;
    await c.post('/settings/tokens/revoke', { id: String(tokenId) });
    assert.equal(feed.headers['cache-control'], 'private, no-store');
    assert.equal((await newClient().get(`/feeds/foryou.rss?token=${token}`)).status, 404, 'revoked: at once, not from a cache');
    assert.equal((await newClient().get('/feeds/foryou.atom')).status, 404);
    await c.post('/papers/2606.00002/upvote', { on: '1' }, '/papers/2606.00002');
    assert.ok(!(await c.get('/for-you?days=all')).body.includes('<h3><a href="/papers/2606.00002">'), 'voted since: left out');
    assert.equal((await c.get('/for-you?days=2')).status, 400);
    const anonymous = await newClient().get('/for-you');
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.location, '/login?next=%2Ffor-you');
  });
});

describe('submissions', () => {
  it('fetches an unknown paper from arXiv, features it today with "submitted by", and links duplicates', async () => {
    const c = await member('ivy@example.org', 'ivy');
    const r = await c.post('/submit', { id: 'https://arxiv.org/abs/2605.30380v1' }, '/submit');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/papers/2605.30380');
    const p = await deps.store.papers.byId('2605.30380');
    assert.equal(p?.featuredDate, '2026-06-10');
    assert.equal(p?.submittedBy, 'ivy');
    const today = await newClient().get('/papers/date/2026-06-10');
    assert.match(today.body, /Lightweight SAR Ship Detection/);
    assert.match(today.body, /Submitted by <a href="\/users\/ivy">ivy<\/a>/);
    const dup = await (await member('jack@example.org', 'jack')).post('/submit', { id: '2605.30380' }, '/submit');
    assert.equal(dup.status, 409);
    assert.match(dup.body, /already here: <a href="\/papers\/2605\.30380">/);
    const missing = await c.post('/submit', { id: '2605.99999' }, '/submit');
    assert.equal(missing.status, 400);
    assert.match(missing.body, /arXiv has no paper 2605\.99999/);
    const garbage = await c.post('/submit', { id: 'not an id' }, '/submit');
    assert.match(garbage.body, /That is not an arXiv id or URL/);
  });

  it('enforces the rules: a confirmed address, N a day, at most M days old', async () => {
    const strict = await site({ SUBMIT_PER_DAY: '1', SUBMIT_MAX_AGE_DAYS: '14', RATE_LIMIT_FACTOR: '1000' }, sink, arxiv);
    const unconfirmed = new WebClient(strict.app, '10.9.0.1');
    await unconfirmed.post('/signup', { email: 'new@example.org', password: 'correct horse battery' }, '/signup');
    await unconfirmed.post('/login', { email: 'new@example.org', password: 'correct horse battery' }, '/login');
    assert.ok(unconfirmed.signedIn);
    assert.match((await unconfirmed.get('/')).body, /Please confirm your email address/);
    const refused = await unconfirmed.post('/submit', { id: '2605.30355' }, '/submit');
    assert.match(refused.body, /Confirm your email address before submitting/);
    await strict.deps.store.users.markVerified((await strict.deps.store.users.byEmail('new@example.org'))!.id, clock.now().toISOString());
    const saved = clockMs;
    clockMs = Date.parse('2026-07-02T12:00:00Z');
    const old = await unconfirmed.post('/submit', { id: '2605.30355' }, '/submit');
    assert.match(old.body, /first submitted to arXiv on 2026-06-01; the daily feed takes papers at most 14 days old/);
    clockMs = saved;
    assert.equal((await unconfirmed.post('/submit', { id: '2605.30355' }, '/submit')).status, 303);
    const second = await unconfirmed.post('/submit', { id: '2605.30380' }, '/submit');
    assert.equal(second.status, 429);
    assert.match(second.body, /submitted 1 papers today/);
    await strict.app.close();
  });
});

describe('comments', () => {
  it('threads, renders Markdown with math safely, edits within the window, deletes and reports', async () => {
    const kim = await member('kim@example.org', 'kim');
    const lee = await member('lee@example.org', 'lee');
    const r = await kim.post('/papers/2606.00001/comments', { body: 'Nice **result**: $x^2$ <script>alert(1)</script> [x](javascript:alert(1))' }, '/papers/2606.00001');
    assert.equal(r.status, 303);
    const id = Number(/#comment-(\d+)/.exec(r.location!)![1]);
    const reply = await lee.post('/papers/2606.00001/comments', { body: 'Agreed', parent: String(id) }, '/papers/2606.00001');
    const replyId = Number(/#comment-(\d+)/.exec(reply.location!)![1]);
    const page = (await newClient().get('/papers/2606.00001')).body;
    assert.match(page, /<strong>result<\/strong>/);
    assert.match(page, /class="katex"/);
    assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(page, /href="javascript:/i);
    assert.match(page, new RegExp(`id="comment-${id}"[\\s\\S]*?<ol class="replies">[\\s\\S]*?id="comment-${replyId}"`));
    assert.match(page, /Discussion \(2\)/);
    const day = await newClient().get('/papers/date/2026-06-09');
    assert.match(day.body, /<a href="\/papers\/2606\.00001#discussion-h">2 comments<\/a>/);
    const api = JSON.parse((await newClient().get('/api/daily_papers?date=2026-06-09')).body) as { paper: { id: string }; numComments: number }[];
    assert.equal(api.find((x) => x.paper.id === '2606.00001')?.numComments, 2);

    assert.equal((await lee.post(`/comments/${id}/edit`, { body: 'hijacked' }, '/settings')).status, 403, 'not your comment');
    assert.equal((await kim.post(`/comments/${id}/edit`, { body: 'Nice *result*, edited' }, '/settings')).status, 303);
    clockMs += 16 * 60_000;
    const late = await kim.post(`/comments/${id}/edit`, { body: 'too late' }, '/settings');
    assert.equal(late.status, 403);
    assert.match(late.body, /can be edited for 15 minutes/);
    assert.equal((await lee.post(`/comments/${id}/delete`, {}, '/settings')).status, 403);
    assert.equal((await lee.post(`/comments/${id}/report`, { reason: 'spam' }, '/settings')).status, 303);
    assert.equal((await deps.store.comments.openReports(10)).length, 1);
    assert.equal((await kim.post(`/comments/${id}/delete`, {}, '/settings')).status, 303);
    const after = (await newClient().get('/papers/2606.00001')).body;
    assert.match(after, /\[deleted\]/);
    assert.match(after, /Agreed/, 'replies stay');
    const empty = await kim.post('/papers/2606.00001/comments', { body: '   ' }, '/papers/2606.00001');
    assert.equal(empty.status, 400);
    assert.match(empty.body, /Write something first/);
  });
});

describe('organizations, claims and moderation', () => {
  it('creates an organization, adds members, tags a submitted paper; only owners and moderators may', async () => {
    const owner = await member('olga@example.org', 'olga');
    const outsider = await member('otto@example.org', 'otto');
    assert.equal((await owner.post('/orgs', { name: 'deep-lab', fullname: 'Deep Lab' }, '/orgs/new')).location, '/orgs/deep-lab');
    const dup = await outsider.post('/orgs', { name: 'deep-lab', fullname: 'Mine' }, '/orgs/new');
    assert.equal(dup.status, 409);
    assert.equal((await outsider.post('/orgs/deep-lab/members', { handle: 'otto', action: 'add' }, '/settings')).status, 403);
    assert.equal((await owner.post('/orgs/deep-lab/members', { handle: 'otto', action: 'add' }, '/settings')).status, 303);
    assert.match((await newClient().get('/orgs/deep-lab')).body, /<a href="\/users\/otto">otto<\/a>/);
    await owner.post('/submit', { id: '2605.30355' }, '/submit');
    assert.equal((await outsider.post('/papers/2605.30355/organization', { org: 'deep-lab' }, '/settings')).status, 403, 'not the submitter');
    assert.equal((await owner.post('/papers/2605.30355/organization', { org: 'deep-lab' }, '/settings')).status, 303);
    assert.equal((await deps.store.papers.byId('2605.30355'))?.organization?.name, 'deep-lab');
    assert.match((await newClient().get('/orgs/deep-lab')).body, /Cosm: Collective Switched Motion/);
  });

  it('moderators approve claims, hide papers and comments, ban users; every action is in the audit log', async () => {
    const mod = await member('mod@example.org', 'mod');
    const user = await member('pat@example.org', 'pat');
    assert.equal((await user.get('/admin')).status, 403);
    assert.equal((await user.post('/admin/papers/2606.00003/hide', {}, '/settings')).status, 403);
    await setRole(deps.store, 'mod@example.org', 'admin', clock.now());
    assert.equal((await mod.get('/admin')).status, 200);

    await user.post('/papers/2606.00001/claim', {}, '/papers/2606.00001');
    const claimId = (await deps.store.moderation.pendingClaims(10)).find((c) => c.handle === 'pat')!.id;
    assert.equal((await user.post(`/admin/claims/${claimId}`, { decision: 'approve' }, '/settings')).status, 403);
    assert.equal((await mod.post(`/admin/claims/${claimId}`, { decision: 'approve' }, '/admin')).status, 303);
    assert.match((await newClient().get('/users/pat')).body, /Author of[\s\S]*Voting paper one/);

    assert.equal((await mod.post('/admin/papers/2606.00003/hide', { reason: 'spam' }, '/admin')).status, 303);
    assert.doesNotMatch((await newClient().get('/papers/date/2026-06-09')).body, /A paper to hide/);
    assert.equal((await newClient().get('/papers/2606.00003')).status, 410);
    assert.match((await mod.get('/papers/2606.00003')).body, /Hidden by a moderator/);

    await user.post('/papers/2606.00002/comments', { body: 'rude words' }, '/papers/2606.00002');
    const c = (await deps.store.comments.forPaper('2606.00002')).at(-1)!;
    assert.equal((await mod.post(`/admin/comments/${c.id}/hide`, {}, '/admin')).status, 303);
    assert.match((await newClient().get('/papers/2606.00002')).body, /\[hidden by a moderator\]/);

    assert.equal((await mod.post('/admin/users/ban', { handle: 'pat', reason: 'abuse', action: 'ban' }, '/admin')).status, 303);
    assert.equal((await user.get('/settings')).status, 303, 'the banned user is signed out');
    const relog = await newClient().post('/login', { email: 'pat@example.org', password: 'correct horse battery' }, '/login');
    assert.match(relog.body, /suspended/);
    const actions = (await deps.store.moderation.auditLog(50, 0)).map((e) => `${e.actor} ${e.action} ${e.target}`);
    for (const a of ['mod approve-author-claim paper:2606.00001', 'mod hide-paper paper:2606.00003', `mod hide-comment comment:${c.id}`, 'mod ban-user user:pat', 'mod promote-admin user:mod']) {
      assert.ok(actions.includes(a), `${a} in ${actions.join(' | ')}`);
    }
  });
});

describe('the write API', () => {
  it('takes personal API tokens (hashed, scoped, revocable) for upvote, submit and comment, without CSRF', async () => {
    const c = await member('quinn@example.org', 'quinn');
    const page = await c.post('/settings/tokens', { name: 'script', scope: ['vote', 'comment'] });
    const token = /<code class="token">(pb_[A-Za-z0-9_-]+)<\/code>/.exec(page.body)![1]!;
    const rows = await deps.store.users.apiTokensOf((await deps.store.users.byHandle('quinn'))!.id);
    assert.equal(rows.length, 1);
    const auth = { authorization: `Bearer ${token}` };
    const api = (method: 'POST' | 'DELETE' | 'GET', url: string, payload?: object) =>
      app.inject({ method, url, headers: { ...auth, ...(payload ? { 'content-type': 'application/json' } : {}) }, payload: payload ? JSON.stringify(payload) : undefined });
    const v = await api('POST', '/api/papers/2606.00002/upvote');
    assert.equal(v.statusCode, 200);
    assert.equal(JSON.parse(v.body).voted, true);
    const cm = await api('POST', '/api/papers/2606.00002/comments', { body: 'From a script: $E=mc^2$' });
    assert.equal(cm.statusCode, 201);
    assert.equal(JSON.parse(cm.body).author.handle, 'quinn');
    const list = await app.inject('/api/papers/2606.00002/comments');
    assert.ok(JSON.parse(list.body).some((x: { body: string }) => x.body === 'From a script: $E=mc^2$'));
    const sub = await api('POST', '/api/submissions', { id: '2605.30396' });
    assert.equal(sub.statusCode, 403);
    assert.match(JSON.parse(sub.body).message, /“submit” scope/);
    const bad = await app.inject({ method: 'POST', url: '/api/papers/2606.00002/upvote', headers: { authorization: 'Bearer pb_nonsense' } });
    assert.equal(bad.statusCode, 401);
    assert.equal(JSON.parse(bad.body).parameter, 'authorization');
    const anon = await app.inject({ method: 'POST', url: '/api/papers/2606.00002/upvote' });
    assert.equal(anon.statusCode, 403, 'no token and no CSRF token');
    await c.post('/settings/tokens/revoke', { id: String(rows[0]!.id) });
    assert.equal((await api('DELETE', '/api/papers/2606.00002/upvote')).statusCode, 401);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a client exceeds a limit', async () => {
    const limited = await site({ RATE_LIMIT_FACTOR: '0.2' }, sink, arxiv); // sign-up: 2 an hour
    const c = new WebClient(limited.app, '10.8.0.1');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await c.post('/signup', { email: `r${i}@example.org`, password: 'correct horse battery' }, '/signup')).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const last = await c.post('/signup', { email: 'r9@example.org', password: 'correct horse battery' }, '/signup');
    assert.ok(Number(last.headers['retry-after']) > 0);
    assert.match(last.body, /Too many requests: try again in/);
    const elsewhere = new WebClient(limited.app, '10.8.0.2');
    assert.equal((await elsewhere.post('/signup', { email: 'r10@example.org', password: 'correct horse battery' }, '/signup')).status, 200, 'another address has its own budget');
    await limited.app.close();
  });
});

describe('authorization on every write', () => {
  it('sends signed-out posts to the login page, and refuses members what only owners, authors or moderators may do', async () => {
    const owner = await member('tom@example.org', 'tom');
    const stranger = await member('sam@example.org', 'sam');
    await owner.post('/orgs', { name: 'toms-lab', fullname: 'Tom Lab' }, '/orgs/new');
    const posted = await owner.post('/papers/2606.00001/comments', { body: 'mine' }, '/papers/2606.00001');
    const commentId = /#comment-(\d+)/.exec(posted.location!)![1]!;
    const anonymous = newClient();
    await anonymous.csrf('/login'); // a browser cookie and token, but no session

    // Every state-changing page route, signed out: a redirect to the login page, nothing changed.
    const routes = [
      '/logout', '/settings/profile', '/settings/password', '/settings/sessions/revoke', '/settings/tokens', '/settings/tokens/revoke', '/settings/verify',
      '/submit', '/papers/2606.00001/upvote', '/papers/2606.00001/comments', '/papers/2606.00001/claim', '/papers/2606.00001/organization',
      `/comments/${commentId}/edit`, `/comments/${commentId}/delete`, `/comments/${commentId}/report`, '/orgs', '/orgs/toms-lab/claim', '/orgs/toms-lab/members',
      '/admin/papers/2606.00001/hide', '/admin/papers/2606.00001/show', `/admin/comments/${commentId}/hide`, `/admin/comments/${commentId}/show`, '/admin/users/ban', '/admin/claims/1',
    ];
    for (const url of routes) {
      const r = await anonymous.post(url, { body: 'x', handle: 'sam', org: 'toms-lab', id: '2605.30380', name: 'x-lab', fullname: 'X' }, '/login');
      if (url === '/logout') assert.equal(r.location, '/', url);
      else assert.ok(r.status === 303 && r.location?.startsWith('/login?next='), `${url}: ${r.status} ${r.location}`);
    }

    // Signed in, but not the owner, the author or a moderator: 403 and nothing changed.
    const forbidden = [
      [`/comments/${commentId}/edit`, { body: 'hijack' }],
      [`/comments/${commentId}/delete`, {}],
      ['/orgs/toms-lab/members', { handle: 'sam', action: 'add' }],
      ['/orgs/toms-lab/members', { handle: 'tom', action: 'remove' }],
      ['/papers/2606.00001/organization', { org: 'toms-lab' }],
      ['/admin/papers/2606.00001/hide', {}],
      [`/admin/comments/${commentId}/hide`, {}],
      ['/admin/users/ban', { handle: 'tom', action: 'ban' }],
      ['/admin/claims/1', { decision: 'approve' }],
    ] as const;
    for (const [url, form] of forbidden) assert.equal((await stranger.post(url, form)).status, 403, url);
    assert.equal((await deps.store.comments.byId(Number(commentId)))?.body, 'mine');
    assert.deepEqual((await deps.store.organizations.members('toms-lab')).map((m) => m.handle), ['tom']);
    assert.equal((await deps.store.papers.byId('2606.00001'))?.hidden, false);
    assert.equal((await deps.store.users.byHandle('tom'))?.banned, false);
  });

  it('lets a moderator give a claimed organization to its claimant', async () => {
    await deps.store.transaction((tx) => tx.organizations.create({ name: 'old-org', fullname: 'Old Org', createdBy: 0, now: clock.now().toISOString() }));
    const claimant = await member('uma@example.org', 'uma');
    assert.equal((await claimant.post('/orgs/old-org/claim', {}, '/orgs/old-org')).status, 303);
    const mod = await member('vic@example.org', 'vic');
    await setRole(deps.store, 'vic@example.org', 'admin', clock.now());
    const claim = (await deps.store.moderation.pendingClaims(50)).find((c) => c.kind === 'org' && c.target === 'old-org')!;
    await mod.post(`/admin/claims/${claim.id}`, { decision: 'approve' }, '/admin');
    assert.equal(await deps.store.organizations.roleOf('old-org', (await deps.store.users.byHandle('uma'))!.id), 'owner');
    assert.equal((await claimant.post('/orgs/old-org/members', { handle: 'vic', action: 'add' })).status, 303);
    // A moderator changing an organization they do not own is on the record; an owner is not.
    assert.equal((await mod.post('/orgs/old-org/members', { handle: 'vic', action: 'remove' })).status, 303);
    const log = (await deps.store.moderation.auditLog(20, 0)).map((e) => `${e.actor} ${e.action} ${e.target} ${e.detail}`);
    assert.ok(log.includes('vic remove-org-member org:old-org vic'), log.join(' | '));
    assert.ok(!log.some((e) => e.startsWith('uma ')), 'the owner\'s own changes are not moderator actions');
  });
});

describe('every rate limit', () => {
  it('limits sign-up, login, reset, submit, comment and vote', async () => {
    // Factor 0.1: sign-up 1, login 3, mail 1, submit 3, comment 3, vote 30 per window.
    const limited = await site({ RATE_LIMIT_FACTOR: '0.1' }, sink, arxiv);
    const user = (await limited.deps.store.users.create({ email: 'limits@example.org', handle: 'limits', displayName: 'L', passwordHash: null, now: clock.now().toISOString() }))!;
    await limited.deps.store.users.markVerified(user.id, clock.now().toISOString());
    const signedIn = new WebClient(limited.app, '10.7.0.1');
    signedIn.cookies.set('pb_session', (await startSession(limited.deps, user, { ip: '10.7.0.1', userAgent: 't' })).sessionToken);
    const cases: [string, WebClient, string, Record<string, string>, number][] = [
      ['/signup', new WebClient(limited.app, '10.7.1.1'), '/signup', { email: 'z@example.org', password: 'short' }, 1],
      ['/login', new WebClient(limited.app, '10.7.1.2'), '/login', { email: 'z@example.org', password: 'whatever it is' }, 3],
      ['/reset', new WebClient(limited.app, '10.7.1.3'), '/reset', { email: 'z@example.org' }, 1],
      ['/submit', signedIn, '/submit', { id: 'nonsense' }, 3],
      ['/papers/2606.00001/comments', signedIn, '/settings', { body: '' }, 3],
      ['/papers/2606.00001/upvote', signedIn, '/settings', { on: '1' }, 30],
    ];
    for (const [url, c, from, form, allowed] of cases) {
      const token = await c.csrf(from);
      const statuses: number[] = [];
      for (let i = 0; i <= allowed; i++) statuses.push((await c.request('POST', url, { form: { _csrf: token, ...form } })).status);
      assert.ok(statuses.slice(0, allowed).every((s) => s !== 429), `${url}: ${statuses}`);
      assert.equal(statuses[allowed], 429, `${url}: request ${allowed + 1} is over the limit (${statuses})`);
    }
    await limited.app.close();
  });
});
