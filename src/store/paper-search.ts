// Full-text and vector-side reads over papers: ranked matches (with highlights, or scores only for
// fused rankings), the search filters (as index-only sets for full-text matches, as per-paper checks
// for vector candidates: the same rules), and the seq <-> id mapping that vector indexes need. Part
// of the papers repository (papersRepo spreads it in).
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { nameKey, type Paper, type PaperFilters } from '../domain/paper.ts';
import type { Db, Dialect, FullTextOptions, FullTextQuery, Scored } from './dialect/dialect.ts';
import type { Schema } from './schema.ts';

export type PageRequest = { limit: number; offset: number };
export type SearchOrder = 'relevance' | 'date' | 'trending';
export type SearchHit = { paper: Paper; score: number; titleHighlighted: string; snippet: string };

/** Ids per lookup query (bound parameters per statement stay well under every engine's limit). */
export const LOOKUP_CHUNK = 500;
/** Seqs per filter lookup (integers: SQLite takes up to 32,766 bound values). */
const SEQ_CHUNK = 5000;

/**
 * The filters that name what a paper must have (categories, organizations, authors) as sets: one
 * query each, selecting the seq of the papers it allows from an index alone. Dates and exclusions,
 * which may allow nearly every paper, are checked paper by paper instead (ownConditions).
 * `leave.categories`: the caller checks them its own way.
 */
export function filterSets(db: Db, f: PaperFilters, leave: { categories?: boolean } = {}) {
  const sets = [];
  if (!leave.categories && f.categories.length > 0) {
    sets.push(db.selectFrom('paper_categories').select('paper_categories.seq').where('category', 'in', f.categories));
  }
  if (f.orgs.length > 0) sets.push(db.selectFrom('papers').select('papers.seq').where('organization', 'in', f.orgs));
  for (const a of f.authors) {
    sets.push(
      db
        .selectFrom('paper_authors')
        .innerJoin('papers', 'papers.id', 'paper_authors.paper_id')
        .select('papers.seq')
        .where('paper_authors.name_key', '=', nameKey(a)),
    );
  }
  return sets;
}

/** Whether the `papers` row is in one of the categories (an index probe of paper_categories). */
export const inCategoriesRow = (eb: ExpressionBuilder<Schema, 'papers'>, categories: string[]) =>
  eb.exists(eb.selectFrom('paper_categories').select('paper_categories.seq').whereRef('paper_categories.seq', '=', 'papers.seq').where('category', 'in', categories));

/**
 * The same filters as conditions on one `papers` row, checked candidate by candidate (an index probe
 * for a category or an author): for the few hundred candidates of a vector search this beats building
 * each filter's whole set (cat:cs.CV over 808 candidates at 75k papers: 1.4 ms against 6.0).
 */
function rowConditions(eb: ExpressionBuilder<Schema, 'papers'>, f: PaperFilters): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [...ownConditions(eb, f)];
  if (f.categories.length > 0) conditions.push(inCategoriesRow(eb, f.categories));
  if (f.orgs.length > 0) conditions.push(eb('papers.organization', 'in', f.orgs));
  for (const a of f.authors) {
    conditions.push(
      eb.exists(eb.selectFrom('paper_authors').select('paper_authors.paper_id').where('paper_authors.name_key', '=', nameKey(a)).whereRef('paper_authors.paper_id', '=', 'papers.id')),
    );
  }
  return conditions;
}

/** The filters a paper answers by itself: its dates, and the categories and organizations it must not have. */
function ownConditions(eb: ExpressionBuilder<Schema, 'papers'>, f: PaperFilters): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (f.since) conditions.push(eb('papers.featured_date', '>=', f.since));
  if (f.until) conditions.push(eb('papers.featured_date', '<=', f.until));
  if (f.excludedCategories.length > 0) conditions.push(eb.not(inCategoriesRow(eb, f.excludedCategories)));
  if (f.excludedOrgs.length > 0) conditions.push(eb.or([eb('papers.organization', 'is', null), eb('papers.organization', 'not in', f.excludedOrgs)]));
  return conditions;
}

/** ownConditions as one condition, or undefined when there are none. */
export function ownCondition(f: PaperFilters): ((eb: ExpressionBuilder<Schema, 'papers'>) => Expression<SqlBool>) | undefined {
  if (!f.since && !f.until && f.excludedCategories.length === 0 && f.excludedOrgs.length === 0) return undefined;
  return (eb) => eb.and(ownConditions(eb, f));
}

/**
 * ownConditions in the two forms a full-text search may check them in (FullTextOptions.paperChecks).
 * A date range bounds the set (counted on its index); without one, exclusions allow nearly every
 * paper, so the set is taken to hold them all.
 */
function paperChecks(db: Db, f: PaperFilters): FullTextOptions['paperChecks'] {
  const condition = ownCondition(f);
  if (!condition) return undefined;
  const inRange = () => {
    let q = db.selectFrom('papers').select('papers.seq');
    if (f.since) q = q.where('featured_date', '>=', f.since);
    if (f.until) q = q.where('featured_date', '<=', f.until);
    return q;
  };
  const setHolds = async (n: number) => {
    if (!f.since && !f.until) return (await highestSeq(db)) >= n;
    const r = await db.selectFrom(inRange().limit(n).as('r')).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(r.n) >= n;
  };
  return { condition, set: db.selectFrom('papers').select('papers.seq').where(condition), setHolds };
}

