// The parts of running several nodes that are not the nodes themselves: a read replica for anonymous
// reads (DATABASE_READ_URL) and rate-limit counters in Redis (REDIS_URL).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { newToken, tokenHash } from '../src/people/secrets.ts';
import { openStore } from '../src/store/store.ts';
import { createDeps } from '../src/main.ts';
import { buildApp } from '../src/web/app.ts';
import { closeLater, ENGINES, fixedClock, freshPostgresSchema, NOW, paper, REDIS_SKIP, REDIS_URL, silentLog, testConfig } from './helpers.ts';
import { WebClient } from './web-client.ts';

const pgSkip = ENGINES.find((e) => e.engine === 'postgres')!.skip;
const DAY = NOW.slice(0, 10);

describe('DATABASE_READ_URL', { skip: pgSkip }, () => {
  // The "replica" is a second schema holding other titles, so every answer shows where it was read.
  it('serves anonymous pages, feeds, search and the read API from the replica; signed-in pages and writes use the primary', async () => {
    const primary = await freshPostgresSchema();
    const replica = await freshPostgresSchema();
    for (const [url, title] of [[primary.url, 'Primary copy of attention'], [replica.url, 'Replica copy of attention']] as const) {
      const s = closeLater(openStore({ engine: 'postgres', url }));
      await s.migrate(() => NOW);
      await s.transaction((tx) => tx.papers.upsertMany([paper({ id: '2607.00001', title, featuredDate: DAY, upvotes: 1 })], NOW));
    }
    const deps = await createDeps(testConfig({ DATABASE_URL: primary.url, DATABASE_READ_URL: replica.url, PAGE_CACHE_SECONDS: '0' }), fixedClock(NOW), silentLog);
    const app = await buildApp(deps);
    after(async () => {
      await app.close();
      await deps.store.close();
    });

    const anonymous = new WebClient(app);
    for (const url of ['/', `/papers/date/${DAY}`, '/papers/2607.00001', '/search?q=attention', '/api/papers/2607.00001', `/api/daily_papers?date=${DAY}`, '/feeds/daily.rss', '/feeds/search.atom?q=attention']) {
      const r = await anonymous.get(url);
      assert.equal(r.status, 200, url);
      assert.match(r.body, /Replica copy/, `${url} reads the replica`);
      assert.doesNotMatch(r.body, /Primary copy/, url);
    }

    const user = (await deps.store.users.create({ email: 'reader@example.org', handle: 'reader', displayName: 'Reader', passwordHash: null, now: NOW }))!;
    const token = newToken();
    await deps.store.users.createSession({ idHash: tokenHash(token), userId: user.id, now: NOW, expiresAt: '2100-01-01T00:00:00Z', userAgent: 't', ip: '127.0.0.1' });
    const signedIn = new WebClient(app);
    signedIn.cookies.set('pb_session', token);
    for (const url of ['/', '/papers/2607.00001']) {
      const r = await signedIn.get(url);
      assert.match(r.body, /Primary copy/, `${url} reads the primary for a signed-in user`);
    }
    const vote = await signedIn.post('/papers/2607.00001/upvote', { on: '1' }, '/papers/2607.00001', { accept: 'application/json' });
    assert.equal(vote.status, 200);
    assert.equal((await deps.store.papers.byId('2607.00001'))?.upvotes, 2, 'the vote went to the primary');
    assert.equal((await deps.store.replica.papers.byId('2607.00001'))?.upvotes, 1, 'nothing was written to the replica');
  });

  it('is refused without PostgreSQL as the primary, naming the option', () => {
    assert.throws(() => testConfig({ DATABASE_READ_URL: 'postgres://x@127.0.0.1/test' }), /DATABASE_READ_URL: a read replica needs DATABASE_URL on PostgreSQL too/);
    assert.throws(() => testConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/test', DATABASE_READ_URL: 'mysql://x' }), /DATABASE_READ_URL: expected postgres:\/\//);
  });
});

describe('REDIS_URL', { skip: REDIS_SKIP }, () => {
  const signUps = async (apps: Awaited<ReturnType<typeof buildApp>>[], ip: string) => {
    const statuses: number[] = [];
    for (const app of apps) {
      const c = new WebClient(app, ip);
      statuses.push((await c.post('/signup', { email: `r${statuses.length}-${ip}@example.org`, password: 'correct horse battery' }, '/signup')).status);
    }
    return statuses;
  };

  it('keeps rate-limit counters in Redis, so app instances on separate databases share one budget', async () => {
    const prefix = `paperboy-test-${randomBytes(4).toString('hex')}:`;
    const make = async () => {
      // Each instance has its own SQLite file: only Redis connects them.
      const d = await createDeps(testConfig({ REDIS_URL, REDIS_PREFIX: prefix, RATE_LIMIT_FACTOR: '0.2' }), fixedClock(NOW), silentLog); // sign-up: 2 an hour
      closeLater(d.store);
      return buildApp(d);
    };
    const apps = [await make(), await make(), await make()];
    const redis = new Redis(REDIS_URL);
    after(async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      for (const app of apps) await app.close();
    });
    assert.deepEqual(await signUps(apps, '10.4.0.1'), [200, 200, 429], 'the third sign-up from one address is over the shared limit');
    const keys = await redis.keys(`${prefix}*`);
    assert.ok(keys.length > 0 && keys.every((k) => k.startsWith(`${prefix}rate:`)), `counters live under the prefix: ${keys.join(', ')}`);
    assert.deepEqual(await signUps(apps.slice(0, 1), '10.4.0.2'), [200], 'another address has its own budget');
  });

  it('lets requests through, and says so in the log, while Redis is unreachable', async () => {
    const warnings: string[] = [];
    const log = { ...silentLog, warn: (m: string) => void warnings.push(m) };
    const d = await createDeps(testConfig({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_FACTOR: '0.2' }), fixedClock(NOW), log);
    closeLater(d.store);
    const app = await buildApp(d);
    after(() => app.close());
    assert.deepEqual(await signUps([app, app, app], '10.4.0.3'), [200, 200, 200]);
    assert.ok(warnings.some((w) => /Redis unreachable .*rate limits are not applied/.test(w)), warnings.join('\n'));
  });
});
