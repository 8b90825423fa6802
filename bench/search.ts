// npm run bench:search — latency of the site's search (parse, rank, filter, highlight, fetch rows) for
// 1,000 realistic queries drawn from the corpus (title words, phrases, keyword mixes, filters), warm,
// on the 74,728-paper arxiv-sample database (BENCH_PAPERS=1000000: a synthetic corpus of that size made
// from it, as bench:ingest makes it), beside the same words through a bare FTS5 MATCH (ids by
// bm25, top 20) as the floor. With a static embedding model (BENCH_MODEL, default the bundled model
// in models/arxiv-static): hybrid search latency, and exact vs HNSW vector search over the corpus's real
// vectors (latency, build time, recall@10 of HNSW against exact). Prints; asserts nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseQuery } from '../src/search/query.ts';
import { embedPending } from '../src/embed/backfill.ts';
import { bytesToVector } from '../src/embed/embedder.ts';
import { BUNDLED_MODEL } from '../src/embed/models.ts';
import { loadStaticEmbedder } from '../src/embed/static.ts';
import { createSearch } from '../src/search/search.ts';
import { createSemantic } from '../src/search/semantic.ts';
import { exactIndex, hnswIndex } from '../src/search/vectors.ts';
import { openStore } from '../src/store/store.ts';
import { OPTIONS } from '../src/config.ts';
import { matchExpression } from '../src/store/dialect/sqlite.ts';
import { loadSample } from './corpus.ts';
import { syntheticCorpusInChild } from './synthetic.ts';
import { compactAfterBulkLoad, ingest } from '../src/ingest/ingest.ts';
import { parseFile } from '../src/ingest/parse.ts';

const PAPERS = Number(process.env.BENCH_PAPERS ?? 74_728);
const synthetic = PAPERS > 74_728;
const DB = join(import.meta.dirname, '..', '.tmp', synthetic ? `bench-${PAPERS}.db` : 'bench-74k.db');
const store = openStore({ engine: 'sqlite', path: DB });
await store.migrate(() => new Date().toISOString());
if ((await store.papers.stats()).papers < (synthetic ? PAPERS : 74_000)) {
  if (synthetic) {
    const file = syntheticCorpusInChild(PAPERS);
    const r = await ingest(store, file, parseFile(file), { now: () => new Date() });
    await compactAfterBulkLoad(store, r.added); // as `paperboy ingest` does
  } else {
    await loadSample(store);
  }
}
const corpusSize = (await store.papers.stats()).papers;

// Deterministic query mix from the corpus itself.
const sample = (await store.papers.listForPeriod({ start: '2000-01-01', end: '2100-01-01' }, 'newest', { limit: 1000, offset: 0 }, 0)).papers;
let seed = 7;
const rand = () => {
  seed = (seed * 48271) % 2147483647; // Park-Miller: exact in doubles
  return seed / 2147483647;
};
const titleWords = (t: string) => t.toLowerCase().match(/[a-z]{4,}/g) ?? ['learning'];
const queries = sample.map((p, i) => {
  const w = titleWords(p.title);
  const pick = () => w[Math.floor(rand() * w.length)]!;
  switch (i % 5) {
    case 0: return `${pick()} ${pick()}`; // two keywords
    case 1: return w.slice(0, 4).join(' '); // a title fragment
    case 2: return `"${w.slice(0, 2).join(' ')}"`; // a phrase
    case 3: return `${pick()} cat:${p.primaryCategory ?? 'cs.CV'}`; // keyword + filter
    default: return `${pick()} ${pick()} -survey`; // with an exclusion
  }
});

const search = createSearch(store);
const raw = new Database(DB, { readonly: true });
const floor = raw.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts) LIMIT 20');

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), qps: 1000 / (s.reduce((a, b) => a + b, 0) / s.length) };
}

async function measure(run: (q: string) => Promise<unknown> | unknown): Promise<ReturnType<typeof stats>> {
  for (const q of queries.slice(0, 100)) await run(q); // warm-up
  const ms: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await run(q);
    ms.push(performance.now() - t);
  }
  return stats(ms);
}

const ours = await measure((q) => search.papers(q, { limit: 20, offset: 0 }));
const bare = await measure((q) => {
  const p = parseQuery(q);
  if (p.groups.length) floor.all(matchExpression({ required: p.groups, excluded: p.excluded, mode: 'all' }));
});
const row = (name: string, s: ReturnType<typeof stats>) =>
  console.log(`${name.padEnd(30)}${s.p50.toFixed(2).padStart(8)}${s.p95.toFixed(2).padStart(8)}${s.p99.toFixed(2).padStart(8)}${s.qps.toFixed(0).padStart(9)}`);
console.log(`${queries.length} queries over ${corpusSize.toLocaleString('en')} papers (SQLite), one connection, warm\n`);
console.log(`${'run'.padEnd(30)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'q/s'.padStart(9)}`);
row('site search (page of 20)', ours);
row('bare FTS5 MATCH, top 20 ids', bare);
console.log(`\noverhead: ${(ours.p50 / bare.p50).toFixed(1)}x at p50, ${(ours.p95 / bare.p95).toFixed(1)}x at p95 (target <= 2x; p95 <= ${corpusSize > 100_000 ? 150 : 30} ms)`);

