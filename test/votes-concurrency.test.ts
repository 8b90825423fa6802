// 200 signed-in users vote on the same papers at once, over real HTTP from parallel connections
// (sessions and CSRF tokens as browsers send them): every vote counts exactly once, none errors,
// and taking votes back at the same time leaves exact counts too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent, request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../src/deps.ts';
import { startSession } from '../src/people/accounts.ts';
import { buildApp } from '../src/web/app.ts';
import { paper, testDeps } from './helpers.ts';

const USERS = 200;
const PAPERS = ['2606.20001', '2606.20002', '2606.20003', '2606.20004', '2606.20005'];

let deps: Deps;
let app: FastifyInstance;
let base: string;
let sessions: { cookie: string; csrf: string }[] = [];

before(async () => {
  deps = await testDeps({ RATE_LIMIT_FACTOR: '1000' });
  await deps.store.transaction((tx) => tx.papers.upsertMany(PAPERS.map((id) => paper({ id, featuredDate: '2026-07-01', upvotes: 5 })), deps.clock.now().toISOString()));
  app = await buildApp(deps);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  // Accounts straight into the store (hashing 200 passwords would test argon2, not voting); sessions
  // through the real sign-in code; the CSRF token read from a page, as a browser gets it.
  const hash = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000';
  sessions = await Promise.all(
    Array.from({ length: USERS }, async (_, i) => {
      const user = (await deps.store.users.create({ email: `voter${i}@example.org`, handle: `voter${i}`, displayName: `Voter ${i}`, passwordHash: hash, now: deps.clock.now().toISOString() }))!;
      const s = await startSession(deps, user, { ip: '127.0.0.1', userAgent: 'test' });
      return { cookie: `pb_session=${s.sessionToken}`, csrf: '' };
    }),
  );
  for (const s of sessions) {
    const page = await app.inject({ url: '/settings', headers: { cookie: s.cookie } });
    s.csrf = /name="csrf-token" content="([^"]+)"/.exec(page.body)![1]!;
  }
});
after(async () => {
  agent.destroy();
  await app.close();
});

// 64 keep-alive connections carry the requests, as many browsers would.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function vote(s: { cookie: string; csrf: string }, id: string, on: boolean): Promise<{ status: number; upvotes: number }> {
  const body = `on=${on ? 1 : 0}`;
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/papers/${id}/upvote`,
      {
        method: 'POST',
        agent,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, upvotes: (JSON.parse(text) as { upvotes: number }).upvotes }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('votes under concurrency', () => {
  it('counts 1,000 simultaneous votes (200 users x 5 papers) exactly', async () => {
    const results = await Promise.all(sessions.flatMap((s) => PAPERS.map((id) => vote(s, id, true))));
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
    for (const id of PAPERS) {
      assert.equal((await deps.store.papers.byId(id))?.upvotes, 5 + USERS, id);
      assert.equal(await deps.store.votes.countFor(id), USERS);
    }
    // The highest count any reply saw is the final one: no reply reported a lost update.
    assert.equal(Math.max(...results.map((r) => r.upvotes)), 5 + USERS);
  });

  it('keeps exact counts when the same users vote again and half take their vote back, all at once', async () => {
    const results = await Promise.all(
      sessions.flatMap((s, i) => [vote(s, PAPERS[0]!, true), vote(s, PAPERS[1]!, i % 2 === 1)]),
    );
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
    assert.equal((await deps.store.papers.byId(PAPERS[0]!))?.upvotes, 5 + USERS, 'repeated votes count once');
    assert.equal((await deps.store.papers.byId(PAPERS[1]!))?.upvotes, 5 + USERS / 2);
    assert.equal(await deps.store.votes.countFor(PAPERS[1]!), USERS / 2);
  });
});
