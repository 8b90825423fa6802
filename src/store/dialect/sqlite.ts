// SQLite engine (better-sqlite3): WAL, FTS5 with BM25, and trending_score registered as a SQL
// function that calls the domain's formula. With sqlite-text.ts (its FTS5 text tools), the only code that knows SQLite.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, type Driver, Kysely, type RawBuilder, SqliteDialect, sql } from 'kysely';
import { joinedCompounds } from '../../domain/compounds.ts';
import { trendingScore } from '../../domain/trending.ts';
import { COMPOUNDS_COLUMN, fillCompounds } from '../compounds.ts';
import type { Schema } from '../schema.ts';
import type { Db, Dialect, FullTextQuery } from './dialect.ts';
import { sqliteText, TOKENIZER } from './sqlite-text.ts';

export { TOKENIZER };

/**
 * BM25 column weights, in the FTS column order (title, abstract, authors_json, compounds). Title 3 was
 * best on the SciFact train split (0.709 nDCG@10 vs 0.703 at 10, 0.699 at 1; see README); the joined
 * compounds count as abstract words (0.7107 at 1, 0.7103 at 0.5, 0.7110 at 2).
 */
const COLUMN_WEIGHTS = [3, 1, 1, 1];
const BM25_WEIGHTS = COLUMN_WEIGHTS.map((w) => w.toFixed(1)).join(', ');
/** The index's columns, and their values from a papers row (`new` or `old` in a trigger). */
const FTS_COLUMNS = sql.raw('rowid, title, abstract, authors_json, compounds');
const FROM_CONTENT = 'SELECT seq, title, abstract, authors_json, compounds FROM papers';
const ftsValues = (row: 'new' | 'old') => sql.raw(`${row}.seq, ${row}.title, ${row}.abstract, ${row}.authors_json, ${row}.compounds`);

/** The category rows of papers (`WHERE 1` so a caller can narrow it with AND). */
const CATEGORY_ROWS = 'SELECT j.value, p.seq FROM papers p, json_each(p.categories_json) j WHERE 1';
/**
 * Rows per INSERT statement in insertMany. With triggers on a table SQLite journals every statement
 * (each page it touches is copied first), so one row per statement costs ~3x the rows' own writing.
 */
const ROWS_PER_INSERT = 100;
/** SQLite's limit on bound parameters per statement. */
const MAX_PARAMETERS = 32_766;

const quote = (words: string[]): string => `"${words.join(' ').replaceAll('"', '""')}"`;

export function matchExpression(q: FullTextQuery): string {
  const required = q.required.map(quote).join(q.mode === 'all' ? ' AND ' : ' OR ');
  if (q.excluded.length === 0) return required;
  return `(${required}) NOT (${q.excluded.map(quote).join(' OR ')})`;
}

/**
 * Transactions begin IMMEDIATE (take the write lock at BEGIN, waiting up to busy_timeout): a deferred
 * transaction that reads and then writes fails at once with "database is locked" when another
 * process wrote in between, whereas every transaction here writes. Several processes on one file
 * (a server and a CLI job, or a second worker) then queue instead of failing.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/** Prepared statements kept per SQL text: Kysely's driver prepares every query anew (~12% of a vote's CPU). */
const PREPARED_CACHE = 1000;

/**
 * The connection as Kysely sees it, with prepare() answered from a cache. Safe because
 * better-sqlite3 runs a statement to completion synchronously; the one exception, iterate() for
 * streamed results, gets a fresh statement.
 */
function cachingPrepare(raw: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = raw.prepare(sqlText);
        if (cache.size >= PREPARED_CACHE) cache.delete(cache.keys().next().value!);
        cache.set(sqlText, stmt);
      }
      const s = stmt;
      return {
        get reader() {
          return s.reader;
        },
        all: (params: readonly unknown[]) => s.all(...params),
        run: (params: readonly unknown[]) => s.run(...params),
        iterate: (params: readonly unknown[]) => raw.prepare(sqlText).iterate(...params),
      };
    },
  };
}

