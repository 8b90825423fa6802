// Shared test setup: temporary databases, a pinned clock, configs and paper factories.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type Config, loadConfig } from '../src/config.ts';
import type { Clock, Deps, Log } from '../src/deps.ts';
import type { PaperInput } from '../src/domain/paper.ts';
import { createDeps } from '../src/main.ts';
import { saveStaticModel } from '../src/embed/static.ts';
import { type DatabaseLocation, openStore, type Store } from '../src/store/store.ts';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

// Clean-ups run when the test file ends, newest first. Registered once at file scope: an after()
// called inside a before() hook would run as soon as that hook finishes.
const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A directory removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });
export const NOW = '2026-07-02T12:00:00Z';

export const silentLog: Log & { errors: unknown[] } = {
  errors: [],
  info() {},
  warn() {},
  error(_m, e) {
    silentLog.errors.push(e);
  },
};

/** Lexical search unless a test asks for an embedder (the default, the bundled model, has tests of its own). */
export function testConfig(env: Record<string, string> = {}): Config {
  const c = loadConfig({ DATABASE_URL: `sqlite:${join(tempDir(), 'test.db')}`, LOG_LEVEL: 'silent', DEMO_DATA: 'false', EMBEDDER: 'none', ...env });
  if (!c.ok) throw new Error(c.error.join('; '));
  return c.value;
}

/** Where the PostgreSQL half of the store suite runs (CI: required; elsewhere it skips when none answers). */
export const PG_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (e) {
    return `PostgreSQL not reachable at ${PG_URL} (${(e as Error).message}); its half of the store suite is skipped`;
  } finally {
    await client.end().catch(() => {});
  }
}

const pgProblem = await postgresReachable();
if (pgProblem && process.env.CI === 'true') throw new Error(`CI=true but ${pgProblem}`);
export const ENGINES: { engine: 'sqlite' | 'postgres'; skip: string | false }[] = [
  { engine: 'sqlite', skip: false },
  { engine: 'postgres', skip: pgProblem ?? false },
];

/** Where Redis-backed tests run (CI: required; elsewhere they skip when none answers). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<string | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (e) {
    return `Redis not reachable at ${REDIS_URL} (${(e as Error).message}); the Redis tests are skipped`;
  } finally {
    redis.disconnect();
  }
}

const redisProblem = await redisReachable();
if (redisProblem && process.env.CI === 'true') throw new Error(`CI=true but ${redisProblem}`);
export const REDIS_SKIP: string | false = redisProblem ?? false;

/** Where a fresh database lives: a new SQLite file, or a new PostgreSQL schema (dropped when the file ends). */
export async function freshLocation(engine: 'sqlite' | 'postgres' = 'sqlite'): Promise<DatabaseLocation> {
  return engine === 'sqlite' ? { engine, path: join(tempDir(), 'store.db') } : { engine, url: (await freshPostgresSchema()).url };
}

/** A migrated store on a fresh SQLite file, or in a fresh PostgreSQL schema (dropped when the file ends). */
export async function freshStore(engine: 'sqlite' | 'postgres' = 'sqlite'): Promise<Store> {
  const store = openStore(await freshLocation(engine));
  await store.migrate(() => NOW);
  cleanups.push(() => store.close());
  return store;
}

/** Closed when the test file ends (after the tests, before their schemas are dropped). */
export function closeLater(store: Store): Store {
  cleanups.push(() => store.close());
  return store;
}

/** A new, empty PostgreSQL schema and the DATABASE_URL that uses it; dropped when the test file ends. */
export async function freshPostgresSchema(): Promise<{ url: string; schema: string }> {
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  // Registered first, so it runs after the stores that use the schema are closed (clean-ups run newest first).
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA ${schema} CASCADE`);
    await c.end();
  });
  return { url: url.toString(), schema };
}

export async function testDeps(env: Record<string, string> = {}, now = NOW): Promise<Deps> {
  const deps = await createDeps(testConfig(env), fixedClock(now), silentLog);
  cleanups.push(() => deps.store.close());
  return deps;
}

let counter = 0;
export function paper(over: Partial<PaperInput> = {}): PaperInput {
  counter++;
  return {
    id: `2606.${String(10000 + counter)}`,
    title: `Paper number ${counter}`,
    abstract: `An abstract about topic ${counter}.`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    affiliations: ['', ''],
    authorCount: 2,
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    comment: undefined,
    journalRef: undefined,
    doi: undefined,
    submittedDate: undefined,
    updatedDate: undefined,
    version: undefined,
    versions: [],
    announcedDate: '2026-06-30',
    featuredDate: '2026-06-30',
    upvotes: 0,
    githubRepo: undefined,
    projectPage: undefined,
    organization: undefined,
    withdrawn: false,
    ...over,
  };
}

/** Words of a tiny word-vector model whose synonyms share a direction (car ~ automobile ~ vehicle, ...). */
export const TINY_WORDS: Record<string, number[]> = {
  car: [1, 0, 0, 0],
  automobile: [0.95, 0.05, 0, 0],
  vehicle: [0.9, 0.1, 0, 0],
  crash: [0, 1, 0, 0],
  collision: [0.05, 0.95, 0, 0],
  accident: [0.1, 0.9, 0, 0],
  protein: [0, 0, 1, 0],
  folding: [0, 0.1, 0.9, 0],
  enzyme: [0, 0, 0.95, 0.05],
  graph: [0, 0, 0, 1],
  network: [0, 0, 0.05, 0.95],
  safety: [0.3, 0.6, 0, 0.1],
  analysis: [0.25, 0.25, 0.25, 0.25],
};

/** Writes the tiny model as a static-embedder folder; `skew` changes its vectors (another model). */
export function writeTinyStaticModel(dir: string, skew = 0): string {
  const vocab = Object.keys(TINY_WORDS);
  const vectors = Float32Array.from(vocab.flatMap((w) => TINY_WORDS[w]!.map((x, i) => x + (i === 3 ? skew : 0))));
  saveStaticModel(dir, { vocab, dimensions: 4, vectors, weights: new Float32Array(vocab.length).fill(1), meta: { name: 'tiny' } });
  return dir;
}
