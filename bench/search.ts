// npm run bench:search — latency of the site's search (parse, rank, filter, highlight, fetch rows) for
// 1,000 realistic queries drawn from the corpus (title words, phrases, keyword mixes, filters), warm,
// on the 74,728-paper arxiv-sample database, beside the same words through a bare FTS5 MATCH (ids by
// bm25, top 20) as the floor. Prints; asserts nothing.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseQuery } from '../src/search/query.ts';
import { createSearch } from '../src/search/search.ts';
import { openStore } from '../src/store/store.ts';
import { matchExpression } from '../src/store/dialect/sqlite.ts';
import { loadSample } from './corpus.ts';

const DB = join(import.meta.dirname, '..', '.tmp', 'bench-74k.db');
const store = openStore({ engine: 'sqlite', path: DB });
await store.migrate(() => new Date().toISOString());
if ((await store.papers.stats()).papers < 74_000) await loadSample(store);

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
console.log(`${queries.length} queries over 74,728 papers (SQLite), one connection, warm\n`);
console.log(`${'run'.padEnd(30)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'q/s'.padStart(9)}`);
row('site search (page of 20)', ours);
row('bare FTS5 MATCH, top 20 ids', bare);
console.log(`\noverhead: ${(ours.p50 / bare.p50).toFixed(1)}x at p50, ${(ours.p95 / bare.p95).toFixed(1)}x at p95 (target <= 2x; p95 <= 30 ms)`);
raw.close();
await store.close();
