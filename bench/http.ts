// npm run bench:http — requests/s and p50/p99 latency (autocannon, 10 s, 50 connections) for the main
// routes on a database holding all 74,728 arxiv-sample papers, beside a bare Fastify hello-world route
// as the ceiling, with each route's ratio to it: SQLite with and without the page cache, and, when
// PostgreSQL answers at BENCH_POSTGRES_URL, PostgreSQL without the cache (the cache is the same for
// both). Prints figures; asserts nothing.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { demoUpvotes } from '../src/ingest/demo.ts';
import { openStore } from '../src/store/store.ts';
import { loadSample } from './corpus.ts';

const ROOT = join(import.meta.dirname, '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const DB = join(ROOT, '.tmp', 'bench-74k.db');

/** Builds the benchmark database once (all sample papers, demo upvotes); later runs reuse it. */
async function prepareDatabase(): Promise<{ ids: string[]; queries: string[] }> {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const store = openStore({ engine: 'sqlite', path: DB });
  await store.migrate(() => new Date().toISOString());
  if ((await store.papers.stats()).papers < 74_000) {
    console.log('building the 74,728-paper benchmark database (once) ...');
    await loadSample(store, (p) => ({ ...p, upvotes: demoUpvotes(p.id) }));
  }
  // 500 papers spread over the corpus for paper pages; 200 two-word queries from their titles.
  const listing = await store.papers.listForPeriod({ start: '2025-01-01', end: '2027-01-01' }, 'newest', { limit: 500, offset: 0 }, Date.now());
  const sampleIds: string[] = [];
  for (let offset = 0; offset < 74_000; offset += 148) {
    const p = await store.papers.listForPeriod({ start: '2025-01-01', end: '2027-01-01' }, 'newest', { limit: 1, offset }, 0);
    if (p.papers[0]) sampleIds.push(p.papers[0].id);
  }
  const queries = listing.papers.slice(0, 200).map((p) => {
    const words = p.title.toLowerCase().match(/[a-z]{5,}/g) ?? ['learning'];
    return words.slice(0, 2).join(' ');
  });
  await store.close();
  return { ids: sampleIds, queries };
}

function start(args: string[], env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (/ready|Server listening/.test(d.toString())) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 1800; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

type Row = { name: string; rps: number; p50: number; p99: number; errors: number };

async function measure(name: string, base: string, paths: string[]): Promise<Row> {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { 'accept-encoding': 'gzip' }, // as every browser sends
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

/** The same papers in a PostgreSQL schema (built once, like the SQLite file); undefined without PostgreSQL. */
const PG_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
async function preparePostgres(): Promise<string | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query('CREATE SCHEMA IF NOT EXISTS bench_74k');
  } catch (e) {
    console.log(`PostgreSQL not reachable at ${PG_URL} (${(e as Error).message}): SQLite only`);
    return undefined;
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(PG_URL);
  url.searchParams.set('options', '-c search_path=bench_74k');
  const store = openStore({ engine: 'postgres', url: url.toString() });
  await store.migrate(() => new Date().toISOString());
  if ((await store.papers.stats()).papers < 74_000) {
    console.log('loading the 74,728 papers into PostgreSQL (once) ...');
    const t = Date.now();
    await loadSample(store, (p) => ({ ...p, upvotes: demoUpvotes(p.id) }));
    console.log(`  loaded in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  await store.close();
  return url.toString();
}

/** Embeds every paper with the default model once (a server would otherwise do it while measured). */
function embedOnce(databaseUrl: string): void {
  const r = spawnSync(process.execPath, ['bin/paperboy.js', 'embeddings', 'backfill'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`embedding ${databaseUrl} failed`);
}

const { ids, queries } = await prepareDatabase();
const pgUrl = await preparePostgres();
embedOnce(`sqlite:${DB}`);
if (pgUrl) embedOnce(pgUrl);
const hello = await start(['--import', 'tsx', 'bench/hello-server.ts'], { PORT: '3901' });
const serverEnv = { DATABASE_URL: `sqlite:${DB}`, LOG_LEVEL: 'warn', DEMO_DATA: 'false' };
const cached = spawn(process.execPath, ['bin/paperboy.js', 'serve'], { cwd: ROOT, env: { ...process.env, ...serverEnv, PORT: '3902' }, stdio: 'inherit' });
const uncached = spawn(process.execPath, ['bin/paperboy.js', 'serve'], {
  cwd: ROOT,
  env: { ...process.env, ...serverEnv, PORT: '3903', PAGE_CACHE_SECONDS: '0' },
  stdio: 'inherit',
});
const onPg = pgUrl
  ? spawn(process.execPath, ['bin/paperboy.js', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, ...serverEnv, DATABASE_URL: pgUrl, PORT: '3904', PAGE_CACHE_SECONDS: '0', RETRAIN_CRON: 'off' },
      stdio: 'inherit',
    })
  : undefined;
try {
  await waitFor('http://127.0.0.1:3902/healthz');
  await waitFor('http://127.0.0.1:3903/healthz');
  if (onPg) await waitFor('http://127.0.0.1:3904/healthz');
  // The servers load the vectors and build their HNSW indexes in the background: let them finish.
  await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SETTLE_MS ?? 40_000)));
  const routes: [string, string[]][] = [
    ['daily page /', ['/']],
    ['a paper page', [`/papers/${ids[0]}`]],
    [`${ids.length} paper pages, in turn`, ids.map((id) => `/papers/${id}`)],
    ['a search page', [`/search?q=${encodeURIComponent(queries[0]!)}`]],
    [`${queries.length} search pages, in turn`, queries.map((q) => `/search?q=${encodeURIComponent(q)}`)],
    ['/api/daily_papers', ['/api/daily_papers']],
  ];
  const only = process.env.BENCH_ROUTES; // e.g. "daily,api": a subset, for quick comparisons
  if (only) routes.splice(0, routes.length, ...routes.filter(([name]) => only.split(',').some((w) => name.includes(w))));
  const ceiling = await measure('hello (bare Fastify)', 'http://127.0.0.1:3901', ['/hello']);
  const rows: [Row, Row, Row | undefined][] = [];
  for (const [name, paths] of routes) {
    // Each server starts cold for each route: nothing is cached before the measurement begins.
    rows.push([
      await measure(name, 'http://127.0.0.1:3902', paths),
      await measure(name, 'http://127.0.0.1:3903', paths),
      onPg ? await measure(name, 'http://127.0.0.1:3904', paths) : undefined,
    ]);
  }
  const pct = (r: Row) => `${((r.rps / ceiling.rps) * 100).toFixed(0)}%`;
  const cells = (r: Row) => `${r.rps.toFixed(0).padStart(8)}${String(r.p50).padStart(6)}${String(r.p99).padStart(6)}${pct(r).padStart(6)}${String(r.errors).padStart(5)}`;
  console.log(`\n${CONNECTIONS} connections, ${DURATION} s per route and server, SQLite database with 74,728 papers`);
  console.log(`ceiling: bare Fastify hello-world ${ceiling.rps.toFixed(0)} req/s, p50 ${ceiling.p50} ms, p99 ${ceiling.p99} ms\n`);
  console.log(`${''.padEnd(30)}${'SQLite, page cache (default)'.padEnd(31)}${'SQLite, PAGE_CACHE_SECONDS=0'.padEnd(31)}${onPg ? 'PostgreSQL, PAGE_CACHE_SECONDS=0' : ''}`);
  const head = '   req/s   p50   p99 ceil  err';
  console.log(`${'route'.padEnd(30)}${head.padEnd(31)}${head.padEnd(31)}${onPg ? head : ''}`);
  for (const [a, b, c] of rows) console.log(`${a.name.padEnd(30)}${cells(a).padEnd(31)}${cells(b).padEnd(31)}${c ? cells(c) : ''}`);
  console.log('\nlatencies in ms; ceil = share of the ceiling. Target: every route >= 30% of the ceiling, p99 < 50 ms.');
} finally {
  hello.kill();
  cached.kill();
  uncached.kill();
  onPg?.kill();
}