/** About how many papers the store holds, as its highest seq tells (one index step; an upper bound after deletions). */
export async function highestSeq(db: Db): Promise<number> {
  const r = await db.selectFrom('papers').select((e) => e.fn.max('papers.seq').as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Papers per set of categories, kept a while: a query's plan needs their order of magnitude, not the latest paper. */
const CATEGORY_SIZE_TTL_MS = 600_000;
const CATEGORY_SIZES_KEPT = 10_000;
export function categorySizes(db: Db): (categories: string[]) => Promise<number> {
  const sizes = new Map<string, { n: number; until: number }>();
  return async (categories) => {
    const key = [...categories].sort().join(' ');
    const kept = sizes.get(key);
    if (kept && kept.until > Date.now()) return kept.n;
    const r = await db.selectFrom('paper_categories').select((e) => e.fn.countAll().as('n')).where('category', 'in', categories).executeTakeFirstOrThrow();
    if (sizes.size > CATEGORY_SIZES_KEPT) sizes.clear();
    sizes.set(key, { n: Number(r.n), until: Date.now() + CATEGORY_SIZE_TTL_MS });
    return Number(r.n);
  };
}

/** `papersIn`: categorySizes of the same connection. */
export function paperSearch(db: Db, dialect: Dialect, byIds: (ids: string[]) => Promise<Paper[]>, papersIn: (categories: string[]) => Promise<number>) {
  /** The filters as a full-text search takes them: the categories apart (with their size), for the engine to check its way. */
  const fullTextFilters = async (f: PaperFilters) => ({
    restrictTo: filterSets(db, f, { categories: true }),
    paperChecks: paperChecks(db, f),
    categories: f.categories,
    categoryPapers: f.categories.length > 0 ? await papersIn(f.categories) : 0,
  });

  return {
    async search(q: FullTextQuery, f: PaperFilters, order: SearchOrder, p: PageRequest, nowMs: number): Promise<{ hits: SearchHit[]; hasMore: boolean }> {
      const hits = await dialect.search(db, q, p.limit + 1, p.offset, { order, nowMs, ...(await fullTextFilters(f)) });
      const papers = new Map((await byIds(hits.map((h) => h.id))).map((x) => [x.id, x]));
      const out = hits.slice(0, p.limit).flatMap((h) => {
        const paper = papers.get(h.id);
        return paper ? [{ paper, score: h.score, titleHighlighted: h.titleHighlighted, snippet: h.snippet }] : [];
      });
      return { hits: out, hasMore: hits.length > p.limit };
    },

    /**
     * Of the papers with these seqs (engine row ids, as vector indexes know them), those passing the
     * filters, as seq -> paper id: semantic results go through the same filters as word matches.
     */
    async idsForSeqs(seqs: number[], f: PaperFilters): Promise<Map<number, string>> {
      const out = new Map<number, string>();
      for (let i = 0; i < seqs.length; i += SEQ_CHUNK) {
        const q = db
          .selectFrom('papers')
          .select(['papers.seq', 'papers.id'])
          .where('papers.seq', 'in', seqs.slice(i, i + SEQ_CHUNK))
          .where((eb) => eb.and(rowConditions(eb, f)));
        for (const r of await q.execute()) out.set(Number(r.seq), r.id);
      }
      return out;
    },

    /** Which of these papers match any of the terms or phrases (to apply -exclusions to semantic results). */
    async matchingAmong(ids: string[], groups: string[][]): Promise<Set<string>> {
      if (groups.length === 0) return new Set();
      return new Set((await dialect.matchAmong(db, ids, { required: groups, excluded: [], mode: 'any' }, false)).map((h) => h.id));
    },

    /** Ranked ids and scores only (no rows, no highlights): candidates for a fused ranking. */
    async rank(q: FullTextQuery, f: PaperFilters, limit: number): Promise<{ id: string; score: number }[]> {
      const hits = await dialect.search(db, q, limit, 0, { order: 'relevance', nowMs: 0, ...(await fullTextFilters(f)), highlight: false });
      return hits.map((h) => ({ id: h.id, score: h.score }));
    },

    /**
     * `ranked` (rank()'s matches of every group) and `others` (papers found otherwise, such as by
     * meaning) scored on one scale, each paper on the groups it has; best first, without the others
     * that have none.
     */
    scoreWords: (groups: string[][], ranked: Scored[], others: string[]): Promise<Scored[]> => dialect.scoreWords(db, groups, ranked, others),

    /** Highlighted title and snippet of each of these papers that the query matches. */
    async highlights(ids: string[], q: FullTextQuery): Promise<Map<string, { titleHighlighted: string; snippet: string }>> {
      return new Map((await dialect.matchAmong(db, ids, q, true)).map((h) => [h.id, { titleHighlighted: h.titleHighlighted, snippet: h.snippet }]));
    },

    /** paper id -> seq, for the ids that exist. */
    async seqsForIds(ids: string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
        const rows = await db.selectFrom('papers').select(['seq', 'id']).where('id', 'in', ids.slice(i, i + LOOKUP_CHUNK)).execute();
        for (const r of rows) out.set(r.id, Number(r.seq));
      }
      return out;
    },

    /** Whether any paper's indexed text has the words, in a row (a query's group: a word, or a phrase; a hyphenated word: its parts in a row). */
    hasWords: (group: string[]): Promise<boolean> => dialect.anyMatch(db, { required: [group], mode: 'all', excluded: [] }),

    /** The index terms of a text with their document frequencies. */
    termFrequencies: (text: string): Promise<Map<string, number>> => dialect.termFrequencies(db, text),

    /** Papers having any of the terms, best BM25 first, with that score (higher = better). */
    matchingAny: (terms: string[], limit: number, excludeId: string): Promise<{ id: string; score: number }[]> =>
      dialect.searchIds(db, terms, limit, excludeId),
  };
}
