// The store contract, on a real SQLite file and on a real PostgreSQL (a fresh schema per test): the
// same tests, so both engines answer alike.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { closeLater, ENGINES, freshLocation, freshStore, NOW, paper, tempDir } from './helpers.ts';
import { HIT_END, HIT_START } from '../src/domain/highlight.ts';
import { trendingScore } from '../src/domain/trending.ts';
import { parseQuery } from '../src/search/query.ts';
import { createSearch } from '../src/search/search.ts';
import type { PaperInput } from '../src/domain/paper.ts';
import { MIGRATIONS } from '../src/store/migrations/index.ts';
import { openReadyStore, openStore, SchemaError, type Store } from '../src/store/store.ts';

const nowMs = Date.parse(NOW);
const VERSIONS = MIGRATIONS.map((m) => m.version);
const LATEST = VERSIONS.at(-1)!;
const upsert = (store: Store, papers: PaperInput[], now: string) => store.transaction((tx) => tx.papers.upsertMany(papers, now));
const page = (limit = 10, offset = 0) => ({ limit, offset });
async function pgExec(url: string, statement: string): Promise<void> {
  await pgRows(url, statement);
}

async function pgRows<T>(url: string, statement: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(statement)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('migrations', () => {
  it('migrates an empty database once and reports it current', async () => {
    const store = openStore({ engine: 'sqlite', path: join(tempDir(), 'm.db') });
    assert.deepEqual(await store.schemaStatus(), { state: 'empty' });
    assert.deepEqual(await store.migrate(() => NOW), VERSIONS);
    assert.deepEqual(await store.migrate(() => NOW), []);
    assert.deepEqual(await store.schemaStatus(), { state: 'current', version: LATEST });
    await store.close();
  });

  it('refuses a newer schema, and an unknown database, saying what to do', async () => {
    const dir = tempDir();
    const newer = join(dir, 'newer.db');
    const s = openStore({ engine: 'sqlite', path: newer });
    await s.migrate(() => NOW);
    await s.close();
    const raw = new Database(newer);
    raw.prepare("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01')").run();
    raw.close();
    const opts = { migrate: true, nowIso: () => NOW };
    await assert.rejects(openReadyStore({ engine: 'sqlite', path: newer }, opts), (e: Error) => {
      assert.ok(e instanceof SchemaError);
      assert.match(e.message, new RegExp(`version 99 but this paperboy knows only up to ${LATEST}: upgrade paperboy`));
      return true;
    });

    const foreign = join(dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE customers (id INTEGER)');
    f.close();
    await assert.rejects(
      openReadyStore({ engine: 'sqlite', path: foreign }, opts),
      /tables paperboy did not create/,
    );
  });

  it('refuses a stale schema when migrating at start is off', async () => {
    const path = join(tempDir(), 'stale.db');
    await assert.rejects(openReadyStore({ engine: 'sqlite', path }, { migrate: false, nowIso: () => NOW }), /run `paperboy migrate`/);
  });
});

for (const { engine, skip } of ENGINES) {
  describe(`papers.upsertMany (${engine})`, { skip }, () => {
    it('adds, recognises unchanged input, and updates changed papers without moving their featured day or votes', async () => {
      const store = await freshStore(engine);
      const a = paper({ upvotes: 5, featuredDate: '2026-06-30' });
      const b = paper();
      assert.deepEqual(await upsert(store, [a, b], NOW), { added: 2, updated: 0, unchanged: 0 });
      assert.deepEqual(await upsert(store, [a, b], NOW), { added: 0, updated: 0, unchanged: 2 });

      const v2 = { ...a, title: 'A new title (v2)', authors: ['Grace Hopper'], authorCount: 1, version: 2, featuredDate: '2026-07-15', upvotes: 0 };
      assert.deepEqual(await upsert(store, [v2], NOW), { added: 0, updated: 1, unchanged: 0 });
      const got = await store.papers.byId(a.id);
      assert.equal(got?.title, 'A new title (v2)');
      assert.deepEqual(got?.authors, ['Grace Hopper']);
      assert.equal(got?.version, 2);
      assert.equal(got?.featuredDate, '2026-06-30');
      assert.equal(got?.upvotes, 5);
      assert.equal((await store.papers.byAuthor('Alan Turing', page())).papers.some((p) => p.id === a.id), false);
      assert.equal((await store.papers.byAuthor('grace hopper', page())).papers[0]?.id, a.id);
      // Counted as author pages find them: any case or accents, following the update.
      assert.equal(await store.papers.countByAuthor('GRACE HÓPPER'), 1);
      assert.equal(await store.papers.countByAuthor('alan turing'), 1, 'only b, since a no longer lists him');
      assert.equal(await store.papers.countByAuthor('Nobody'), 0);

      // The full-text index follows the update.
      const search = createSearch(store);
      assert.equal((await search.papers('"new title"', page())).hits[0]?.paper.id, a.id);
      assert.equal((await search.papers(`"${a.title}"`, page())).hits.some((h) => h.paper.id === a.id), false);
    });

    it('keeps the last of duplicate ids within a batch and stores organizations', async () => {
      const store = await freshStore(engine);
      const org = { name: 'google', fullname: 'Google' };
      const a = paper({ organization: org });
      await upsert(store, [{ ...a, title: 'first' }, { ...a, title: 'second' }], NOW);
      const got = await store.papers.byId(a.id);
      assert.equal(got?.title, 'second');
      assert.deepEqual(got?.organization, org);
      assert.deepEqual(await store.organizations.byName('google'), org);
      assert.equal((await store.papers.byOrganization('google', page())).papers.length, 1);
    });

    it('refuses to run outside a transaction', async () => {
      const store = await freshStore(engine);
      await assert.rejects(store.papers.upsertMany([paper()], NOW), /needs a transaction/);
    });

    it('writes nothing when its transaction fails', async () => {
      const store = await freshStore(engine);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.papers.upsertMany([paper()], NOW);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal((await store.papers.stats()).papers, 0);
    });
  });

  describe(`papers: listings (${engine})`, { skip }, () => {
    it('lists a period by trending score or newest, pages, counts and finds neighbouring days', async () => {
      const store = await freshStore(engine);
      const day = (d: string, upvotes: number, id: string) => paper({ id, featuredDate: d, upvotes });
      await upsert(store, 
        [
          day('2026-06-26', 50, '2606.00001'),
          day('2026-06-29', 3, '2606.00002'),
          day('2026-06-29', 9, '2606.00003'),
          day('2026-06-29', 0, '2606.00004'),
          day('2026-07-01', 1, '2607.00001'),
        ],
        NOW,
      );
      const june29 = { start: '2026-06-29', end: '2026-06-30' };
      const trending = await store.papers.listForPeriod(june29, 'trending', page(), nowMs);
      assert.deepEqual(trending.papers.map((p) => p.id), ['2606.00003', '2606.00002', '2606.00004']);
      const newest = await store.papers.listForPeriod(june29, 'newest', page(2), nowMs);
      assert.deepEqual(newest.papers.map((p) => p.id), ['2606.00004', '2606.00003']);
      assert.equal(newest.hasMore, true);
      assert.equal(await store.papers.countForPeriod(june29), 3);

      // Across days age counts: 50 votes 156 h old (51/158^1.5 = 0.026) still beat 9 votes 84 h old
      // (10/86^1.5 = 0.013), and 1 vote 36 h old (2/38^1.5 = 0.0085) comes after both.
      const weeks = await store.papers.listForPeriod({ start: '2026-06-22', end: '2026-07-06' }, 'trending', page(3), nowMs);
      assert.deepEqual(weeks.papers.map((p) => p.id), ['2606.00001', '2606.00003', '2607.00001']);
      assert.equal(await store.papers.adjacentDay('2026-06-29', 'prev'), '2026-06-26');
      assert.equal(await store.papers.adjacentDay('2026-06-29', 'next'), '2026-07-01');
      assert.equal(await store.papers.adjacentDay('2026-07-01', 'next'), undefined);
      assert.equal(await store.papers.latestDay('2026-06-30'), '2026-06-29');
      assert.equal(await store.papers.latestDay('2026-01-01'), '2026-07-01');
    });

    it("lists an author's and an organization's papers newest or most upvoted first, and counts them", async () => {
      const store = await freshStore(engine);
      const lab = { name: 'lab', fullname: 'The Lab' };
      const by = (id: string, d: string, upvotes: number, authors: string[]) => paper({ id, featuredDate: d, upvotes, authors, authorCount: authors.length, organization: lab });
      await upsert(store, [
        by('2606.00011', '2026-06-20', 7, ['Ada Lovelace']),
        by('2606.00012', '2026-06-25', 2, ['ADA LOVELACE', 'Alan Turing']),
        by('2606.00013', '2026-06-28', 7, ['Grace Hopper', 'Ada Lóvelace']),
        by('2606.00014', '2026-06-29', 40, ['Grace Hopper']),
      ], NOW);
      const ids = (l: { papers: { id: string }[] }) => l.papers.map((p) => p.id);
      assert.deepEqual(ids(await store.papers.byAuthor('ada lovelace', page())), ['2606.00013', '2606.00012', '2606.00011']);
      // Ties in votes go to the newer paper.
      assert.deepEqual(ids(await store.papers.byAuthor('ada lovelace', page(), 'upvoted')), ['2606.00013', '2606.00011', '2606.00012']);
      const second = await store.papers.byAuthor('ada lovelace', page(1, 1), 'upvoted');
      assert.deepEqual(ids(second), ['2606.00011']);
      assert.equal(second.hasMore, true);
      assert.equal(await store.papers.countByAuthor('Ada Lovelace'), 3);
      assert.deepEqual(ids(await store.papers.byOrganization('lab', page(), 'upvoted')), ['2606.00014', '2606.00013', '2606.00011', '2606.00012']);
      assert.equal(await store.papers.countByOrganization('lab'), 4);
      assert.equal(await store.papers.countByOrganization('nobody'), 0);
      await upsert(store, [paper({ id: '2606.00015', organization: { name: 'aardvark', fullname: 'Aardvark Institute' } })], NOW);
      assert.deepEqual(await store.organizations.directory(), [
        { name: 'lab', fullname: 'The Lab', papers: 4 },
        { name: 'aardvark', fullname: 'Aardvark Institute', papers: 1 },
      ]);
    });
  });

  describe(`papers.byIds (${engine})`, { skip }, () => {
    it('returns any number of papers in the order asked, skipping unknown ids', async () => {
      const store = await freshStore(engine);
      const ps = Array.from({ length: 1200 }, (_, i) => paper({ id: `2607.${String(10000 + i)}` }));
      await upsert(store, ps, NOW);
      const asked = [...ps.map((p) => p.id).reverse(), '9999.99999'];
      const got = await store.papers.byIds(asked);
      assert.equal(got.length, 1200);
      assert.deepEqual(got.map((p) => p.id), asked.slice(0, 1200));
      await store.close();
    });
  });

  describe(`papers: search (${engine})`, { skip }, () => {
    it('ranks title matches above abstract matches and marks the hits', async () => {
      const store = await freshStore(engine);
      const inAbstract = paper({ title: 'Something else', abstract: 'We study trust region methods at length.' });
      const inTitle = paper({ title: 'Trust Region Policy Optimization', abstract: 'A method.' });
      const byAuthor = paper({ title: 'Unrelated', abstract: 'Nothing.', authors: ['Region Trustworthy'] });
      await upsert(store, [inAbstract, inTitle, byAuthor], NOW);
      const search = createSearch(store);
      const r = await search.papers('trust region', page());
      assert.equal(r.mode, 'all');
      assert.deepEqual(r.hits.map((h) => h.paper.id), [inTitle.id, inAbstract.id]);
      assert.equal(r.hits[0]!.titleHighlighted, `${HIT_START}Trust${HIT_END} ${HIT_START}Region${HIT_END} Policy Optimization`);
      assert.match(r.hits[1]!.snippet, new RegExp(`${HIT_START}trust${HIT_END}`));
      // Stemming: "regions" finds "region", in titles, abstracts and author names (weighted in that order).
      assert.deepEqual((await search.papers('regions', page())).hits.map((h) => h.paper.id), [inTitle.id, byAuthor.id, inAbstract.id]);
    });

    it('marks and checks only the papers asked for, whatever else the query matches', async () => {
      const store = await freshStore(engine);
      const sparse = paper({ title: 'Sparse attention for long documents', abstract: 'We make attention sparse and documents long.' });
      const dense = paper({ title: 'Dense retrieval', abstract: 'Attention is not what this needs.' });
      const graph = paper({ title: 'Graph networks', abstract: 'Nothing to see.' });
      const other = paper({ title: 'Attention everywhere', abstract: 'Attention and sparse things.' });
      await upsert(store, [sparse, dense, graph, other], NOW);
      const q = { required: [['attention']], excluded: [], mode: 'all' as const };
      const marks = await store.papers.highlights([graph.id, dense.id, sparse.id], q);
      assert.deepEqual([...marks.keys()].sort(), [dense.id, sparse.id].sort(), 'only the asked papers that match');
      assert.equal(marks.get(sparse.id)!.titleHighlighted, `Sparse ${HIT_START}attention${HIT_END} for long documents`);
      assert.match(marks.get(dense.id)!.snippet, new RegExp(`^${HIT_START}Attention${HIT_END} is not`));
      // Stemmed as the index stems ("document" finds "documents"); a phrase must match as a phrase.
      const phrase = await store.papers.highlights([sparse.id, other.id], { required: [['long', 'document']], excluded: [], mode: 'all' });
      assert.deepEqual([...phrase.keys()], [sparse.id]);
      // (PostgreSQL marks a phrase's words one by one.)
      assert.equal(phrase.get(sparse.id)!.titleHighlighted.replace(`${HIT_END} ${HIT_START}`, ' '), `Sparse attention for ${HIT_START}long documents${HIT_END}`);
      assert.deepEqual([...(await store.papers.matchingAmong([sparse.id, graph.id, dense.id], [['sparse'], ['graph', 'networks']]))].sort(), [sparse.id, graph.id].sort());
      assert.deepEqual([...(await store.papers.matchingAmong([dense.id], [['sparse']]))], []);
      assert.equal((await store.papers.highlights([], q)).size, 0);
      await store.close();
    });

    it('scores papers found otherwise on the words they have, on the scale of the ranked matches', async () => {
      const store = await freshStore(engine);
      const both = paper({ title: 'Sparse attention for long documents', abstract: 'Sparse attention makes long documents cheap.' });
      const bothToo = paper({ title: 'Attention', abstract: 'Sparse attention, sparse again, and sparse once more for long documents.' });
      const titleOnly = paper({ title: 'Sparse coding', abstract: 'Dictionaries.' });
      const abstractOnly = paper({ title: 'Coding', abstract: 'A sparse method for long inputs, rather long ones.' });
      const neither = paper({ title: 'Graph networks', abstract: 'Nothing to see.' });
      const filler = Array.from({ length: 8 }, (_, i) => paper({ title: `Filler ${i}`, abstract: `Unrelated text number ${i} about graphs.` }));
      await upsert(store, [both, bothToo, titleOnly, abstractOnly, neither, ...filler], NOW);
      const F = parseQuery('').filters;
      const groups = [['sparse'], ['long', 'documents']];
      const ranked = await store.papers.rank({ required: groups, excluded: [], mode: 'all' }, F, 10);
      assert.deepEqual(ranked.map((r) => r.id).sort(), [both.id, bothToo.id].sort());
      const scored = await store.papers.scoreWords(groups, ranked, [titleOnly.id, abstractOnly.id, neither.id]);
      // Every paper with a word, none without; best first.
      assert.deepEqual(scored.map((s) => s.id).sort(), [both.id, bothToo.id, titleOnly.id, abstractOnly.id].sort());
      for (let i = 1; i < scored.length; i++) assert.ok(scored[i - 1]!.score >= scored[i]!.score);
      assert.ok(scored.every((s) => s.score > 0));
      // The phrase counts as a phrase: "long ... long" in abstractOnly is not "long documents".
      const score = new Map(scored.map((s) => [s.id, s.score]));
      const sparseOnly = await store.papers.scoreWords([['sparse']], [], [abstractOnly.id]);
      assert.equal(sparseOnly.length, 1);
      assert.ok(Math.abs(score.get(abstractOnly.id)! - sparseOnly[0]!.score) < 1e-9 * sparseOnly[0]!.score, 'scored on "sparse" alone');
      // A title word weighs more than the same word in the abstract.
      assert.ok(score.get(titleOnly.id)! > score.get(abstractOnly.id)!);
      if (engine === 'sqlite') {
        // FTS5's own bm25() for the papers ranked, to the last digit, whatever the query joining the words.
        const again = await store.papers.scoreWords(groups, [], ranked.map((r) => r.id));
        for (const r of ranked) assert.ok(Math.abs(again.find((a) => a.id === r.id)!.score - r.score) < 1e-12 * r.score, r.id);
        const any = await store.papers.rank({ required: groups, excluded: [], mode: 'any' }, F, 10);
        for (const a of any) assert.ok(Math.abs(score.get(a.id)! - a.score) < 1e-12 * a.score, a.id);
      }
      assert.deepEqual(await store.papers.scoreWords(groups, ranked, []), ranked);
      await store.close();
    });

    it('falls back to any word when no paper has all of them, and finds similar papers', async () => {
      const store = await freshStore(engine);
      const a = paper({ title: 'Diffusion models for protein design' });
      const b = paper({ title: 'Protein folding with transformers' });
      const c = paper({ title: 'Diffusion models for video generation' });
      await upsert(store, [a, b, c], NOW);
      const search = createSearch(store);
      const r = await search.papers('protein video', page());
      assert.equal(r.mode, 'any');
      assert.equal(r.hits.length, 3);
      const similar = await search.similar((await store.papers.byId(a.id))!, 5);
      assert.deepEqual(similar.map((p) => p.id).sort(), [b.id, c.id].sort());
      assert.equal((await search.papers('"" *** ( - !', page())).mode, 'empty');
    });

    it('leaves out the words no paper has when no paper has them all, says which, and pages through the rest', async () => {
      const store = await freshStore(engine);
      const a = paper({ title: 'Diffusion models for protein design' });
      const b = paper({ title: 'Protein folding with transformers' });
      const c = paper({ title: 'Diffusion models for video generation' });
      const d = paper({ title: 'Protein diffusion at scale' });
      await upsert(store, [a, b, c, d], NOW);
      const search = createSearch(store);
      // "proteins" and "diffusion" are in papers a and d; nobody wrote "distilqwen" or the phrase "folding video".
      const r = await search.papers('diffusion distilqwen proteins "folding video"', page());
      assert.equal(r.mode, 'all');
      assert.deepEqual(r.missing, [['distilqwen'], ['folding', 'video']]);
      assert.deepEqual(r.hits.map((h) => h.paper.id).sort(), [a.id, d.id].sort());
      assert.match(r.hits[0]!.titleHighlighted, new RegExp(`${HIT_START}[Pp]rotein${HIT_END}`));
      // Past the last page the mode stays "all", with nothing more.
      const beyond = await search.papers('diffusion distilqwen proteins "folding video"', { limit: 2, offset: 2 });
      assert.deepEqual([beyond.mode, beyond.hits.length, beyond.hasMore], ['all', 0, false]);
      // When the words some paper has are never together either: any word, and still which were missing.
      const some = await search.papers('video folding distilqwen', page());
      assert.deepEqual([some.mode, some.missing], ['any', [['distilqwen']]]);
      assert.deepEqual(some.hits.map((h) => h.paper.id).sort(), [b.id, c.id].sort());
      // Every word found together: nothing is missing, even if some other paper lacks one.
      const together = await search.papers('protein diffusion', page());
      assert.deepEqual([together.mode, together.missing, together.hits.length], ['all', [], 2]);
      // No paper has any of the words: nothing is left to search for, and nothing found.
      const none = await search.papers('distilqwen vunlearning', page());
      assert.deepEqual([none.mode, none.hits.length], ['any', 0]);
      await store.close();
    });

    it('compacts the search index after a bulk load: the same results after, and writes go on as before', async () => {
      const location = await freshLocation(engine);
      const store = closeLater(openStore(location));
      await store.migrate(() => NOW);
      // Several batches, so the index holds several pieces to merge.
      for (let b = 0; b < 4; b++) {
        await upsert(store, Array.from({ length: 30 }, (_, i) => paper({ title: `Trust region batch ${b} paper ${i}`, abstract: `Policy number ${b * 30 + i} with words.` })), NOW);
      }
      const search = createSearch(store);
      const ranked = async (q: string) => (await search.papers(q, { limit: 200, offset: 0 })).hits.map((h) => h.paper.id);
      const before = await Promise.all(['trust region', 'batch 2', '"policy number"', 'paper 7'].map(ranked));
      assert.equal(before[0]!.length, 120);
      await store.transaction(async (tx) => {
        await assert.rejects(tx.papers.compactSearchIndex(), /cannot run in a transaction/);
      });
      // Another connection (a running site) keeps SQLite's WAL file open: the compaction empties it.
      const reader = engine === 'sqlite' ? new Database((location as { path: string }).path) : undefined;
      reader?.prepare('SELECT count(*) FROM papers').get();
      const walBytes = () => statSync(`${(location as { path: string }).path}-wal`).size;
      if (reader) assert.ok(walBytes() > 0);
      await store.papers.compactSearchIndex();
      if (engine === 'postgres') {
        // The planner learns the new sizes of every table a search reads (autovacuum may be off).
        const analyzed = await pgRows<{ relname: string }>(
          (location as { url: string }).url,
          'SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() AND last_analyze IS NOT NULL ORDER BY relname',
        );
        for (const t of ['paper_authors', 'paper_categories', 'papers', 'papers_fts']) assert.ok(analyzed.some((r) => r.relname === t), `${t} analyzed`);
      }
      if (reader) {
        assert.equal(walBytes(), 0);
        assert.equal((reader.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n, 120);
        reader.close();
      }
      assert.deepEqual(await Promise.all(['trust region', 'batch 2', '"policy number"', 'paper 7'].map(ranked)), before);
      const later = paper({ title: 'Trust region after compaction', abstract: 'Still indexed.' });
      await upsert(store, [later], NOW);
      assert.deepEqual(await ranked('compaction'), [later.id]);
      if (engine === 'sqlite') {
        const raw = new Database((location as { path: string }).path);
        raw.prepare("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)").run();
        raw.close();
      }
    });

    it('tells whether any paper has a word (the parts of a hyphenated one in a row) or a phrase', async () => {
      const store = await freshStore(engine);
      await upsert(store, [paper({ title: 'Scaling GPT-4o to long videos', abstract: 'Transformers fold proteins.' })], NOW);
      assert.equal(await store.papers.hasWords(['gpt-4o']), true);
      assert.equal(await store.papers.hasWords(['videos']), true);
      assert.equal(await store.papers.hasWords(['transfromers']), false);
      assert.equal(await store.papers.hasWords(['4o-gpt']), false);
      assert.equal(await store.papers.hasWords(['long', 'videos']), true);
      assert.equal(await store.papers.hasWords(['videos', 'long']), false);
    });

    it('finds a hyphenated word by its closed form, and keeps that right through updates, deletes and a rebuild', async () => {
      const location = await freshLocation(engine);
      const store = closeLater(openStore(location));
      await store.migrate(() => NOW);
      const hyphenated = paper({ title: 'Pre-trained transformers see X-rays', abstract: 'A multi-view, self-supervised study in 10-20 ms.' });
      const closed = paper({ title: 'Pretrained models', abstract: 'Nothing hyphenated.' });
      await upsert(store, [hyphenated, closed], NOW);
      const search = createSearch(store);
      const ids = async (q: string) => (await search.papers(q, page())).hits.map((h) => h.paper.id).sort();
      assert.deepEqual(await ids('pretrained'), [hyphenated.id, closed.id].sort(), 'the closed form finds both spellings');
      const shown = (await search.papers('pretrained', page())).hits.find((h) => h.paper.id === hyphenated.id)!;
      assert.equal(shown.titleHighlighted, `${HIT_START}Pre-trained${HIT_END} transformers see X-rays`, 'the hyphenated spelling is marked');
      // Found only through the joined form, late in a long abstract: the snippet shows it there, not the opening.
      const filler = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
      const late = paper({ title: 'Planning for robots', abstract: `${filler} then long-horizon tasks. ${filler}` });
      await upsert(store, [late], NOW);
      const [lateHit] = (await search.papers('longhorizon', page())).hits;
      assert.equal(lateHit?.paper.id, late.id);
      assert.match(lateHit.snippet, new RegExp(`^…word\\d+ .*then ${HIT_START}long-horizon${HIT_END} tasks\\. word0 .*…$`));
      assert.deepEqual(await ids('multiview xray'), [hyphenated.id]);
      assert.deepEqual(await ids('selfsupervised'), [hyphenated.id]);
      assert.deepEqual(await ids('pre-trained'), [hyphenated.id], 'a hyphenated query still means its parts');
      assert.deepEqual(await ids('1020'), [], 'a number range is not a compound');
      // An update re-indexes the new text and removes the old (the index is told the old compounds exactly).
      await upsert(store, [{ ...hyphenated, abstract: 'A single-view study.' }], NOW);
      assert.deepEqual(await ids('multiview'), []);
      assert.deepEqual(await ids('singleview'), [hyphenated.id]);
      // The migrations that added compounds (12) and stored them (14) re-index every paper already
      // there: run them again over these.
      const rerun = engine === 'sqlite' ? new Database((location as { path: string }).path) : undefined;
      if (rerun) rerun.prepare('DELETE FROM schema_migrations WHERE version IN (12, 14)').run();
      else await pgExec((location as { url: string }).url, 'DELETE FROM schema_migrations WHERE version IN (12, 14)');
      assert.deepEqual(await store.migrate(() => NOW), [12, 14]);
      assert.deepEqual(await ids('pretrained'), [hyphenated.id, closed.id].sort());
      assert.deepEqual(await ids('singleview'), [hyphenated.id]);
      if (rerun) {
        // FTS5's own check that the index matches its content (papers), row by row: it needs nothing
        // registered by paperboy, so an outside sqlite3 shell can run it too.
        rerun.prepare("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)").run();
        rerun.close();
      }
    });
  });

  describe(`search: the query language against the store (${engine})`, { skip }, () => {
    it('lists matches by date and by trending alike, for a word in most papers and for a rare one', async () => {
      const store = await freshStore(engine);
      // 1,500 papers with "filler" (SQLite walks all papers in order on an index and keeps those) and
      // 22 with "robot" (it reads their rows and sorts them): the same order either way, page after page.
      const day = (i: number) => `2026-0${1 + (i % 6)}-${String(1 + ((i * 7) % 28)).padStart(2, '0')}`;
      const acme = { name: 'acme', fullname: 'Acme Labs' };
      const fillers = Array.from({ length: 1500 }, (_, i) =>
        paper({ id: `2606.${String(10000 + i)}`, title: `Filler ${i}`, featuredDate: day(i), upvotes: (i * 37) % 50, categories: ['cs.LG'], ...(i % 5 === 0 ? { organization: acme } : {}) }),
      );
      const robots = Array.from({ length: 22 }, (_, i) =>
        paper({ id: `2606.${String(20000 + i)}`, title: `Robot ${i}`, featuredDate: day(i * 5), upvotes: i % 4, categories: ['cs.RO'], ...(i % 3 === 0 ? { organization: acme } : {}) }),
      );
      await upsert(store, [...fillers, ...robots], NOW);
      const search = createSearch(store, { now: () => nowMs });
      const listed = async (q: string, pages: number) => {
        const out: string[] = [];
        for (let i = 0; i < pages; i++) out.push(...(await search.papers(q, page(20, i * 20))).hits.map((h) => h.paper.id));
        return out;
      };
      const byDate = (a: PaperInput, b: PaperInput) => b.featuredDate!.localeCompare(a.featuredDate!) || b.id.localeCompare(a.id);
      const byTrending = (a: PaperInput, b: PaperInput) =>
        trendingScore(b.upvotes ?? 0, b.featuredDate!, nowMs) - trendingScore(a.upvotes ?? 0, a.featuredDate!, nowMs) || b.id.localeCompare(a.id);
      assert.deepEqual(await listed('filler sort:date', 3), [...fillers].sort(byDate).slice(0, 60).map((x) => x.id));
      assert.deepEqual(await listed('filler sort:trending', 3), [...fillers].sort(byTrending).slice(0, 60).map((x) => x.id));
      assert.deepEqual(await listed('robot sort:date', 2), [...robots].sort(byDate).map((x) => x.id));
      assert.deepEqual(await listed('robot sort:trending', 2), [...robots].sort(byTrending).map((x) => x.id));
      // Filters alone list the same ways: a large category walked in order, a small one read and sorted.
      assert.deepEqual(await listed('cat:cs.LG', 3), [...fillers].sort(byDate).slice(0, 60).map((x) => x.id));
      assert.deepEqual(await listed('cat:cs.LG sort:trending', 3), [...fillers].sort(byTrending).slice(0, 60).map((x) => x.id));
      assert.deepEqual(await listed('cat:cs.RO', 2), [...robots].sort(byDate).map((x) => x.id));
      assert.deepEqual(await listed('cat:cs.RO sort:trending', 2), [...robots].sort(byTrending).map((x) => x.id));
      const spring = fillers.filter((x) => x.featuredDate! >= '2026-03-01' && x.featuredDate! <= '2026-04-22');
      assert.deepEqual(await listed('cat:cs.LG since:2026-03-01 until:2026-04-22', 2), [...spring].sort(byDate).slice(0, 40).map((x) => x.id));
      assert.deepEqual(await listed('year:2026 cat:cs.RO', 2), [...robots].sort(byDate).map((x) => x.id));
      // Dates and exclusions on word matches: SQLite checks each of the 22 robots, and checks the 1,500
      // fillers against a set (of a short date range, or of every paper the exclusions leave).
      const found = async (q: string) => (await listed(q, 8)).sort();
      const ids = (xs: PaperInput[]) => xs.map((x) => x.id).sort();
      const since = (xs: PaperInput[], from: string, to = '9999') => xs.filter((x) => x.featuredDate! >= from && x.featuredDate! <= to);
      const notAcme = (xs: PaperInput[]) => xs.filter((x) => !x.organization);
      assert.deepEqual(await found('robot since:2026-03-01'), ids(since(robots, '2026-03-01')));
      assert.deepEqual(await found('robot -org:acme'), ids(notAcme(robots)));
      assert.deepEqual(await found('robot since:2026-03-01 -org:acme'), ids(notAcme(since(robots, '2026-03-01'))));
      assert.deepEqual(await found('robot -cat:cs.RO'), []);
      assert.deepEqual(await found('robot -cat:cs.LG until:2026-02-28'), ids(since(robots, '0000', '2026-02-28')));
      const june8 = since(fillers, '2026-06-08', '2026-06-08');
      assert.equal(june8.length, 125);
      assert.deepEqual(await found('filler since:2026-06-08 until:2026-06-08'), ids(june8));
      assert.deepEqual(await found('filler since:2026-06-08 until:2026-06-08 -org:acme'), ids(notAcme(june8)));
      assert.ok(notAcme(june8).length < 125);
      assert.deepEqual(await found('filler -cat:cs.LG'), []);
      assert.deepEqual(await listed('robot -org:acme sort:date', 1), notAcme(robots).sort(byDate).map((x) => x.id));
      assert.deepEqual(await listed('robot since:2026-03-01 sort:trending', 1), since(robots, '2026-03-01').sort(byTrending).map((x) => x.id));
      // A broad category on a common word (SQLite: the best matches by words alone are checked; with
      // too few passing, every match is): the order of the words alone, filtered.
      const acmeIds = new Set(fillers.filter((x) => x.organization).map((x) => x.id));
      const byWords = await listed('filler', 8);
      assert.deepEqual(await listed('filler cat:cs.LG -org:acme', 6), byWords.filter((id) => !acmeIds.has(id)).slice(0, 120));
      assert.deepEqual(await listed('filler cat:cs.LG org:acme', 1), byWords.filter((id) => acmeIds.has(id)).slice(0, 20));
      // Filters alone, with exclusions: checked on each paper as the large category is walked, or the
      // small one sorted, or every paper walked.
      assert.deepEqual(await listed('cat:cs.LG -org:acme', 3), notAcme(fillers).sort(byDate).slice(0, 60).map((x) => x.id));
      assert.deepEqual(await listed('cat:cs.RO -org:acme sort:trending', 1), notAcme(robots).sort(byTrending).map((x) => x.id));
      assert.deepEqual(await listed('-org:acme -cat:cs.LG since:2026-03-01', 1), notAcme(since(robots, '2026-03-01')).sort(byDate).map((x) => x.id));
    });


    it('filters by author, category, organization and dates, excludes words, and sorts', async () => {
      const store = await freshStore(engine);
      const a = paper({ title: 'Robot learning at scale', authors: ['José García'], categories: ['cs.RO'], featuredDate: '2025-03-01', upvotes: 1 });
      const b = paper({ title: 'Robot learning survey', categories: ['cs.LG', 'cs.RO'], featuredDate: '2026-06-01', upvotes: 50 });
      const c = paper({ title: 'Robot learning from video', categories: ['cs.CV'], featuredDate: '2026-06-20', organization: { name: 'acme', fullname: 'Acme Labs' } });
      await upsert(store, [a, b, c], NOW);
      const search = createSearch(store, { now: () => nowMs });
      const ids = async (q: string) => (await search.papers(q, page())).hits.map((h) => h.paper.id);
      assert.deepEqual(await ids('robot author:"jose garcia"'), [a.id]);
      assert.deepEqual((await ids('robot cat:cs.RO')).sort(), [a.id, b.id].sort());
      assert.deepEqual((await ids('robot cat:cs.CV cat:cs.LG')).sort(), [b.id, c.id].sort());
      assert.deepEqual(await ids('robot org:acme'), [c.id]);
      assert.deepEqual(await ids('robot year:2025'), [a.id]);
      assert.deepEqual((await ids('robot since:2026-06-01 until:2026-06-30')).sort(), [b.id, c.id].sort());
      assert.deepEqual((await ids('robot learning -survey')).sort(), [a.id, c.id].sort());
      assert.deepEqual(await ids('robot sort:date'), [c.id, b.id, a.id]);
      assert.equal((await ids('robot sort:trending'))[0], b.id);
      const onlyFilters = await search.papers('cat:cs.RO', page());
      assert.equal(onlyFilters.mode, 'filters');
      assert.deepEqual(onlyFilters.hits.map((h) => h.paper.id), [b.id, a.id]);
      assert.equal((await search.papers('-survey', page())).mode, 'empty');
      // Candidates by meaning pass the same filters, checked paper by paper (idsForSeqs).
      const seqs = [...(await store.papers.seqsForIds([a.id, b.id, c.id])).values()];
      const byMeaning = async (q: string) => [...(await store.papers.idsForSeqs(seqs, parseQuery(q).filters)).values()].sort();
      const filters = ['author:"jose garcia"', 'cat:cs.RO', 'cat:cs.CV cat:cs.LG', 'org:acme', '-org:acme', '-cat:cs.LG', 'year:2025', 'since:2026-06-01 until:2026-06-30', 'cat:cs.RO -cat:cs.LG since:2025-01-01'];
      for (const q of filters) assert.deepEqual(await byMeaning(q), (await ids(`robot ${q}`)).sort(), q);
      assert.deepEqual(await byMeaning('-org:acme'), [a.id, b.id].sort(), 'a paper without an organization passes an excluded one');
      // A batch insert files its categories in one statement; an update re-files them by trigger.
      await upsert(store, [{ ...c, categories: ['cs.RO'] }], NOW);
      assert.deepEqual(await ids('robot cat:cs.CV'), []);
      assert.deepEqual(await ids('robot cat:cs.RO sort:date'), [c.id, b.id, a.id]);
      // A category filter is checked paper by paper for a rare word (SQLite: "robot" in 4 papers
      // against 11 in eess.SY) and as a set for a common one ("filler", 10): the same answers either way.
      const fillers = Array.from({ length: 10 }, (_, i) => paper({ id: `2607.${String(30000 + i)}`, title: `Filler paper ${i}`, categories: ['eess.SY'] }));
      const d = paper({ title: 'Robot control', categories: ['eess.SY'] });
      await upsert(store, [...fillers, d], NOW);
      assert.deepEqual(await ids('robot cat:eess.SY'), [d.id]);
      assert.deepEqual((await ids('filler cat:eess.SY')).sort(), fillers.map((x) => x.id).sort());
      assert.deepEqual(await ids('filler cat:cs.RO'), []);
    });
  });
}

describe('search vectors kept in their rows (postgres, migration 15)', { skip: ENGINES.find((e) => e.engine === 'postgres')!.skip }, () => {
  it('moves each tsvector out of the TOAST table into its row, the same words still found', async () => {
    const location = (await freshLocation('postgres')) as { engine: 'postgres'; url: string };
    const store = closeLater(openStore(location));
    await store.migrate(() => NOW);
    // Hex words hardly compress: this paper's tsvector stays above the 2 KB beyond which PostgreSQL moves
    // a value out of its row by default, and below the page (8 KB) that a row kept in place must fit.
    const words = Array.from({ length: 300 }, (_, i) => `w${((i + 1) * 2654435761).toString(16).slice(-8)}`);
    const long = paper({ title: 'A long abstract', abstract: words.join(' ') });
    await upsert(store, [long], NOW);
    const toasted = async () => {
      const { toast } = (await pgRows<{ toast: string }>(location.url, "SELECT reltoastrelid::regclass::text AS toast FROM pg_class WHERE oid = 'papers_fts'::regclass"))[0]!;
      return Number((await pgRows<{ n: string }>(location.url, `SELECT count(*) AS n FROM ${toast}`))[0]!.n);
    };
    const storage = async () => (await pgRows<{ s: string }>(location.url, "SELECT attstorage AS s FROM pg_attribute WHERE attrelid = 'papers_fts'::regclass AND attname = 'doc'"))[0]!.s;
    assert.equal(await storage(), 'm', 'a new database keeps them in their rows');
    assert.equal(await toasted(), 0);
    // A database from before migration 15: the same vectors, stored the default way.
    await pgExec(location.url, "ALTER TABLE papers_fts ALTER COLUMN doc SET STORAGE EXTENDED; UPDATE papers_fts SET doc = doc || ''::tsvector; DELETE FROM schema_migrations WHERE version = 15");
    assert.equal(await storage(), 'x');
    assert.ok((await toasted()) > 0, 'the long tsvector went to the TOAST table');
    assert.deepEqual(await store.migrate(() => NOW), [15]);
    assert.equal(await storage(), 'm');
    assert.equal(await toasted(), 0);
    const search = createSearch(store);
    for (const w of [words[0]!, words[299]!, 'abstract']) assert.deepEqual((await search.papers(w, { limit: 5, offset: 0 })).hits.map((h) => h.paper.id), [long.id], w);
    // A later rebuild of the index (migration 14 run again recreates it) keeps them in their rows.
    await pgExec(location.url, 'DELETE FROM schema_migrations WHERE version = 14');
    assert.deepEqual(await store.migrate(() => NOW), [14]);
    assert.equal(await storage(), 'm');
    assert.equal(await toasted(), 0);
  });
});

for (const { engine, skip } of ENGINES) {
  describe(`dataVersion: what page caches key on (${engine})`, { skip }, () => {
    it("changes soon after another connection commits to a public table, and holds still otherwise", async () => {
      const loc = await freshLocation(engine);
      const writer = closeLater(openStore(loc));
      await writer.migrate(() => NOW);
      const reader = closeLater(openStore(loc));
      const settle = async () => {
        // PostgreSQL's listener connects on first use; until then every call gives a new version.
        for (let i = 0; i < 100; i++) {
          const v = reader.dataVersion();
          await new Promise((r) => setTimeout(r, 20));
          if (reader.dataVersion() === v) return v;
        }
        throw new Error('dataVersion never settled');
      };
      const before = await settle();
      await upsert(writer, [paper({ id: '2601.00001' })], NOW);
      let changedAfterMs = -1;
      for (let waited = 0; waited <= 2000; waited += 10) {
        if (reader.dataVersion() !== before) {
          changedAfterMs = waited;
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(changedAfterMs >= 0, 'the reader saw the other connection\'s commit within 2 s');
      const after = await settle();
      await writer.transaction((tx) => tx.jobs.recent('digests', 1)); // a read-only transaction elsewhere
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(reader.dataVersion(), after, 'no change, no new version');
    });
  });
}

for (const { engine, skip } of ENGINES) {
  describe(`the people side's store (${engine})`, { skip }, () => {
    it('counts votes exactly when many connections vote at once, and toggles', async () => {
      const store = await freshStore(engine);
      await upsert(store, [paper({ id: '2606.77001', upvotes: 4 })], NOW);
      const users: { id: number }[] = [];
      for (let i = 0; i < 40; i++) users.push((await store.users.create({ email: `v${i}@example.org`, handle: `v${i}`, displayName: 'V', passwordHash: null, now: NOW }))!);
      await Promise.all(users.flatMap((u) => [store.transaction((tx) => tx.votes.set(u.id, '2606.77001', true, NOW)), store.transaction((tx) => tx.votes.set(u.id, '2606.77001', true, NOW))]));
      assert.equal((await store.papers.byId('2606.77001'))?.upvotes, 44);
      assert.equal(await store.votes.countFor('2606.77001'), 40);
      assert.deepEqual(await store.transaction((tx) => tx.votes.set(users[0]!.id, '2606.77001', false, NOW)), { voted: false, upvotes: 43 });
      assert.equal(await store.transaction((tx) => tx.votes.set(users[0]!.id, 'no-such-paper', true, NOW)), undefined);
    });

    it('lets concurrent senders claim outbox messages without sharing one', async () => {
      const store = await freshStore(engine);
      for (let i = 0; i < 60; i++) await store.outbox.enqueue({ kind: 't', to: `m${i}@example.org`, message: { subject: `s${i}`, text: 'x' }, now: NOW });
      const claims = await Promise.all(Array.from({ length: 6 }, () => store.outbox.claim(NOW, '2026-07-02T12:05:00Z', 15)));
      const ids = claims.flat().map((c) => c.id);
      assert.equal(ids.length, 60);
      assert.equal(new Set(ids).size, 60, 'no message claimed twice');
      assert.deepEqual(await store.outbox.claim(NOW, '2026-07-02T12:05:00Z', 15), [], 'all claimed');
      assert.equal((await store.outbox.claim('2026-07-02T12:06:00Z', '2026-07-02T12:10:00Z', 100)).length, 60, 'claims run out');
    });

    it('records a digest period once, and each paper once per subscription', async () => {
      const store = await freshStore(engine);
      const id = await store.subscriptions.create({ email: 'd@example.org', userId: undefined, status: 'active', frequency: 'daily', weekday: 1, hour: 7, timeZone: 'UTC', query: '', confirmHash: null, nextDueAt: NOW, now: NOW });
      const record = () => store.transaction((tx) => tx.subscriptions.recordDigest({ subscriptionId: id, period: '2026-07-02', paperIds: ['a', 'b'], outboxId: undefined, nextDueAt: NOW, now: NOW }));
      const results = await Promise.all([record(), record(), record()]);
      assert.deepEqual(results.sort(), [false, false, true]);
      assert.deepEqual(await store.subscriptions.sentAmong(id, ['a', 'b', 'c']), new Set(['a', 'b']));
    });

    it('counts rate-limit windows atomically and starts a new window when one ends', async () => {
      const store = await freshStore(engine);
      const hits = await Promise.all(Array.from({ length: 20 }, () => store.rateLimits.incr('ip:1login', 60_000, 1_000_000)));
      assert.deepEqual(hits.map((h) => h.count).sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.ok(hits.every((h) => h.resetAt === 1_060_000));
      assert.deepEqual(await store.rateLimits.incr('ip:1login', 60_000, 1_060_000), { count: 1, resetAt: 1_120_000 });
    });

    it('claims each scheduled run for one node only', async () => {
      const store = await freshStore(engine);
      const claims = await Promise.all(Array.from({ length: 5 }, (_, i) => store.jobs.claim('digests', '2026-07-02T12:05:00', `node${i}`, NOW)));
      assert.equal(claims.filter(Boolean).length, 1);
      assert.equal(await store.jobs.claim('digests', '2026-07-02T12:10:00', 'node1', NOW), true, 'the next run is another claim');
    });
  });
}
