// What an engine must provide beyond portable Kysely: the connection, full-text search, and the
// engine-specific parts of migrations. One implementation per engine lives beside this file; nothing
// outside store/dialect/ knows which engine runs.
import type {
  ColumnDefinitionBuilder, CreateTableBuilder, Expression, ExpressionBuilder, Insertable, Kysely, SelectQueryBuilder, SqlBool, Transaction,
} from 'kysely';
import type { Schema } from '../schema.ts';

export type Db = Kysely<Schema> | Transaction<Schema>;

/** A parsed lexical query. */
export type FullTextQuery = {
  /** Terms (single words) and phrases (several words in order). */
  required: string[][];
  /** How required terms combine: 'all' = every term must match, 'any' = at least one. */
  mode: 'all' | 'any';
  /** Terms and phrases that must not match. */
  excluded: string[][];
};

/** How full-text results are ordered, and the papers they are restricted to. */
export type FullTextOptions = {
  order: 'relevance' | 'date' | 'trending';
  nowMs: number;
  /** Queries each selecting the seq of allowed papers (one per search filter); a match must be in all. */
  restrictTo: Expression<unknown>[];
  /**
   * A match must be in one of these categories, when any are given (the most common filter: each
   * engine checks it the cheaper way it has, as a set or paper by paper).
   */
  categories: string[];
  /** How many papers those categories hold (0 without categories): the engine's plan may follow it. */
  categoryPapers: number;
  /**
   * Filters each paper answers by itself (dates, `-cat:`, `-org:`), in two forms for the engine to
   * check the cheaper way: a condition on the `papers` row, checked match by match, and the set of
   * seqs it allows. `setHolds(n)`: whether that set holds at least n papers (counted no further than
   * n, on an index).
   */
  paperChecks?: {
    condition: (eb: ExpressionBuilder<Schema, 'papers'>) => Expression<SqlBool>;
    set: Expression<unknown>;
    setHolds: (n: number) => Promise<boolean>;
  };
  /** false = scores only, no highlighted title or snippet (cheaper, for candidate lists). */
  highlight?: boolean;
};

/** A paper's id and its relevance to a query (higher = better). */
export type Scored = { id: string; score: number };

export type FullTextHit = {
  id: string;
  score: number;
  /** Title and abstract excerpt with matches wrapped in HIT_START / HIT_END (domain/highlight.ts). */
  titleHighlighted: string;
  snippet: string;
};

export interface Dialect {
  readonly engine: 'sqlite' | 'postgres';
  readonly db: Kysely<Schema>;
  /** A read replica's connection for reads that may lag the primary by a moment; undefined = none. */
  readonly replicaDb?: Kysely<Schema>;
  /** The column type for raw bytes. */
  readonly binaryType: 'blob' | 'bytea';
  /** An integer primary key the engine fills in. */
  serialPrimaryKey(c: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** The same, never reusing the value of a deleted row: readers that catch up by "id > last seen" rely on it. */
  increasingPrimaryKey(c: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** A table stored in its primary key's order (no separate row store), where the engine has such tables. */
  clustered<T extends string, C extends string>(t: CreateTableBuilder<T, C>): CreateTableBuilder<T, C>;
  /**
   * Inserts many rows fast inside the current transaction; `ignoreDuplicates` skips rows whose key exists.
   * Must be called with a Transaction.
   */
  insertMany<T extends keyof Schema>(
    db: Transaction<Schema>,
    table: T,
    rows: Insertable<Schema[T]>[],
    opts?: { ignoreDuplicates?: boolean },
  ): Promise<void>;
  /** DDL for the full-text index over papers (title, abstract, authors, papers.compounds) and its upkeep; adds papers.compounds if missing. */
  createFullText(db: Db): Promise<void>;
  /** Drops the full-text index, fills papers.compounds and indexes every paper again (for a migration that changes what it indexes). */
  rebuildFullText(db: Db): Promise<void>;
  /** After a bulk load, outside a transaction: the full-text index reorganised for reading (see each engine). */
  compactFullText(db: Db): Promise<void>;
  /** Stores each paper's indexed text where ranking reads it fastest, rewriting what is stored elsewhere (see each engine). */
  keepFullTextInline(db: Db): Promise<void>;
  /** Keeps paper_categories in step with papers.categories_json (and fills it from existing papers); creates or replaces. */
  createCategoryIndex(db: Db): Promise<void>;
  /** SQL functions the queries rely on (trending_score), created where the engine needs DDL for them. */
  createFunctions(db: Db): Promise<void>;
  /** Ranked full-text matches, best first; weights: title above authors above abstract. */
  search(db: Db, q: FullTextQuery, limit: number, offset: number, opts: FullTextOptions): Promise<FullTextHit[]>;
  /**
   * Which of these papers the query matches, in the order of `ids`, with highlights unless `highlight`
   * is false; scores are 0 (the papers are already ranked). Its cost follows the number of ids, not
   * how many papers the query matches.
   */
  matchAmong(db: Db, ids: string[], q: FullTextQuery, highlight: boolean): Promise<FullTextHit[]>;
  /**
   * `ranked` (search()'s matches of every group, with their scores) and `others` (papers found
   * otherwise, such as by meaning) on one scale of relevance to the groups, each paper scored on the
   * groups it has (they are OR'd); best first, leaving out the others that have none. Its cost follows
   * the number of papers, not how many the groups match.
   */
  scoreWords(db: Db, groups: string[][], ranked: Scored[], others: string[]): Promise<Scored[]>;
  /** Whether any paper matches, without ranking (it stops at the first match). */
  anyMatch(db: Db, q: FullTextQuery): Promise<boolean>;
  /**
   * The index terms of a text (as the engine stems them) with the number of papers each occurs in:
   * lets related-paper lookups query only the distinctive ones.
   */
  termFrequencies(db: Db, text: string): Promise<Map<string, number>>;
  /** Ids of papers matching any of the (index) terms in title or abstract, best first. */
  searchIds(db: Db, terms: string[], limit: number, excludeId: string): Promise<{ id: string; score: number }[]>;
  /**
   * The rows a claim selects, locked and skipping rows another transaction holds (FOR UPDATE SKIP
   * LOCKED) where the engine has row locks; SQLite has one writer at a time and needs none.
   */
  // biome-ignore lint/suspicious/noExplicitAny: any select query of any table
  skipLocked<Q extends SelectQueryBuilder<any, any, any>>(q: Q): Q;
  /** After rows were inserted with explicit ids: the next generated id follows the largest (import). */
  resetIdentity(db: Db, table: keyof Schema, column: string): Promise<void>;
  /** An online copy of the database into a file, where the engine can (SQLite); undefined elsewhere. */
  backup?(file: string): Promise<void>;
  /**
   * Makes committed changes to these tables visible to externalChanges() in every process, where the
   * engine cannot see them otherwise (PostgreSQL: a statement trigger that NOTIFYs the schema's channel).
   */
  announceChanges(db: Db, tables: readonly (keyof Schema)[]): Promise<void>;
  /**
   * A number that changes when another connection or process commits a change: SQLite's data_version;
   * on PostgreSQL a count of change notices (changing on every call while the listener is not connected).
   */
  externalChanges(): number;
  /** Serialise access to migrations across processes (an advisory lock where the engine has one). */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
