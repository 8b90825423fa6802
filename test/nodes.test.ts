// Three app processes (`paperboy serve`) against one PostgreSQL: the schedule fires on all three and
// each scheduled run is done by one; every digest goes out exactly once, even when the node deciding
// them is killed mid-run; votes cast through all three are counted exactly.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newToken, sign, tokenHash } from '../src/people/secrets.ts';
import type { Store } from '../src/store/store.ts';
import { openStore } from '../src/store/store.ts';
import { createDeps } from '../src/main.ts';
import { buildApp } from '../src/web/app.ts';
import { ENGINES, fixedClock, freshPostgresSchema, NOW, paper, silentLog, testConfig } from './helpers.ts';
import { WebClient } from './web-client.ts';
import { type MailSink, startMailSink } from './mail-sink.ts';

const pgSkip = ENGINES.find((e) => e.engine === 'postgres')!.skip;
const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');
const SUBSCRIPTIONS = 400;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe('three nodes on one PostgreSQL', { skip: pgSkip }, () => {
  let url: string;
  let store: Store;
  let sink: MailSink;
  const nodes: { child: ChildProcess; base: string; alive: boolean }[] = [];

  before(async () => {
    ({ url } = await freshPostgresSchema());
    store = openStore({ engine: 'postgres', url });
    await store.migrate(() => NOW);
    sink = await startMailSink();
    const today = new Date().toISOString().slice(0, 10);
    await store.transaction((tx) =>
      tx.papers.upsertMany([paper({ id: '2606.90001', title: 'Node paper one', featuredDate: today, upvotes: 2 }), paper({ id: '2606.90002', title: 'Node paper two', featuredDate: today })], NOW),
    );
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, [BIN, 'serve'], {
        env: {
          PATH: process.env.PATH, DATABASE_URL: url, PORT: String(port), LOG_LEVEL: 'warn', DEMO_DATA: 'false', EMBEDDER: 'none', RETRAIN_CRON: 'off',
          SMTP_URL: sink.url, DIGEST_CRON: '* * * * * *', MAIL_CRON: '* * * * * *', WEBHOOK_CRON: '0 0 1 1 *', MAIL_CLAIM_SECONDS: '3', RATE_LIMIT_FACTOR: '1000',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      nodes.push({ child, base: `http://127.0.0.1:${port}`, alive: true });
    }
    for (const n of nodes) {
      for (let i = 0; ; i++) {
        if (await fetch(`${n.base}/healthz`).then((r) => r.ok, () => false)) break;
        if (i > 300) throw new Error(`${n.base} did not start`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  after(async () => {
    for (const n of nodes) if (n.alive) n.child.kill('SIGTERM');
    await Promise.all(nodes.map((n) => new Promise((r) => (n.child.exitCode !== null || n.child.signalCode ? r(0) : n.child.once('exit', r)))));
    await store.close();
    await sink.close();
  });

  it("refreshes every node's page cache as soon as one node's data changes", async () => {
    const page = (n: number) => fetch(`${nodes[n]!.base}/papers/2606.90001`).then(async (r) => ({ cache: r.headers.get('x-cache'), body: await r.text() }));
    await page(1);
    const cached = await page(1);
    assert.equal(cached.cache, 'hit', 'the page is cached on node 1 (PAGE_CACHE_SECONDS is 60)');
    assert.match(cached.body, /Node paper one/);
    await store.transaction((tx) => tx.papers.upsertMany([paper({ id: '2606.90001', title: 'Node paper one, revised', featuredDate: new Date().toISOString().slice(0, 10), upvotes: 2 })], NOW));
    const started = Date.now();
    let fresh = await page(1);
    while (!/revised/.test(fresh.body) && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 20));
      fresh = await page(1);
    }
    assert.match(fresh.body, /Node paper one, revised/, 'node 1 shows the change well before its cache entry expires');
    assert.ok(Date.now() - started < 5000);
  });

  it('counts votes cast through all three exactly', async () => {
    const secret = Buffer.from((await store.outbox.setting('secret_key'))!);
    const voters = [];
    for (let i = 0; i < 30; i++) {
      const u = (await store.users.create({ email: `n${i}@example.org`, handle: `n${i}`, displayName: 'N', passwordHash: null, now: NOW }))!;
      const token = newToken();
      await store.users.createSession({ idHash: tokenHash(token), userId: u.id, now: NOW, expiresAt: '2100-01-01T00:00:00Z', userAgent: 't', ip: '127.0.0.1' });
      voters.push({ cookie: `pb_session=${token}`, csrf: sign(secret, `s:${tokenHash(token)}`) });
    }
    const statuses = await Promise.all(
      voters.flatMap((v, i) =>
        ['2606.90001', '2606.90002'].map((id, j) =>
          fetch(`${nodes[(i + j) % 3]!.base}/papers/${id}/upvote`, {
            method: 'POST',
            headers: { cookie: v.cookie, 'x-csrf-token': v.csrf, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
            body: 'on=1',
          }).then((r) => r.status),
        ),
      ),
    );
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.equal((await store.papers.byId('2606.90001'))?.upvotes, 32);
    assert.equal((await store.papers.byId('2606.90002'))?.upvotes, 30);
  });

  it('sends every digest exactly once while the schedule fires on all three, and takes over from a node killed mid-run', async (t) => {
    const now = new Date().toISOString();
    await store.transaction(async (tx) => {
      for (let i = 0; i < SUBSCRIPTIONS; i++) {
        await tx.subscriptions.create({ email: `sub${i}@example.org`, userId: undefined, status: 'active', frequency: 'daily', weekday: 1, hour: 7, timeZone: 'UTC', query: '', confirmHash: null, nextDueAt: now, now });
      }
    });
    // Kill the node holding the first digest run as soon as it has claimed it.
    let killed: string | undefined;
    for (let i = 0; i < 400 && !killed; i++) {
      const run = (await store.jobs.recent('digests', 5)).find((r) => !r.finishedAt);
      if (run) {
        const pid = Number(run.node.split(':').at(-1));
        const node = nodes.find((n) => n.child.pid === pid);
        if (node) {
          node.child.kill('SIGKILL');
          node.alive = false;
          killed = run.node;
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(killed, 'a node was killed while it held a digest run');
    const countDigests = () => sink.messages.filter((m) => /trending paper/.test(m.subject ?? '')).length;
    for (let i = 0; i < 300 && countDigests() < SUBSCRIPTIONS; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 4000)); // room for any duplicate to arrive
    const digests = sink.messages.filter((m) => /trending paper/.test(m.subject ?? ''));
    const recipients = digests.map((m) => JSON.stringify(m.to));
    assert.equal(new Set(recipients).size, SUBSCRIPTIONS, 'every subscriber got a digest');
    assert.equal(new Set(digests.map((m) => m.messageId)).size, SUBSCRIPTIONS, 'one message each');
    assert.ok(digests.length <= SUBSCRIPTIONS + 4, `${digests.length} deliveries: at most the killed node's in-flight messages again, same Message-ID`);
    const runs = await store.jobs.recent('digests', 500);
    t.diagnostic(`${digests.length} deliveries for ${SUBSCRIPTIONS} subscribers; digest runs by ${new Set(runs.map((r) => r.node)).size} nodes; killed ${killed}`);
    assert.ok(new Set(runs.map((r) => r.node)).size >= 2, 'the schedule fired on several nodes');
    assert.ok(runs.some((r) => r.node !== killed && r.finishedAt), 'another node ran the digests after the kill');
    assert.equal(Number((await store.subscriptions.digestsOf(1)).length), 1);
  });
});

describe('rate limits on PostgreSQL', { skip: pgSkip }, () => {
  it('are counted in the database, so two app instances share one budget', async () => {
    const { url: pgUrl } = await freshPostgresSchema();
    const make = async () => {
      const d = await createDeps(testConfig({ DATABASE_URL: pgUrl, RATE_LIMIT_FACTOR: '0.2' }), fixedClock(NOW), silentLog); // sign-up: 2 an hour
      return { d, app: await buildApp(d) };
    };
    const a = await make();
    const b = await make();
    const statuses = [];
    for (const app of [a.app, b.app, a.app]) {
      const c = new WebClient(app, '10.3.0.1');
      statuses.push((await c.post('/signup', { email: `rl${statuses.length}@example.org`, password: 'correct horse battery' }, '/signup')).status);
    }
    assert.deepEqual(statuses, [200, 200, 429], 'the third sign-up from one address is over the shared limit');
    for (const x of [a, b]) {
      await x.app.close();
      await x.d.mail.idle();
      await x.d.store.close();
    }
  });
});
