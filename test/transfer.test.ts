// paperboy export / import between engines: a database with rows in every table goes SQLite ->
// PostgreSQL -> SQLite, and every table compares equal each way; derived data (full-text index,
// categories) is rebuilt by the target, identities continue after the largest imported id, and a
// failed import writes nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../src/store/store.ts';
import type { ExportLine } from '../src/store/transfer.ts';
import { ENGINES, freshStore, NOW, paper } from './helpers.ts';

const pgSkip = ENGINES.find((e) => e.engine === 'postgres')!.skip;

/** One or more rows in every table, through the repositories. */
async function populate(s: Store): Promise<void> {
  await s.transaction((tx) =>
    tx.papers.upsertMany(
      [
        paper({ id: '2606.60001', title: 'Transfer of diffusion models', categories: ['cs.LG', 'cs.CV'], organization: { name: 'acme', fullname: 'Acme Labs' }, upvotes: 3 }),
        paper({ id: '2606.60002', title: 'Moving robots', abstract: 'With $x^2$ math & "quotes" ünïcödé.', categories: ['cs.RO'] }),
      ],
      NOW,
    ),
  );
  const u = (await s.users.create({ email: 'a@example.org', handle: 'a', displayName: 'Ä', passwordHash: '$argon2id$x', now: NOW }))!;
  const v = (await s.users.create({ email: 'b@example.org', handle: 'b', displayName: 'B', passwordHash: null, now: NOW }))!;
  await s.embeddings.put([{ seq: 1, contentHash: 'h', vector: new Uint8Array([0, 0, 128, 63, 0, 0, 0, 64]) }], 'model-x', NOW);
  await s.harvests.save({ key: 'k', source: 'arxiv-oai', params: { from: '2026-06-01' }, cursor: 'tok', status: 'done', pages: 2, records: 10, error: undefined, startedAt: NOW, updatedAt: NOW });
  await s.users.createSession({ idHash: 'sess', userId: u.id, now: NOW, expiresAt: '2026-08-01T00:00:00Z', userAgent: 'ua', ip: '127.0.0.1' });
  await s.users.createEmailToken({ tokenHash: 'tok', purpose: 'verify', userId: u.id, now: NOW, expiresAt: '2026-07-03T00:00:00Z' });
  await s.users.recordFailure(['ip:1'], NOW);
  await s.transaction((tx) => tx.votes.set(v.id, '2606.60001', true, NOW));
  await s.submissions.add(u.id, '2606.60002', NOW);
  const c = await s.comments.add({ paperId: '2606.60001', userId: u.id, parentId: undefined, body: 'Hi **there**', now: NOW });
  await s.comments.add({ paperId: '2606.60001', userId: v.id, parentId: c, body: 'Reply', now: NOW });
  await s.comments.report({ commentId: c, userId: v.id, reason: 'spam', now: NOW });
  await s.organizations.addMember('acme', u.id, 'owner', NOW);
  await s.moderation.claim({ kind: 'author', target: '2606.60001', userId: u.id, now: NOW });
  await s.moderation.audit({ actorId: u.id, action: 'hide-paper', target: 'paper:x', detail: 'd', now: NOW });
  await s.users.createApiToken({ userId: u.id, name: 't', tokenHash: 'th', scopes: ['vote'], now: NOW });
  await s.outbox.enqueue({ kind: 'k', to: 'a@example.org', message: { subject: 's', text: 't', headers: { 'X-A': '1' } }, now: NOW });
  await s.outbox.settingOrInit('secret_key', 'secret');
  const f = await s.subscriptions.addFilter({ userId: u.id, name: 'f', query: 'cat:cs.LG', feedToken: 'ft', now: NOW });
  const sub = await s.subscriptions.create({ email: 'a@example.org', userId: u.id, status: 'active', frequency: 'weekly', weekday: 3, hour: 9, timeZone: 'Europe/Paris', query: '', confirmHash: null, nextDueAt: NOW, now: NOW });
  await s.transaction((tx) => tx.subscriptions.recordDigest({ subscriptionId: sub, period: '2026-W27', paperIds: ['2606.60001'], outboxId: 1, nextDueAt: NOW, now: NOW }));
  const hook = await s.webhooks.create({ userId: u.id, filterId: f, url: 'https://example.org/h', secret: 'whsec', afterSeq: 2, now: NOW });
  await s.webhooks.enqueue({ webhookId: hook, payload: '{"a":1}', papers: 1, now: NOW });
  await s.jobs.claim('digests', '2026-07-02T12:00:00', 'node', NOW);
  await s.rateLimits.incr('ip:1signup', 60_000, 1_000_000);
}

async function dump(s: Store): Promise<string[]> {
  const out: string[] = [];
  for await (const line of s.exportRows()) out.push(JSON.stringify(line));
  return out;
}
async function* replay(lines: string[]): AsyncGenerator<ExportLine> {
  for (const l of lines) yield JSON.parse(l) as ExportLine;
}

describe('export and import between engines', { skip: pgSkip }, () => {
  it('moves every table SQLite -> PostgreSQL -> SQLite unchanged, rebuilding derived data', async () => {
    const source = await freshStore('sqlite');
    await populate(source);
    const exported = await dump(source);
    const tables = new Set(exported.map((l) => (JSON.parse(l) as ExportLine).table));
    assert.equal(tables.size, 27, `rows in every table: ${[...tables].join(', ')}`);

    const pgStore = await freshStore('postgres');
    const counts = await pgStore.importRows(replay(exported));
    assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), exported.length);
    assert.deepEqual(await dump(pgStore), exported, 'PostgreSQL holds exactly what SQLite held');

    const back = await freshStore('sqlite');
    await back.importRows(replay(await dump(pgStore)));
    assert.deepEqual(await dump(back), exported, 'and back again');

    for (const s of [pgStore, back]) {
      // Derived data was rebuilt: full-text search and category filters work on the imported papers.
      const hits = await s.papers.search({ required: [['diffusion']], mode: 'all', excluded: [] }, { authors: [], categories: ['cs.CV'], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined }, 'relevance', { limit: 5, offset: 0 }, 0);
      assert.deepEqual(hits.hits.map((h) => h.paper.id), ['2606.60001']);
      // Identities continue after the largest imported id.
      const next = await s.comments.add({ paperId: '2606.60002', userId: 1, parentId: undefined, body: 'new', now: NOW });
      assert.equal(next, 3);
      assert.equal((await s.users.create({ email: 'c@example.org', handle: 'c', displayName: 'C', passwordHash: null, now: NOW }))?.id, 3);
    }
  });

  it('refuses to import into a database that has data, and writes nothing when a line is bad', async () => {
    const source = await freshStore('sqlite');
    await populate(source);
    const lines = await dump(source);
    await assert.rejects(source.importRows(replay(lines)), /already holds papers/);
    const target = await freshStore('postgres');
    const broken = [...lines.slice(0, 10), JSON.stringify({ table: 'nonsense', row: {} })];
    await assert.rejects(target.importRows(replay(broken)), /line 11: unknown table "nonsense"/);
    assert.deepEqual(await dump(target), [], 'all or nothing');
  });
});
