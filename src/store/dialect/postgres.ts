// PostgreSQL engine (pg Pool): full-text search over a weighted tsvector kept in papers_fts by a
// trigger (GIN index), categories kept in paper_categories by a trigger, trending_score as an SQL
// function with the domain's constants, bytea vectors, and an advisory lock around migrations so
// several nodes starting at once migrate once. The only file that knows PostgreSQL.
import { createHash } from 'node:crypto';
import { CompiledQuery, Kysely, PostgresDialect, type RawBuilder, sql } from 'kysely';
import pg from 'pg';

// int8 (counts, sums, bigint columns) as numbers, like SQLite: every value here is far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
import { HIT_END, HIT_START } from '../../domain/highlight.ts';
import { AGE_OFFSET_HOURS, GRAVITY } from '../../domain/trending.ts';
import { COMPOUNDS_COLUMN, fillCompounds } from '../compounds.ts';
import type { Schema } from '../schema.ts';
import type { Db, Dialect, FullTextQuery } from './dialect.ts';

/** Text search configuration: English stemming (Snowball), like SQLite's Porter tokenizer. */
const CONFIG = 'english';
/** Title above authors above abstract, as the SQLite BM25 weights (3, 1, 1) order them; {D, C, B, A}. */
const WEIGHTS = '{0.1, 0.33, 0.33, 1.0}';
/** Document counts of words are kept this long (related papers need their order of magnitude). */
const FREQUENCY_TTL_MS = 600_000;
/** Rows per INSERT in insertMany: PostgreSQL takes at most 65,535 bound parameters per statement. */
const ROWS_PER_INSERT = 500;
const MIGRATION_LOCK = 7_318_202_601; // any constant: the advisory lock paperboy's migrations share

/** A tsquery for one word or phrase (stemmed and stop-word-filtered by the server). */
const group = (words: string[]) => sql`phraseto_tsquery(${sql.lit(CONFIG)}, ${words.join(' ')})`;

/** The required part of a query alone: empty (numnode 0) when every word is a stop word. */
const requiredQuery = (q: FullTextQuery) => sql`(${sql.join(q.required.map(group), sql.raw(q.mode === 'all' ? ' && ' : ' || '))})`;

export function tsQuery(q: FullTextQuery) {
  if (q.excluded.length === 0) return requiredQuery(q);
  return sql`(${requiredQuery(q)} && !!(${sql.join(q.excluded.map(group), sql.raw(' || '))}))`;
}

const MARKS = `StartSel=${HIT_START}, StopSel=${HIT_END}`;
/** The highlighted title (th) and abstract excerpt (sn) of papers `p` for a tsquery. */
const headlines = (query: RawBuilder<unknown>) => sql`
  ts_headline(${sql.lit(CONFIG)}, p.title, ${query}, ${`${MARKS}, HighlightAll=true`}) AS th,
  ts_headline(${sql.lit(CONFIG)}, p.abstract, ${query}, ${`${MARKS}, MaxWords=40, MinWords=20, MaxFragments=2, FragmentDelimiter=" … "`}) AS sn`;

