// Ingest semantics on a real store: idempotence, versions, deletions, withdrawals, partial sources,
// and the paper page that shows them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BULK_LOAD_SHARE, compactAfterBulkLoad, ingest } from '../src/ingest/ingest.ts';
import { parseFile } from '../src/ingest/parse.ts';
import type { Store } from '../src/store/store.ts';
import { buildApp } from '../src/web/app.ts';
import { FIXTURES, freshStore, NOW, testDeps } from './helpers.ts';

const load = (store: Store, name: string, opts: { skipInvalid?: boolean; dryRun?: boolean } = {}) =>
  ingest(store, name, parseFile(join(FIXTURES, name)), { now: () => new Date(NOW), ...opts });

describe('ingest semantics', () => {
  it('is idempotent: the same input twice changes nothing the second time', async () => {
    const store = await freshStore();
    const first = await load(store, 'arxiv-api-query.atom.xml');
    assert.deepEqual([first.added, first.updated, first.unchanged], [3, 0, 0]);
    const again = await load(store, 'arxiv-api-query.atom.xml');
    assert.deepEqual([again.added, again.updated, again.unchanged], [0, 0, 3]);
  });

  it('compacts the search index only after a bulk load (a tenth of the papers or more)', async () => {
    const store = await freshStore();
    const first = await load(store, 'arxiv-sample-7.jsonl');
    const total = await store.papers.count();
    assert.equal(first.added, total);
    assert.equal(BULK_LOAD_SHARE, 0.1);
    assert.equal(typeof (await compactAfterBulkLoad(store, first.added)), 'number');
    assert.equal(await compactAfterBulkLoad(store, 0), undefined);
    // Among 7 papers, 1 added is a bulk load (1 >= 0.7); among 11 or more it is not.
    assert.equal(typeof (await compactAfterBulkLoad(store, 1)), 'number');
    await load(store, 'arxiv-api-query.atom.xml');
    await load(store, 'hf-daily-papers.json');
    assert.ok((await store.papers.count()) > 10);
    assert.equal(await compactAfterBulkLoad(store, 1), undefined);
  });

  it('marks OAI-PMH deleted records instead of dropping them', async () => {
    const store = await freshStore();
    await load(store, 'arxiv-api-query.atom.xml');
    await load(store, 'oai-arxiv-page1.xml');
    const page2 = await load(store, 'oai-arxiv-page2.xml');
    assert.equal(page2.deleted, 1);
    const gone = await store.papers.byId('2605.30355');
    assert.equal(gone?.deleted, true);
    assert.equal(gone?.title.startsWith('Cosm'), true, 'the record is kept');
    assert.equal((await load(store, 'oai-arxiv-page2.xml')).deleted, 0, 'marking is idempotent too');
  });

  it('records versions; a new version updates the text but not the featured day', async () => {
    const store = await freshStore();
    await load(store, 'arxiv-api-query.atom.xml'); // 2605.30380 v1, featured 2026-06-01
    const before = await store.papers.byId('2605.30380');
    assert.equal(before?.featuredDate, '2026-06-01');
    const raw = await load(store, 'oai-arxivraw.xml'); // the same paper at v3, withdrawn
    assert.equal(raw.updated, 1);
    const after = await store.papers.byId('2605.30380');
    assert.equal(after?.featuredDate, '2026-06-01');
    assert.equal(after?.version, 3);
    assert.equal(after?.updatedDate, '2026-06-20');
    assert.equal(after?.versions.length, 3);
    assert.equal(after?.withdrawn, true);
    assert.deepEqual(after?.categories, ['cs.CV']);
  });

  it('never replaces what one source knew with what another does not say', async () => {
    const store = await freshStore();
    await load(store, 'arxiv-api-query.atom.xml');
    const withAffiliations = await store.papers.byId('2605.30355');
    assert.equal(withAffiliations?.affiliations[0], 'Booz Allen Hamilton');
    // The same paper as an OAI arXiv-format record carries no affiliations and no journal ref.
    await store.transaction((tx) =>
      tx.papers.upsertMany([{ ...withAffiliations!, affiliations: [], journalRef: undefined, doi: undefined, upvotes: undefined, title: 'Cosm (v3)' }], NOW),
    );
    const merged = await store.papers.byId('2605.30355');
    assert.equal(merged?.title, 'Cosm (v3)');
    assert.equal(merged?.affiliations[0], 'Booz Allen Hamilton');
    assert.equal(merged?.journalRef, 'Phys. Rev. E 113, 064301 (2026)');
  });

  it('dry-runs report exact counts and write nothing', async () => {
    const store = await freshStore();
    const r = await load(store, 'arxiv-snapshot.jsonl', { dryRun: true });
    assert.equal(r.added, 3);
    assert.equal(r.written, false);
    assert.equal((await store.papers.stats()).papers, 0);
  });

  it('shows versions, withdrawal and affiliations on the paper page', async () => {
    const deps = await testDeps();
    for (const f of ['arxiv-api-query.atom.xml', 'oai-arxivraw.xml']) await load(deps.store, f);
    const app = await buildApp(deps);
    const page = await app.inject('/papers/2605.30380');
    assert.match(page.body, /<strong>Withdrawn\.<\/strong>/);
    assert.match(page.body, /v3, updated Jun 20, 2026/);
    const cosm = await app.inject('/papers/2605.30355');
    assert.match(cosm.body, /Kenneth M. Zick<\/a> <span class="affiliation">\(Booz Allen Hamilton\)<\/span>/);
    assert.match(cosm.body, /v2, updated Jun 12, 2026/);
  });
});