export function openSqlite(path: string): Dialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('cache_size = -65536'); // KiB: 64 MB page cache
  // The WAL holds a whole transaction until it commits (a 75k-paper file leaves 272 MB of it, the
  // synthetic million ~7 GB) and SQLite keeps the file at its largest for reuse while any connection
  // is open; this hands the space back, down to 64 MB, each time a checkpoint lets the log restart.
  raw.pragma('journal_size_limit = 67108864');
  raw.pragma('temp_store = MEMORY');
  raw.function('trending_score', { deterministic: true }, (upvotes, featured, now) =>
    trendingScore(Number(upvotes), String(featured), Number(now)),
  );
  // A database at schema 12 or 13 computed its compounds in a view and triggers that call this; it
  // stays registered so such a file opens (even its table list reads the view) and migrates to 14.
  raw.function('joined_compounds', { deterministic: true }, (title, abstract) => joinedCompounds(String(title), String(abstract)));
  const db = new Kysely<Schema>({ dialect: new ImmediateSqliteDialect({ database: cachingPrepare(raw) }) });
  const statements = new Map<string, Database.Statement>();
  const text = sqliteText(raw);

  const addCompoundsColumn = async (d: Db) => {
    const { rows } = await sql<{ name: string }>`SELECT name FROM pragma_table_info('papers')`.execute(d);
    if (!rows.some((c) => c.name === 'compounds')) await sql`ALTER TABLE papers ADD COLUMN ${sql.raw(COMPOUNDS_COLUMN)}`.execute(d);
  };

  return {
    engine: 'sqlite',
    db,
    binaryType: 'blob',
    serialPrimaryKey: (c) => c.primaryKey(), // an INTEGER PRIMARY KEY is the rowid
    // Without AUTOINCREMENT, deleting the highest rowid lets the next insert take it again.
    increasingPrimaryKey: (c) => c.primaryKey().autoIncrement(),
    clustered: (t) => t.modifyEnd(sql`WITHOUT ROWID`),
    async insertMany(trx, table, rows, opts) {
      // Kysely builds a syntax tree per bound value; for bulk loads cached prepared statements are
      // several times faster. Safe: the transaction holds the one connection these run on.
      if (!trx.isTransaction) throw new Error('insertMany needs a transaction');
      const first = rows[0];
      if (!first) return;
      const cols = Object.keys(first);
      const perInsert = Math.min(ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / cols.length));
      const insert = (n: number) => {
        const key = `${table}|${cols.join(',')}|${opts?.ignoreDuplicates ? 1 : 0}|${n}`;
        let stmt = statements.get(key);
        if (!stmt) {
          const row = `(${cols.map(() => '?').join(', ')})`;
          stmt = raw.prepare(
            `INSERT ${opts?.ignoreDuplicates ? 'OR IGNORE ' : ''}INTO ${table} (${cols.join(', ')}) VALUES ${Array(n).fill(row).join(', ')}`,
          );
          statements.set(key, stmt);
        }
        return stmt;
      };
      const values = (part: typeof rows) => part.flatMap((r) => cols.map((c) => (r as Record<string, unknown>)[c]));
      const insertAll = () => {
        let i = 0;
        for (; i + perInsert <= rows.length; i += perInsert) insert(perInsert).run(values(rows.slice(i, i + perInsert)));
        if (i < rows.length) insert(rows.length - i).run(values(rows.slice(i)));
      };
      if (table !== 'papers') return insertAll();
      // New papers are indexed (full text, categories) by one statement per batch after their rows,
      // not by the per-row triggers, which the control flag turns off meanwhile.
      const from = (raw.prepare('SELECT coalesce(max(seq), 0) AS m FROM papers').get() as { m: number }).m;
      raw.prepare('UPDATE papers_fts_control SET deferred = 1').run();
      insertAll();
      raw.prepare('UPDATE papers_fts_control SET deferred = 0').run();
      raw.prepare(`INSERT INTO papers_fts(rowid, title, abstract, authors_json, compounds) ${FROM_CONTENT} WHERE seq > ?`).run(from);
      raw.prepare(`INSERT OR IGNORE INTO paper_categories (category, seq) ${CATEGORY_ROWS} AND p.seq > ?`).run(from);
    },
    async createFullText(d: Db) {
      await addCompoundsColumn(d);
      await sql`CREATE VIRTUAL TABLE papers_fts USING fts5(
        title, abstract, authors_json, compounds,
        content='papers', content_rowid='seq',
        tokenize='${sql.raw(TOKENIZER)}')`.execute(d);
      // Buffer up to 32 MB of index data per transaction before writing a segment (default 1 MB):
      // fewer, larger segments make bulk loads ~10% faster and need less merging.
      await sql`INSERT INTO papers_fts(papers_fts, rank) VALUES ('hashsize', 33554432)`.execute(d);
      // insertMany() indexes its rows in one statement per batch; the trigger covers every other insert.
      // (Row-by-row indexing is 3x slower: FTS5 flushes its pending terms at every statement's savepoint.)
      await sql`CREATE TABLE papers_fts_control (deferred INTEGER NOT NULL)`.execute(d);
      await sql`INSERT INTO papers_fts_control VALUES (0)`.execute(d);
      await sql`CREATE TRIGGER papers_fts_ai AFTER INSERT ON papers
        WHEN (SELECT deferred FROM papers_fts_control) = 0 BEGIN
        INSERT INTO papers_fts(${FTS_COLUMNS}) VALUES (${ftsValues('new')});
      END`.execute(d);
      await sql`CREATE TRIGGER papers_fts_ad AFTER DELETE ON papers BEGIN
        INSERT INTO papers_fts(papers_fts, ${FTS_COLUMNS}) VALUES ('delete', ${ftsValues('old')});
      END`.execute(d);
      await sql`CREATE TRIGGER papers_fts_au AFTER UPDATE OF title, abstract, authors_json, compounds ON papers BEGIN
        INSERT INTO papers_fts(papers_fts, ${FTS_COLUMNS}) VALUES ('delete', ${ftsValues('old')});
        INSERT INTO papers_fts(${FTS_COLUMNS}) VALUES (${ftsValues('new')});
      END`.execute(d);
    },
    async compactFullText(d: Db) {
      // FTS5 merges the segments that many writes leave into one b-tree, so a query reads one doclist
      // per word. Measured (alternating runs, 1,000 bench:search queries on the 74,728-paper sample
      // loaded file by file): site search p50 4.7-5.1 -> 3.2-3.8 ms, p95 15.3-16.6 -> 14.0-15.3 ms;
      // it took 1.4 s there and 19.5 s for the synthetic million.
      await sql`INSERT INTO papers_fts(papers_fts) VALUES ('optimize')`.execute(d);
      // The load and the merge passed through the WAL; copy it into the database and empty it now
      // (it waits out readers up to busy_timeout; a busy reader leaves it to journal_size_limit).
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(d);
    },
    async keepFullTextInline() {
      // FTS5 keeps its index in its own b-tree pages and reads the rows' text only for highlights.
    },
    async rebuildFullText(d: Db) {
      for (const t of ['papers_fts_ai', 'papers_fts_ad', 'papers_fts_au']) await sql`DROP TRIGGER IF EXISTS ${sql.id(t)}`.execute(d);
      await sql`DROP TABLE IF EXISTS papers_fts`.execute(d);
      await sql`DROP TABLE IF EXISTS papers_fts_control`.execute(d);
      await sql`DROP VIEW IF EXISTS papers_fts_content`.execute(d); // stop 17's index read compounds through it
      await addCompoundsColumn(d);
      await fillCompounds(d);
      await this.createFullText(d);
      await sql`INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')`.execute(d);
    },
    async createCategoryIndex(d: Db) {
      // Creates or replaces the triggers, and adds any missing rows. Like the full-text index's, the
      // insert trigger is off while insertMany adds a batch (it indexes the batch in one statement).
      for (const t of ['papers_categories_ai', 'papers_categories_au', 'papers_categories_ad']) await sql`DROP TRIGGER IF EXISTS ${sql.id(t)}`.execute(d);
      await sql`CREATE TRIGGER papers_categories_ai AFTER INSERT ON papers
        WHEN (SELECT deferred FROM papers_fts_control) = 0 BEGIN
        INSERT OR IGNORE INTO paper_categories (category, seq) SELECT value, new.seq FROM json_each(new.categories_json);
      END`.execute(d);
      await sql`CREATE TRIGGER papers_categories_au AFTER UPDATE OF categories_json ON papers BEGIN
        DELETE FROM paper_categories WHERE seq = old.seq
          AND category IN (SELECT value FROM json_each(old.categories_json));
        INSERT OR IGNORE INTO paper_categories (category, seq) SELECT value, new.seq FROM json_each(new.categories_json);
      END`.execute(d);
      await sql`CREATE TRIGGER papers_categories_ad AFTER DELETE ON papers BEGIN
        DELETE FROM paper_categories WHERE seq = old.seq
          AND category IN (SELECT value FROM json_each(old.categories_json));
      END`.execute(d);
      await sql`INSERT OR IGNORE INTO paper_categories (category, seq) ${sql.raw(CATEGORY_ROWS)}`.execute(d);
    },
    async createFunctions() {
      // trending_score is registered on the connection above; SQLite keeps no functions in the file.
    },
    async search(d, q, limit, offset, opts) {
      // Rank on the index alone, then fetch rows and build highlights for just the page: computing
      // them for every match before sorting made common queries 4-5x slower.
      const match = matchExpression(q);
      const rank = sql.raw(`bm25(papers_fts, ${BM25_WEIGHTS})`);
      const order = opts.order === 'date' ? sql`p.featured_date DESC, p.id DESC` : sql`trending_score(p.upvotes, p.featured_date, ${opts.nowMs}) DESC, p.id DESC`;
      // Ties in score go to the newer paper (the higher rowid), so that every plan and page agree on one order.
      const fetch = async (top: RawBuilder<unknown>) =>
        (
          await sql<{ id: string; score: number; title: string }>`
            WITH top AS (${top})
            SELECT p.id AS id, -top.s AS score, p.title AS title FROM top CROSS JOIN papers p ON p.seq = top.r
            ORDER BY ${opts.order === 'relevance' ? sql`top.s, top.r DESC` : order}`.execute(d)
        ).rows;
      const plan = text.planFor(q);
      /**
       * A broad category: the best matches by words alone, then those in it (probing only them); undefined
       * when too few pass. `image cat:cs.CV` at 1M papers: 228-242 -> 138-181 ms, the words alone taking
       * 129-173 (README).
       */
      const bestByWordsThenFilters = async (candidates: number) => {
        const cand = sql`cand.r`;
        const checks = sql.join(
          [
            ...opts.restrictTo.map((set) => sql`AND cand.r IN (${set})`),
            text.categoryProbe(opts.categories, cand),
            text.paperProbe(d, opts.paperChecks, cand),
          ],
          sql` `,
        );
        const found = await fetch(sql`SELECT r, s FROM (
            SELECT rowid AS r, ${rank} AS s FROM papers_fts WHERE papers_fts MATCH ${match} ORDER BY s, rowid DESC LIMIT ${candidates}) cand
          WHERE 1 ${checks} ORDER BY s, r DESC LIMIT ${limit + offset}`);
        return found.length === limit + offset ? found.slice(offset) : undefined;
      };
      /** Every match checked against the filters, then ranked or ordered. */
      const filtersThenOrder = async () => {
        // The unary + keeps SQLite from handing the IN list to FTS5 as rowid lookups (one index probe per
        // allowed paper: seconds for a broad filter); as written, the set is built once and checked per match.
        const restrict = sql.join(
          [
            ...opts.restrictTo.map((q) => sql`AND +papers_fts.rowid IN (${q})`),
            plan.inCategories(opts.categories, opts.categoryPapers),
            await plan.paperChecks(d, opts.paperChecks),
          ],
          sql` `,
        );
        if (opts.order === 'relevance') {
          return fetch(sql`SELECT rowid AS r, ${rank} AS s FROM papers_fts WHERE papers_fts MATCH ${match} ${restrict} ORDER BY s, rowid DESC LIMIT ${limit} OFFSET ${offset}`);
        }
        if (plan.walkInOrder(opts.order, limit + offset)) {
          // Many matches: the papers in that order, off an index that holds what the order needs (no
          // row is read), keeping those among the matches. `model sort:date` 145 -> 12 ms at 75k papers.
          const index = sql.raw(opts.order === 'date' ? 'papers_newest' : 'papers_trending');
          return fetch(sql`SELECT p.seq AS r, 0 AS s FROM papers p INDEXED BY ${index}
            WHERE +p.seq IN (SELECT papers_fts.rowid FROM papers_fts WHERE papers_fts MATCH ${match} ${restrict})
            ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`);
        }
        return fetch(sql`SELECT papers_fts.rowid AS r, 0 AS s FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
          WHERE papers_fts MATCH ${match} ${restrict} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`);
      };
      const candidates = opts.order === 'relevance' ? plan.candidatesFor(limit + offset, opts.categoryPapers) : undefined;
      const rows = (candidates !== undefined ? await bestByWordsThenFilters(candidates) : undefined) ?? (await filtersThenOrder());
      if (opts.highlight === false) return rows.map((r) => ({ id: r.id, score: r.score, titleHighlighted: '', snippet: '' }));
      const marked = text.highlightsOf(
        rows.map((r) => r.id),
        match,
      );
      // A paper rewritten between the two statements may no longer match: shown unmarked.
      return rows.map((r) => ({ id: r.id, score: r.score, titleHighlighted: marked.get(r.id)?.th ?? r.title, snippet: marked.get(r.id)?.sn ?? '' }));
    },
    async matchAmong(d, ids, q, highlight) {
      if (ids.length === 0) return [];
      let found: Map<string, { th: string; sn: string }>;
      if (highlight) found = text.highlightsOf(ids, matchExpression(q));
      else {
        // Without highlights the index answers alone: the query's matches, unranked, checked against
        // the set (0.2 ms for a rare word, 5 ms for a common one; indexing 100 papers apart: 4.5 ms).
        const { rows } = await sql<{ id: string }>`SELECT p.id AS id FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
          WHERE papers_fts MATCH ${matchExpression(q)} AND +papers_fts.rowid IN (SELECT seq FROM papers WHERE id IN (${sql.join(ids)}))`.execute(d);
        found = new Map(rows.map((r) => [r.id, { th: '', sn: '' }]));
      }
      return ids.flatMap((id) => {
        const m = found.get(id);
        return m ? [{ id, score: 0, titleHighlighted: m.th, snippet: m.sn }] : [];
      });
    },
    async scoreWords(_d, groups, ranked, others) {
      // bm25() sums over the query's phrases whatever joins them, so `ranked` keeps its scores.
      const scores = text.bm25Among(others, groups, COLUMN_WEIGHTS);
      return [...ranked, ...others.flatMap((id) => (scores.has(id) ? [{ id, score: scores.get(id)! }] : []))].sort((a, b) => b.score - a.score);
    },
    async termFrequencies(_d, words) {
      return text.documentFrequencies(text.stem(words));
    },
    async anyMatch(d, q) {
      const r = await sql<{ one: number }>`SELECT 1 AS one FROM papers_fts WHERE papers_fts MATCH ${matchExpression(q)} LIMIT 1`.execute(d);
      return r.rows.length > 0;
    },
    async searchIds(d, terms, limit, excludeId) {
      if (terms.length === 0) return [];
      const match = `{title abstract}: (${terms.map((t) => quote([t])).join(' OR ')})`;
      const { rows } = await sql<{ id: string; s: number }>`
        WITH top AS (
          SELECT rowid AS r, bm25(papers_fts, ${sql.raw(BM25_WEIGHTS)}) AS s FROM papers_fts
          WHERE papers_fts MATCH ${match} ORDER BY s LIMIT ${limit + 1})
        SELECT p.id AS id, top.s AS s FROM top JOIN papers p ON p.seq = top.r ORDER BY top.s`.execute(d);
      return rows
        .filter((r) => r.id !== excludeId)
        .slice(0, limit)
        .map((r) => ({ id: r.id, score: -r.s })); // bm25() is lower-is-better
    },
    skipLocked: (q) => q,
    // Explicit ids move SQLite's rowid and AUTOINCREMENT counters by themselves.
    resetIdentity: async () => {},
    async backup(file) {
      await raw.backup(file);
    },
    announceChanges: async () => {}, // data_version already sees every other connection's commits
    externalChanges: () => raw.pragma('data_version', { simple: true }) as number,
    async withMigrationLock(fn) {
      // One process owns an SQLite file at a time; each migration runs in its own write transaction.
      return fn();
    },
    async close() {
      await db.destroy();
    },
  };
}