/** The NOTIFY channel of one schema's changes (a channel name has at most 63 bytes; a schema name may have as many). */
const changeChannel = (schema: string) => `paperboy_changes_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;

async function currentSchema(d: Db | pg.Client): Promise<string> {
  if (d instanceof pg.Client) return (await d.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
  return (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(d)).rows[0]!.s;
}

/**
 * One connection per process that LISTENs to the schema's change channel and counts the notices,
 * connected on first use and reconnected a second after it drops. While it is not listening, every
 * call returns a new count, so nothing is cached on a count that might have missed a change.
 */
function changeListener(url: string) {
  let notices = 0;
  let client: pg.Client | undefined;
  let state: 'idle' | 'connecting' | 'listening' | 'closed' = 'idle';
  const connect = () => {
    if (state === 'closed') return; // closed while waiting to reconnect
    state = 'connecting';
    const c = new pg.Client({ connectionString: url });
    client = c;
    const lost = () => {
      if (client !== c) return;
      client = undefined;
      c.end().catch(() => {});
      if (state === 'closed') return;
      state = 'connecting';
      setTimeout(connect, 1000).unref();
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', () => {
      notices++;
    });
    c.connect()
      .then(() => currentSchema(c))
      .then((schema) => c.query(`LISTEN ${pg.escapeIdentifier(changeChannel(schema))}`))
      .then(() => {
        if (client === c && state === 'connecting') state = 'listening';
      })
      .catch(lost);
  };
  return {
    count(): number {
      if (state === 'idle') connect();
      return state === 'listening' ? notices : ++notices;
    },
    async close() {
      state = 'closed';
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}

/** `readUrl`: a read replica (streaming replication of the primary at `url`) for reads that may lag a moment. */
export function openPostgres(url: string, readUrl?: string): Dialect {
  const open = (connectionString: string) => new Kysely<Schema>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString, max: 10 }) }) });
  const db = open(url);
  const replicaDb = readUrl ? open(readUrl) : undefined;
  const changes = changeListener(url);
  const frequencies = new Map<string, { df: number; until: number }>();
  let corpus: { df: Map<string, number>; at: number } | undefined;
  let loading = false;
  const refreshCorpus = () => {
    if (loading) return;
    loading = true;
    sql<{ word: string; ndoc: number }>`SELECT word, ndoc FROM ts_stat('SELECT doc FROM papers_fts') WHERE ndoc > 1`
      .execute(db)
      .then(({ rows }) => {
        corpus = { df: new Map(rows.map((r) => [r.word, Number(r.ndoc)])), at: Date.now() };
      })
      .catch(() => {}) // counted word by word meanwhile; tried again at the next lookup
      .finally(() => {
        loading = false;
      });
  };

  return {
    engine: 'postgres',
    db,
    replicaDb,
    binaryType: 'bytea',
    serialPrimaryKey: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
    increasingPrimaryKey: (c) => c.primaryKey().generatedByDefaultAsIdentity(), // identities never go back
    clustered: (t) => t,
    async insertMany(trx, table, rows, opts) {
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        const q = trx.insertInto(table).values(rows.slice(i, i + ROWS_PER_INSERT) as never);
        await (opts?.ignoreDuplicates ? q.onConflict((oc) => oc.doNothing()) : q).execute();
      }
    },
    async createFullText(d: Db) {
      await sql`ALTER TABLE papers ADD COLUMN IF NOT EXISTS ${sql.raw(COMPOUNDS_COLUMN)}`.execute(d);
      await sql`CREATE TABLE papers_fts (seq integer PRIMARY KEY REFERENCES papers(seq) ON DELETE CASCADE, doc tsvector NOT NULL)`.execute(d);
      await sql`ALTER TABLE papers_fts ALTER COLUMN doc SET STORAGE MAIN`.execute(d); // see keepFullTextInline
      await sql`CREATE INDEX papers_fts_doc ON papers_fts USING gin (doc)`.execute(d);
      // The joined forms of hyphenated words (papers.compounds) count as abstract words.
      await sql`CREATE FUNCTION papers_fts_doc(title text, abstract text, authors text, compounds text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE AS $$
          SELECT setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', authors), 'B')
            || setweight(to_tsvector('english', abstract), 'C') || setweight(to_tsvector('english', compounds), 'C') $$`.execute(d);
      await sql`CREATE FUNCTION papers_fts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO papers_fts (seq, doc) VALUES (NEW.seq, papers_fts_doc(NEW.title, NEW.abstract, NEW.authors_json, NEW.compounds))
          ON CONFLICT (seq) DO UPDATE SET doc = EXCLUDED.doc;
          RETURN NULL;
        END $$`.execute(d);
      await sql`CREATE TRIGGER papers_fts_ai AFTER INSERT ON papers FOR EACH ROW EXECUTE FUNCTION papers_fts_sync()`.execute(d);
      await sql`CREATE TRIGGER papers_fts_au AFTER UPDATE OF title, abstract, authors_json, compounds ON papers FOR EACH ROW EXECUTE FUNCTION papers_fts_sync()`.execute(d);
    },
    async compactFullText(d: Db) {
      // PostgreSQL's manual advises ANALYZE just after major changes to a table, so the planner knows
      // the new sizes (autovacuum would do it in time where it is on; it is off on some servers, this
      // machine's among them); VACUUM also moves the GIN index's pending entries into the index proper
      // and marks the new rows visible to index-only scans. Measured on the sample (1,000 bench:search
      // queries, two loads): site search p50 13.7-17.8 -> 10.7-12.6 ms; p95 varied 260-355 ms before
      // and after alike. It took 2.2 s. The tables of the filters too: with no statistics for
      // paper_categories the planner took cs.CV for 433 papers instead of 38,422 and checked the words
      // on every one of them (`localization cat:cs.CV` 162 ms); site search p95 145-151 -> 104 ms.
      await sql`VACUUM ANALYZE papers, papers_fts, paper_categories, paper_authors`.execute(d);
    },
    async keepFullTextInline(d: Db) {
      // A paper's tsvector (~2 KB) went to the TOAST table once compressed past 2 KB, so ranking a
      // common word's matches read each from there: `model` at 75k papers 104-165 ms, against 50-53
      // with every tsvector compressed in its row (STORAGE MAIN; the same 160 MB in all). Rows already
      // stored are rewritten: concatenating the empty tsvector gives a new, equal value (2.5 s at 75k).
      await sql`ALTER TABLE papers_fts ALTER COLUMN doc SET STORAGE MAIN`.execute(d);
      await sql`UPDATE papers_fts SET doc = doc || ''::tsvector`.execute(d);
    },
    async rebuildFullText(d: Db) {
      await sql`DROP TABLE IF EXISTS papers_fts`.execute(d);
      await sql`DROP TRIGGER IF EXISTS papers_fts_ai ON papers`.execute(d);
      await sql`DROP TRIGGER IF EXISTS papers_fts_au ON papers`.execute(d);
      await sql`DROP FUNCTION IF EXISTS papers_fts_sync()`.execute(d);
      await sql`DROP FUNCTION IF EXISTS papers_fts_doc(text, text, text)`.execute(d); // stop 17's, which found the compounds by regex
      await sql`DROP FUNCTION IF EXISTS papers_fts_doc(text, text, text, text)`.execute(d);
      await sql`ALTER TABLE papers ADD COLUMN IF NOT EXISTS ${sql.raw(COMPOUNDS_COLUMN)}`.execute(d);
      await fillCompounds(d);
      await this.createFullText(d);
      await sql`INSERT INTO papers_fts (seq, doc) SELECT seq, papers_fts_doc(title, abstract, authors_json, compounds) FROM papers`.execute(d);
    },
    async createCategoryIndex(d: Db) {
      // Creates or replaces the triggers, and adds any missing rows.
      await sql`DROP TRIGGER IF EXISTS papers_categories_ai ON papers`.execute(d);
      await sql`DROP TRIGGER IF EXISTS papers_categories_au ON papers`.execute(d);
      await sql`CREATE OR REPLACE FUNCTION papers_categories_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' THEN
            DELETE FROM paper_categories WHERE seq = OLD.seq;
          END IF;
          INSERT INTO paper_categories (category, seq)
            SELECT value, NEW.seq FROM jsonb_array_elements_text(NEW.categories_json::jsonb) ON CONFLICT DO NOTHING;
          RETURN NULL;
        END $$`.execute(d);
      await sql`CREATE TRIGGER papers_categories_ai AFTER INSERT ON papers FOR EACH ROW EXECUTE FUNCTION papers_categories_sync()`.execute(d);
      await sql`CREATE TRIGGER papers_categories_au AFTER UPDATE OF categories_json ON papers FOR EACH ROW EXECUTE FUNCTION papers_categories_sync()`.execute(d);
      await sql`INSERT INTO paper_categories (category, seq)
        SELECT j.value, p.seq FROM papers p, jsonb_array_elements_text(p.categories_json::jsonb) j ON CONFLICT DO NOTHING`.execute(d);
    },
    async createFunctions(d: Db) {
      // domain/trending.ts's formula, with its constants: the one definition, evaluated by the engine.
      await sql`CREATE FUNCTION trending_score(upvotes integer, featured text, now_ms double precision) RETURNS double precision
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT (greatest(upvotes, 0) + 1)::double precision
            / power(greatest(0, (now_ms - extract(epoch FROM (featured || 'T00:00:00Z')::timestamptz) * 1000) / 3600000.0) + ${sql.raw(String(AGE_OFFSET_HOURS))}, ${sql.raw(String(GRAVITY))}) $$`.execute(d);
    },
    async search(d, q, limit, offset, opts) {
      const query = tsQuery(q);
      const categories = opts.categories.length > 0 ? [sql`SELECT seq FROM paper_categories WHERE category IN (${sql.join(opts.categories)})`] : [];
      const sets = [...opts.restrictTo, ...categories, ...(opts.paperChecks ? [opts.paperChecks.set] : [])];
      const restrict = sql.join(sets.map((s) => sql`AND f.seq IN (${s})`), sql` `);
      const score = sql`ts_rank_cd(${sql.lit(WEIGHTS)}::float4[], f.doc, q.q)`;
      const order = opts.order === 'date' ? sql`p.featured_date DESC, p.id DESC` : sql`trending_score(p.upvotes, p.featured_date, ${opts.nowMs}) DESC, p.id DESC`;
      // Rank on the index, then build highlights for just the page (as on SQLite). Stop words alone
      // match nothing (the planner folds numnode(q.r) > 0 away): "with -survey" would otherwise be
      // "not survey", a scan of every paper.
      const matching = (join: RawBuilder<unknown>) =>
        sql`FROM (SELECT ${query} AS q, ${requiredQuery(q)} AS r) q, papers_fts f ${join} WHERE numnode(q.r) > 0 AND f.doc @@ q.q ${restrict}`;
      // By relevance the matches are ranked on papers_fts alone (ties to the newer paper, as on SQLite), and only the
      // page joins papers: joining every match for its id cost more than ranking them (`object` at 75k
      // papers: 80 -> 33 ms).
      const top =
        opts.order === 'relevance'
          ? sql`SELECT r.seq, p.id, r.score, row_number() OVER (ORDER BY r.score DESC, r.seq DESC) AS k
              FROM (SELECT f.seq, ${score} AS score ${matching(sql``)} ORDER BY score DESC, f.seq DESC LIMIT ${limit} OFFSET ${offset}) r
              JOIN papers p ON p.seq = r.seq`
          : sql`SELECT p.seq, p.id, ${score} AS score, row_number() OVER (ORDER BY ${order}) AS k
              ${matching(sql`JOIN papers p ON p.seq = f.seq`)} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`;
      if (opts.highlight === false) {
        const { rows } = await sql<{ id: string; score: number }>`SELECT t.id, t.score FROM (${top}) t ORDER BY t.k`.execute(d);
        return rows.map((r) => ({ id: r.id, score: Number(r.score), titleHighlighted: '', snippet: '' }));
      }
      const { rows } = await sql<{ id: string; score: number; th: string; sn: string }>`
        WITH top AS (${top})
        SELECT top.id, top.score, ${headlines(query)}
        FROM top JOIN papers p ON p.seq = top.seq ORDER BY top.k`.execute(d);
      return rows.map((r) => ({ id: r.id, score: Number(r.score), titleHighlighted: r.th, snippet: r.sn }));
    },
    async matchAmong(d, ids, q, highlight) {
      if (ids.length === 0) return [];
      const query = tsQuery(q);
      const { rows } = await sql<{ id: string; th: string; sn: string }>`
        SELECT p.id, ${highlight ? headlines(query) : sql`'' AS th, '' AS sn`}
        FROM (SELECT ${query} AS q, ${requiredQuery(q)} AS r) q, papers p JOIN papers_fts f ON f.seq = p.seq
        WHERE p.id IN (${sql.join(ids)}) AND numnode(q.r) > 0 AND f.doc @@ q.q`.execute(d);
      const found = new Map(rows.map((r) => [r.id, r]));
      return ids.flatMap((id) => {
        const r = found.get(id);
        return r ? [{ id, score: 0, titleHighlighted: r.th, snippet: r.sn }] : [];
      });
    },
    async scoreWords(d, groups, ranked, others) {
      // ts_rank_cd's cover density depends on the query's operators (a cover of an AND holds every word),
      // so every paper is scored again on the words OR'd, the ranked ones too.
      if (others.length === 0 || groups.length === 0) return ranked;
      const ids = [...ranked.map((r) => r.id), ...others];
      const q: FullTextQuery = { required: groups, excluded: [], mode: 'any' };
      const { rows } = await sql<{ id: string; s: number }>`
        SELECT p.id, ts_rank_cd(${sql.lit(WEIGHTS)}::float4[], f.doc, q.q) AS s
        FROM (SELECT ${tsQuery(q)} AS q, ${requiredQuery(q)} AS r) q, papers p JOIN papers_fts f ON f.seq = p.seq
        WHERE p.id IN (${sql.join(ids)}) AND numnode(q.r) > 0 AND f.doc @@ q.q`.execute(d);
      const order = new Map(ids.map((id, i) => [id, i]));
      return rows.map((r) => ({ id: r.id, score: Number(r.s) })).sort((a, b) => b.score - a.score || order.get(a.id)! - order.get(b.id)!);
    },
    async termFrequencies(d, text) {
      const { rows } = await sql<{ term: string }>`SELECT unnest(tsvector_to_array(to_tsvector(${sql.lit(CONFIG)}, ${text}))) AS term`.execute(d);
      const terms = rows.map((r) => r.term);
      const now = Date.now();
      // Every word's document count comes from one ts_stat pass over the index, kept for a while and
      // refreshed in the background (3.7 s for 75k papers here); a word missing from it occurs in one
      // paper at most. Until the first pass is in, each word is counted on its own.
      if (!corpus || now - corpus.at > FREQUENCY_TTL_MS) refreshCorpus();
      if (corpus) return new Map(terms.map((t) => [t, corpus!.df.get(t) ?? 1]));
      const missing = terms.filter((t) => !((frequencies.get(t)?.until ?? 0) > now));
      if (missing.length > 0) {
        const { rows: counts } = await sql<{ term: string; n: number }>`
          SELECT t.term, (SELECT count(*) FROM papers_fts WHERE doc @@ to_tsquery(${sql.lit(CONFIG)}, quote_literal(t.term))) AS n
          FROM unnest(${missing}::text[]) AS t(term)`.execute(d);
        if (frequencies.size > 100_000) frequencies.clear();
        for (const c of counts) frequencies.set(c.term, { df: Number(c.n), until: now + FREQUENCY_TTL_MS });
      }
      return new Map(terms.map((t) => [t, frequencies.get(t)?.df ?? 0]));
    },
    async anyMatch(d, q) {
      const r = await sql<{ one: number }>`SELECT 1 AS one FROM papers_fts WHERE doc @@ ${tsQuery(q)} LIMIT 1`.execute(d);
      return r.rows.length > 0;
    },
    async searchIds(d, terms, limit, excludeId) {
      if (terms.length === 0) return [];
      const q = terms.map((t) => `'${t.replaceAll("'", "''")}'`).join(' | ');
      const { rows } = await sql<{ id: string; s: number }>`
        SELECT p.id, ts_rank_cd(${sql.lit(WEIGHTS)}::float4[], f.doc, q.q) AS s
        FROM (SELECT to_tsquery(${sql.lit(CONFIG)}, ${q}) AS q) q, papers_fts f JOIN papers p ON p.seq = f.seq
        WHERE f.doc @@ q.q AND p.id <> ${excludeId} ORDER BY s DESC LIMIT ${limit}`.execute(d);
      return rows.map((r) => ({ id: r.id, score: Number(r.s) }));
    },
    skipLocked: (q) => q.forUpdate().skipLocked() as typeof q,
    async resetIdentity(d, table, column) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), coalesce((SELECT max(${sql.ref(column)}) FROM ${sql.table(table)}), 0) + 1, false)`.execute(d);
    },
    async announceChanges(d, tables) {
      const channel = changeChannel(await currentSchema(d));
      await sql`CREATE FUNCTION paperboy_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify(${sql.lit(channel)}, '');
          RETURN NULL;
        END $$`.execute(d);
      for (const t of tables) {
        await sql`CREATE TRIGGER ${sql.id(`${t}_changed`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(t)}
          FOR EACH STATEMENT EXECUTE FUNCTION paperboy_changed()`.execute(d);
      }
    },
    externalChanges: () => changes.count(),
    async withMigrationLock(fn) {
      return db.connection().execute(async (c) => {
        await c.executeQuery(CompiledQuery.raw(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`));
        try {
          return await fn();
        } finally {
          await c.executeQuery(CompiledQuery.raw(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`));
        }
      });
    },
    async close() {
      await changes.close();
      await Promise.all([db.destroy(), replicaDb?.destroy()]);
    },
  };
}
