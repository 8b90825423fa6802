// The page cache: hits, invalidation by data change and by age, gzip, and what it must not cache.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { buildApp } from '../src/web/app.ts';
import { paper, testDeps } from './helpers.ts';

describe('page cache', () => {
  it('serves repeated GETs from memory until data changes or the entry ages out', async () => {
    let now = Date.parse('2026-07-02T12:00:00Z');
    const deps = await testDeps({ PAGE_CACHE_SECONDS: '60' });
    const clocked = { ...deps, clock: { now: () => new Date(now) } };
    const app = await buildApp(clocked);
    await deps.store.transaction((tx) => tx.papers.upsertMany([paper({ id: '2606.00001', title: 'First title' })], deps.clock.now().toISOString()));

    const first = await app.inject('/api/papers/2606.00001');
    assert.equal(first.headers['x-cache'], 'miss');
    const second = await app.inject('/api/papers/2606.00001');
    assert.equal(second.headers['x-cache'], 'hit');
    assert.equal(second.body, first.body);
    for (const h of ['content-type', 'content-security-policy', 'x-content-type-options', 'x-frame-options']) {
      assert.ok(second.headers[h], `a hit carries ${h}`);
      assert.equal(second.headers[h], first.headers[h]);
    }

    const etag = second.headers.etag as string;
    assert.match(etag, /^"[\w-]+"$/);
    const notModified = await app.inject({ url: '/api/papers/2606.00001', headers: { 'if-none-match': etag } });
    assert.equal(notModified.statusCode, 304);
    assert.equal(notModified.body, '');

    await deps.store.transaction((tx) => tx.papers.upsertMany([paper({ id: '2606.00001', title: 'Second title' })], deps.clock.now().toISOString()));
    const changed = await app.inject('/api/papers/2606.00001');
    assert.equal(changed.headers['x-cache'], 'miss');
    assert.equal(changed.json().title, 'Second title');
    assert.notEqual(changed.headers.etag, etag, 'new content, new ETag');

    now += 61_000;
    assert.equal((await app.inject('/api/papers/2606.00001')).headers['x-cache'], 'miss');
  });

  it('gzips for clients that accept it, and bypasses signed-in requests and errors', async () => {
    const app = await buildApp(await testDeps({ PAGE_CACHE_SECONDS: '60', DEMO_DATA: 'true' }));
    const gz = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    const html = gunzipSync(gz.rawPayload).toString('utf8');
    assert.match(html, /Daily Papers/);
    const plain = await app.inject('/');
    assert.equal(plain.headers['x-cache'], 'hit');
    assert.equal(plain.body, html);
    assert.ok(gz.rawPayload.length < html.length / 3, 'compressed to under a third');

    // A signed-out browser's other cookies (the login form's CSRF cookie) do not change the page.
    const otherCookie = await app.inject({ url: '/', headers: { cookie: 'pb_csrf=x' } });
    assert.equal(otherCookie.headers['x-cache'], 'hit');
    const signedIn = await app.inject({ url: '/', headers: { cookie: 'pb_csrf=x; pb_session=x' } });
    assert.equal(signedIn.headers['x-cache'], undefined);
    // A page carrying a per-browser token is never stored.
    await app.inject('/login');
    assert.equal((await app.inject('/login')).headers['x-cache'], undefined, 'the login form is not cached');
    await app.inject('/papers/2606.99999');
    assert.equal((await app.inject('/papers/2606.99999')).headers['x-cache'], undefined, '404s are not cached');
  });
});
