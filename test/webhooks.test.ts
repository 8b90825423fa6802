// Webhooks against a local receiver: new papers matching a saved filter are POSTed as signed JSON,
// failures are retried with backoff and logged, repeated failures switch the hook off, and private
// addresses are refused unless allowed.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../src/deps.ts';
import { runWebhooks, WEBHOOK_DISABLE_AFTER, WEBHOOK_RETRY_S } from '../src/jobs/webhooks.ts';
import { createDeps } from '../src/main.ts';
import { startSession } from '../src/people/accounts.ts';
import { checkWebhookUrl, isPrivateAddress } from '../src/people/webhooks.ts';
import { buildApp } from '../src/web/app.ts';
import { paper, silentLog, testConfig } from './helpers.ts';
import { WebClient } from './web-client.ts';

type Received = { headers: Record<string, string | string[] | undefined>; body: string };
let received: Received[] = [];
let answer = 200;
let server: Server;
let receiverUrl: string;
let clockMs = Date.parse('2026-06-10T12:00:00Z');
const clock = { now: () => new Date(clockMs) };
let deps: Deps;
let app: FastifyInstance;
let client: WebClient;

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  deps = await createDeps(testConfig({ WEBHOOK_ALLOW_PRIVATE: 'true', RATE_LIMIT_FACTOR: '1000' }), clock, silentLog);
  await deps.store.transaction((tx) => tx.papers.upsertMany([paper({ id: '2606.50001', title: 'Old robot paper', categories: ['cs.RO'] })], clock.now().toISOString()));
  app = await buildApp(deps);
  const user = (await deps.store.users.create({ email: 'hooks@example.org', handle: 'hooks', displayName: 'Hooks', passwordHash: null, now: clock.now().toISOString() }))!;
  client = new WebClient(app, '10.2.0.1');
  client.cookies.set('pb_session', (await startSession(deps, user, { ip: '10.2.0.1', userAgent: 'test' })).sessionToken);
});
after(async () => {
  await app.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const verify = (secret: string, r: Received): boolean => {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['x-paperboy-signature']));
  if (!m) return false;
  return createHmac('sha256', secret).update(`${m[1]}.${r.body}`).digest('hex') === m[2];
};