// The same queries on PostgreSQL, when bench:http has loaded the papers into its bench_74k schema.
if (!synthetic) {
  const pgUrl = new URL(process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  pgUrl.searchParams.set('options', '-c search_path=bench_74k');
  const pgStore = openStore({ engine: 'postgres', url: pgUrl.toString() });
  const ready = await pgStore.papers.stats().then((x) => x.papers >= 74_000, () => false);
  if (ready) {
    const pgSearch = createSearch(pgStore);
    const pgOurs = await measure((q) => pgSearch.papers(q, { limit: 20, offset: 0 }));
    const pgBare = await measure(async (q) => {
      const p = parseQuery(q);
      if (p.groups.length) await pgStore.papers.search({ required: p.groups, excluded: p.excluded, mode: 'all' }, { authors: [], categories: [], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined }, 'relevance', { limit: 20, offset: 0 }, 0);
    });
    console.log(`\nthe same on PostgreSQL (pg Pool, same machine)`);
    row('site search, PostgreSQL', pgOurs);
    row('store full-text page, PostgreSQL', pgBare);
  } else {
    console.log('\n(PostgreSQL: run npm run bench:http once to load the papers into its bench_74k schema)');
  }
  await pgStore.close();
}

const MODEL = process.env.BENCH_MODEL ?? BUNDLED_MODEL;
if (existsSync(MODEL)) {
  const embedder = loadStaticEmbedder(MODEL);
  let t = performance.now();
  const { embedded } = await embedPending(store, embedder, { nowIso: () => new Date().toISOString(), batchSize: 2000 });
  if (embedded > 0) console.log(`\nembedded ${embedded} papers with ${embedder.model}: ${(embedded / ((performance.now() - t) / 1000)).toFixed(0)} papers/s`);
  // As the server would: exact up to 100k vectors, HNSW above (saved beside the database).
  const semantic = createSemantic(store, embedder, { annThreshold: 100_000, indexFile: `${DB}.vectors.usearch`, refreshMs: 60_000 });
  t = performance.now();
  await semantic.refresh();
  console.log(`\nvector index (${(await semantic.status()).index}) ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // At the site's default weights, as a server with default settings searches.
  const byDefault = (name: string) => Number(OPTIONS.find((o) => o.name === name)!.default);
  const hybrid = createSearch(store, { hybrid: { semantic, weight: byDefault('SEMANTIC_WEIGHT'), fusion: 'score', similarWeight: byDefault('SIMILAR_SEMANTIC_WEIGHT') } });
  const h = await measure((q) => hybrid.papers(q, { limit: 20, offset: 0 }));
  console.log(`${'run'.padEnd(30)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'q/s'.padStart(9)}`);
  row(`hybrid, weight ${byDefault('SEMANTIC_WEIGHT')} (page of 20)`, h);

  // Vector search alone, on the real vectors: exact scan vs HNSW.
  const vectors: { seq: number; v: Float32Array }[] = [];
  for (let after = 0; ; ) {
    const rows = await store.embeddings.since(embedder.model, after, 20_000);
    for (const r of rows) vectors.push({ seq: r.seq, v: bytesToVector(r.vector) });
    if (rows.length < 20_000) break;
    after = rows.at(-1)!.id;
  }
  const exact = exactIndex(embedder.dimensions);
  exact.upsertMany(vectors.map((x) => x.seq), vectors.map((x) => x.v));
  const heapBefore = process.memoryUsage().rss;
  t = performance.now();
  const hnsw = hnswIndex(embedder.dimensions);
  for (let i = 0; i < vectors.length; i += 10_000) {
    const batch = vectors.slice(i, i + 10_000);
    hnsw.upsertMany(batch.map((x) => x.seq), batch.map((x) => x.v));
  }
  const buildS = (performance.now() - t) / 1000;
  const hnswMb = (process.memoryUsage().rss - heapBefore) / 1048576;
  const qv = await embedder.embed(queries.map((q) => parseQuery(q).groups.map((g) => g.join(' ')).join(' ') || q), 'query');
  let i = 0;
  const ex = await measure(() => exact.search(qv[i++ % qv.length]!, 10));
  i = 0;
  const an = await measure(() => hnsw.search(qv[i++ % qv.length]!, 10));
  // A hit counts when it scores at least the 10th exact neighbour: papers with identical vectors tie
  // (the synthetic corpus repeats each real abstract), and any of them is a right answer.
  let found = 0;
  for (const q of qv) {
    const tenth = exact.search(q, 10).at(-1)?.score ?? Number.NEGATIVE_INFINITY;
    found += hnsw.search(q, 10).filter((x) => x.score >= tenth - 1e-5).length;
  }
  row(`exact vectors, top 10 (${vectors.length})`, ex);
  row('HNSW vectors, top 10', an);
  console.log(`\nHNSW (connectivity 16, ef 128/512): built in ${buildS.toFixed(1)} s (${(vectors.length / buildS).toFixed(0)} vectors/s), ~${hnswMb.toFixed(0)} MB; recall@10 vs exact ${(found / (qv.length * 10)).toFixed(3)} on ${qv.length} real queries`);
  await semantic.close();
} else {
  console.log(`\n(no embedding model at ${MODEL}: semantic figures skipped; set BENCH_MODEL)`);
}
raw.close();
await store.close();
