// npm run bench:ingest — papers/s and peak memory loading into an empty SQLite database, full-text
// index included: (1) the whole arxiv-sample (74,728 papers), then again (all unchanged); (2) a
// synthetic 1,000,000-paper JSONL generated from it (BENCH_SYNTHETIC=0 skips it; =N sets the size),
// then again. Prints figures; asserts nothing. Beside the sample's load it prints a floor: the same
// papers' index text put through a bare FTS5 table alone, in one statement and one transaction (no
// parsing, no rows, no other index), which no ingest that builds the search index can beat here.
// Each first load ends, as `paperboy ingest` does, by compacting the search index (compactAfterBulkLoad).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactAfterBulkLoad, ingest } from '../src/ingest/ingest.ts';
import { parseFile } from '../src/ingest/parse.ts';
import { TOKENIZER } from '../src/store/dialect/sqlite.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { loadSample } from './corpus.ts';
import { syntheticCorpusInChild } from './synthetic.ts';

const SYNTHETIC = Number(process.env.BENCH_SYNTHETIC ?? 1_000_000);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100);

async function fresh(): Promise<{ store: Store; path: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
  const path = join(dir, 'bench.db');
  const store = openStore({ engine: 'sqlite', path });
  await store.migrate(() => new Date().toISOString());
  return { store, path, dir };
}

const dbMb = (path: string) =>
  (statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0)) / 1048576;
const line = (label: string, n: number, secs: number) =>
  console.log(`${label.padEnd(34)} ${String(n).padStart(9)} papers ${secs.toFixed(1).padStart(7)} s ${String(Math.round(n / secs)).padStart(8)} papers/s`);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
}

/** Seconds to index the text of every paper in `source` with a bare FTS5 table (settings as the store's). */
function ftsFloor(source: string, dir: string): number {
  const db = new Database(join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.prepare('ATTACH ? AS src').run(source);
  db.exec(`CREATE TABLE texts AS SELECT seq, title, abstract, authors_json, compounds FROM src.papers;
    DETACH src;
    CREATE VIRTUAL TABLE fts USING fts5(title, abstract, authors_json, compounds, tokenize='${TOKENIZER}');
    INSERT INTO fts(fts, rank) VALUES ('hashsize', 33554432);`);
  const t = performance.now();
  db.exec('BEGIN; INSERT INTO fts(rowid, title, abstract, authors_json, compounds) SELECT * FROM texts; COMMIT;');
  const secs = (performance.now() - t) / 1000;
  db.close();
  return secs;
}

{
  const { store, path, dir } = await fresh();
  peakRss = 0;
  const [reports, secs] = await timed(() => loadSample(store));
  line('arxiv-sample, empty database', reports.reduce((n, r) => n + r.added, 0), secs);
  const [again, secs2] = await timed(() => loadSample(store));
  line('arxiv-sample again (unchanged)', again.reduce((n, r) => n + r.unchanged, 0), secs2);
  console.log(`${''.padEnd(34)} peak RSS ${(peakRss / 1048576).toFixed(0)} MB, database ${dbMb(path).toFixed(0)} MB`);
  await store.close();
  line('floor: its text into bare FTS5', reports.reduce((n, r) => n + r.added, 0), ftsFloor(path, dir));
  rmSync(dir, { recursive: true, force: true });
}

if (SYNTHETIC > 0) {
  const file = syntheticCorpusInChild(SYNTHETIC);
  const { store, path, dir } = await fresh();
  peakRss = 0;
  let compacted: number | undefined;
  const run = async () => {
    const r = await ingest(store, file, parseFile(file), { now: () => new Date() });
    compacted = await compactAfterBulkLoad(store, r.added); // as `paperboy ingest` does after it
    return r;
  };
  const [first, secs] = await timed(run);
  line(`synthetic ${SYNTHETIC}, empty database`, first.added, secs);
  console.log(`${''.padEnd(34)} (of which compacting the search index ${compacted?.toFixed(1)} s)`);
  const [second, secs2] = await timed(run);
  line(`synthetic ${SYNTHETIC} again (unchanged)`, second.unchanged, secs2);
  console.log(`${''.padEnd(34)} peak RSS ${(peakRss / 1048576).toFixed(0)} MB, database ${dbMb(path).toFixed(0)} MB, re-ingest ${(secs / secs2).toFixed(1)}x faster`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
clearInterval(sampler);