describe('webhooks', () => {
  let secret: string;
  let hookId: number;

  it('are registered in settings on a saved filter, and POST only new matching papers, signed', async () => {
    assert.equal((await client.post('/settings/filters', { name: 'Robots', query: 'cat:cs.RO -cat:cs.CV grasping' })).status, 303);
    const filterId = (await deps.store.subscriptions.filtersOf((await deps.store.users.byHandle('hooks'))!.id))[0]!.id;
    assert.equal((await client.post('/settings/webhooks', { filter: String(filterId), url: receiverUrl })).status, 303);
    const hook = (await deps.store.webhooks.ofUser((await deps.store.users.byHandle('hooks'))!.id))[0]!;
    secret = hook.secret;
    hookId = hook.id;
    assert.match(secret, /^whsec_/);

    assert.deepEqual(await runWebhooks(deps), { queued: 0, delivered: 0, failed: 0 }, 'papers from before the hook are not sent');
    await deps.store.transaction((tx) =>
      tx.papers.upsertMany(
        [
          paper({ id: '2606.50002', title: 'Grasping with soft hands', categories: ['cs.RO'] }),
          paper({ id: '2606.50003', title: 'Grasping seen by cameras', categories: ['cs.RO', 'cs.CV'] }),
          paper({ id: '2606.50004', title: 'Language and grasping', categories: ['cs.CL'] }),
        ],
        clock.now().toISOString(),
      ),
    );
    assert.deepEqual(await runWebhooks(deps), { queued: 1, delivered: 1, failed: 0 });
    const r = received.at(-1)!;
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['x-paperboy-event'], 'papers.new');
    assert.ok(verify(secret, r), 'the signature verifies with the hook secret');
    assert.ok(!verify('whsec_wrong', r));
    const body = JSON.parse(r.body);
    assert.deepEqual(body.papers.map((p: { id: string }) => p.id), ['2606.50002']);
    assert.equal(body.filter.query, 'cat:cs.RO -cat:cs.CV grasping');
    assert.equal(body.papers[0].arxivUrl, 'https://arxiv.org/abs/2606.50002');
    assert.deepEqual(await runWebhooks(deps), { queued: 0, delivered: 0, failed: 0 }, 'nothing is sent twice');
    // A new version of a known paper is not new.
    await deps.store.transaction((tx) => tx.papers.upsertMany([paper({ id: '2606.50002', title: 'Grasping with soft hands (v2)', categories: ['cs.RO'], version: 2 })], clock.now().toISOString()));
    assert.equal((await runWebhooks(deps)).queued, 0);
  });

  it('retries a failed delivery with backoff, logs every attempt, and switches the hook off after repeated failures', async () => {
    answer = 500;
    received = [];
    await deps.store.transaction((tx) => tx.papers.upsertMany([paper({ id: '2606.50005', title: 'More grasping', categories: ['cs.RO'] })], clock.now().toISOString()));
    assert.deepEqual(await runWebhooks(deps), { queued: 1, delivered: 0, failed: 1 });
    assert.deepEqual(await runWebhooks(deps), { queued: 0, delivered: 0, failed: 0 }, 'not retried before its delay');
    clockMs += WEBHOOK_RETRY_S[0]! * 1000;
    answer = 200;
    assert.deepEqual(await runWebhooks(deps), { queued: 0, delivered: 1, failed: 0 });
    assert.equal(received.length, 2);
    assert.equal(received[0]!.body, received[1]!.body, 'the same delivery again');
    const log = await deps.store.webhooks.log(hookId, 10);
    assert.deepEqual({ status: log[0]!.status, attempts: log[0]!.attempts, lastStatus: log[0]!.lastStatus }, { status: 'delivered', attempts: 2, lastStatus: 200 });
    const settings = await client.get('/settings');
    assert.match(settings.body, /Recent deliveries/);

    // A receiver that always fails: each delivery is given up after its retries; after 3 the hook is off.
    answer = 503;
    for (let n = 0; n < WEBHOOK_DISABLE_AFTER; n++) {
      await deps.store.transaction((tx) => tx.papers.upsertMany([paper({ id: `2606.5010${n}`, title: `Grasping ${n}`, categories: ['cs.RO'] })], clock.now().toISOString()));
      await runWebhooks(deps);
      for (const delay of WEBHOOK_RETRY_S) {
        clockMs += delay * 1000;
        await runWebhooks(deps);
      }
    }
    const hook = await deps.store.webhooks.byId(hookId);
    assert.equal(hook?.active, false);
    assert.match((await client.get('/settings')).body, /Switched off/);
    const before = received.length;
    await deps.store.transaction((tx) => tx.papers.upsertMany([paper({ id: '2606.50200', title: 'Grasping again', categories: ['cs.RO'] })], clock.now().toISOString()));
    await runWebhooks(deps);
    assert.equal(received.length, before, 'a switched-off hook gets nothing');
    assert.equal((await client.post(`/settings/webhooks/${hookId}/enable`, {})).status, 303);
    assert.equal((await deps.store.webhooks.byId(hookId))?.active, true);
  });

  it('refuses private and local addresses unless allowed, and URLs that are not http(s)', async () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '172.16.5.4', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1']) assert.ok(isPrivateAddress(ip), ip);
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700::1111']) assert.ok(!isPrivateAddress(ip), ip);
    assert.equal((await checkWebhookUrl('http://127.0.0.1:9/x', false)).ok, false);
    assert.equal((await checkWebhookUrl('http://[::1]/x', false)).ok, false);
    assert.equal((await checkWebhookUrl('http://localhost/x', false)).ok, false);
    assert.equal((await checkWebhookUrl('ftp://example.org/x', true)).ok, false);
    assert.equal((await checkWebhookUrl('https://user:pw@example.org/x', true)).ok, false);
    assert.equal((await checkWebhookUrl('http://127.0.0.1:9/x', true)).ok, true);
    const strict = await createDeps(testConfig({}), clock, silentLog);
    const strictApp = await buildApp(strict);
    const u = (await strict.store.users.create({ email: 's@example.org', handle: 'strict', displayName: 'S', passwordHash: null, now: clock.now().toISOString() }))!;
    const c = new WebClient(strictApp, '10.2.0.9');
    c.cookies.set('pb_session', (await startSession(strict, u, { ip: '10.2.0.9', userAgent: 't' })).sessionToken);
    await c.post('/settings/filters', { name: 'All', query: 'robots' });
    const fid = (await strict.store.subscriptions.filtersOf(u.id))[0]!.id;
    const r = await c.post('/settings/webhooks', { filter: String(fid), url: receiverUrl });
    assert.equal(r.status, 400);
    assert.match(r.body, /public addresses only/);
    await strictApp.close();
  });
});
