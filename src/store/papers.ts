// Papers: reads for every listing and page, and the idempotent bulk upsert that ingest uses.
// Rows stay here: every function returns domain Papers.
import { createHash } from 'node:crypto';
import { type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import { joinedCompounds } from '../domain/compounds.ts';
import { type Paper, type PaperFilters, type PaperInput, nameKey } from '../domain/paper.ts';
import type { Bounds, Day } from '../domain/period.ts';
import type { Db, Dialect } from './dialect/dialect.ts';
import { categorySizes, filterSets, highestSeq, inCategoriesRow, LOOKUP_CHUNK, ownCondition, type PageRequest, paperSearch } from './paper-search.ts';
import type { PaperAuthorsTable, PapersTable, Schema } from './schema.ts';


export type PaperSort = 'trending' | 'newest';
/** How an author's or an organization's papers are listed: newest first, or most upvoted first (then newest). */
export type ListingOrder = 'newest' | 'upvoted';
export type Listing = { papers: Paper[]; hasMore: boolean };
export type UpsertReport = { added: number; updated: number; unchanged: number };

type PaperRow = Selectable<PapersTable> & { org_fullname?: string | null; submitter?: string | null; comment_count?: number | string | null };

/** Reading a paper's row and sorting it costs about as much as this many category probes. */
const ROW_VS_PROBE = 12;
const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const orUndef = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export function rowToPaper(r: PaperRow): Paper {
  return {
    id: r.id,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.parse(r.authors_json) as string[],
    affiliations: JSON.parse(r.affiliations_json) as string[],
    authorCount: Number(r.author_count),
    categories: JSON.parse(r.categories_json) as string[],
    primaryCategory: orUndef(r.primary_category),
    comment: orUndef(r.comment),
    journalRef: orUndef(r.journal_ref),
    doi: orUndef(r.doi),
    submittedDate: orUndef(r.submitted_date),
    updatedDate: orUndef(r.updated_date),
    version: r.version === null ? undefined : Number(r.version),
    versions: JSON.parse(r.versions_json) as Paper['versions'],
    announcedDate: orUndef(r.announced_date),
    featuredDate: r.featured_date,
    upvotes: Number(r.upvotes),
    githubRepo: orUndef(r.github_repo),
    projectPage: orUndef(r.project_page),
    organization:
      r.organization === null ? undefined : { name: r.organization, fullname: r.org_fullname ?? r.organization },
    withdrawn: Number(r.withdrawn) === 1,
    deleted: Number(r.deleted) === 1,
    hidden: Number(r.hidden) === 1,
    submittedBy: r.submitter ?? undefined,
    comments: Number(r.comment_count ?? 0),
  };
}

/** The fields a source controls; a re-ingest that changes none of them is "unchanged". */
function sourceFields(p: PaperInput) {
  return {
    title: p.title,
    abstract: p.abstract,
    authors_json: JSON.stringify(p.authors),
    affiliations_json: JSON.stringify(p.affiliations.some(Boolean) ? p.affiliations : []),
    author_count: Math.max(p.authorCount, p.authors.length),
    categories_json: JSON.stringify(p.categories),
    primary_category: orNull(p.primaryCategory),
    comment: orNull(p.comment),
    journal_ref: orNull(p.journalRef),
    doi: orNull(p.doi),
    submitted_date: orNull(p.submittedDate),
    updated_date: orNull(p.updatedDate),
    version: orNull(p.version),
    versions_json: JSON.stringify(p.versions),
    withdrawn: p.withdrawn ? 1 : 0,
    announced_date: orNull(p.announcedDate),
    github_repo: orNull(p.githubRepo),
    project_page: orNull(p.projectPage),
    organization: orNull(p.organization?.name),
  };
}

/**
 * Sources differ in what they know (an HF item has no categories, the arxiv-sample no versions): an
 * update never replaces a known value with an unknown one.
 */
function keepKnown<F extends Record<string, unknown>>(fields: F, old: Record<string, unknown>): F {
  const out: Record<string, unknown> = { ...fields };
  for (const [k, v] of Object.entries(fields)) if ((v === null || v === '[]') && old[k] !== undefined) out[k] = old[k];
  return out as F;
}

/** Compares rows by a string key in code-unit order (as SQLite's BINARY collation orders the index). */
const ascending =
  <T>(key: (row: T) => string) =>
  (a: T, b: T): number => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };

const contentHash = (fields: object): string => createHash('sha1').update(JSON.stringify(fields)).digest('base64url');


export function papersRepo(db: Db, dialect: Dialect) {
  const base = () =>
    db
      .selectFrom('papers')
      .leftJoin('organizations', 'organizations.name', 'papers.organization')
      .leftJoin('submissions', 'submissions.paper_id', 'papers.id')
      .leftJoin('users', 'users.id', 'submissions.user_id')
      .selectAll('papers')
      .select(['organizations.fullname as org_fullname', 'users.handle as submitter'])
      // Counted per paper from the (paper_id, id) index: a page of cards costs a few index probes.
      .select((eb) =>
        eb
          .selectFrom('comments')
          .select((c) => c.fn.countAll<number>().as('n'))
          .whereRef('comments.paper_id', '=', 'papers.id')
          .where('comments.deleted_at', 'is', null)
          .where('comments.hidden_at', 'is', null)
          .as('comment_count'),
      );

  /**
   * A page of ids in order, then the full rows of just those: the ordering runs on the covering
   * indexes (featured_date, upvotes, id) and (featured_date, id) without touching abstracts.
   */
  type IdQuery = ReturnType<typeof idsFrom>;
  const idsFrom = () => db.selectFrom('papers').select('papers.id').where('papers.hidden', '=', 0);
  /** An author's papers (the name in any case or accents), an organization's: what their pages list and count. */
  const ofAuthor = (name: string) =>
    idsFrom().where('papers.id', 'in', (s) => s.selectFrom('paper_authors').select('paper_id').where('name_key', '=', nameKey(name)));
  const ofOrganization = (org: string) => idsFrom().where('papers.organization', '=', org);
  async function count(q: IdQuery): Promise<number> {
    const r = await db.selectFrom(q.as('listed')).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async function page(q: IdQuery, sort: PaperSort | ListingOrder, nowMs: number, p: PageRequest): Promise<Listing> {
    const ordered =
      sort === 'trending'
        ? q.orderBy(sql`trending_score(papers.upvotes, papers.featured_date, ${nowMs})`, 'desc').orderBy('papers.id', 'desc')
        : sort === 'upvoted'
          ? q.orderBy('papers.upvotes', 'desc').orderBy('papers.featured_date', 'desc').orderBy('papers.id', 'desc')
          : q.orderBy('papers.featured_date', 'desc').orderBy('papers.id', 'desc');
    const ids = (await ordered.limit(p.limit + 1).offset(p.offset).execute()).map((r) => r.id);
    return { papers: await byIds(ids.slice(0, p.limit)), hasMore: ids.length > p.limit };
  }

  /** The papers of these ids, in the same order (unknown and hidden ids skipped); any number of ids. */
  async function byIds(ids: string[]): Promise<Paper[]> {
    if (ids.length === 0) return [];
    const found = new Map<string, Paper>();
    // In chunks: an engine takes only so many bound parameters (SQLite 32,766).
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      for (const r of await base().where('papers.id', 'in', ids.slice(i, i + LOOKUP_CHUNK)).where('papers.hidden', '=', 0).execute()) found.set(r.id, rowToPaper(r));
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  const papersIn = categorySizes(db);
  /**
   * Whether to list papers in these categories by walking all papers in order and probing each (a
   * probe costs ~1/12 of reading a row: 0.19 against 2.3 us), or by reading the category's papers
   * and sorting them. Newest first the walk stops after `wanted` papers of the category.
   */
  async function walkCategory(categories: string[], order: PaperSort, wanted: number): Promise<boolean> {
    const size = await papersIn(categories);
    const papers = await highestSeq(db);
    return order === 'newest' ? size * size * ROW_VS_PROBE > wanted * papers : size * ROW_VS_PROBE > papers;
  }

  return {
    ...paperSearch(db, dialect, byIds, papersIn),

    async byId(id: string): Promise<Paper | undefined> {
      const row = await base().where('papers.id', '=', id).executeTakeFirst();
      return row && rowToPaper(row);
    },

    byIds,

    listForPeriod(b: Bounds, sort: PaperSort, p: PageRequest, nowMs: number): Promise<Listing> {
      const q = idsFrom().where('papers.featured_date', '>=', b.start).where('papers.featured_date', '<', b.end);
      return page(q, sort, nowMs, p);
    },

    async countForPeriod(b: Bounds): Promise<number> {
      const r = await db
        .selectFrom('papers')
        .select((e) => e.fn.countAll().as('n'))
        .where('featured_date', '>=', b.start)
        .where('featured_date', '<', b.end)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** The nearest featured day strictly before or after `day` that has papers. */
    async adjacentDay(day: Day, dir: 'prev' | 'next'): Promise<Day | undefined> {
      const q = db.selectFrom('papers').select('featured_date').limit(1);
      const r = await (dir === 'prev'
        ? q.where('featured_date', '<', day).orderBy('featured_date', 'desc')
        : q.where('featured_date', '>', day).orderBy('featured_date', 'asc')
      ).executeTakeFirst();
      return r?.featured_date;
    },

    /** The newest featured day on or before `day` (or the newest of all when none is). */
    async latestDay(day: Day): Promise<Day | undefined> {
      const on = await db
        .selectFrom('papers')
        .select('featured_date')
        .where('featured_date', '<=', day)
        .orderBy('featured_date', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (on) return on.featured_date;
      const any = await db.selectFrom('papers').select('featured_date').orderBy('featured_date', 'desc').limit(1).executeTakeFirst();
      return any?.featured_date;
    },

    byAuthor(name: string, p: PageRequest, order: ListingOrder = 'newest'): Promise<Listing> {
      return page(ofAuthor(name), order, 0, p);
    },
    /** How many papers byAuthor lists. */
    countByAuthor: (name: string): Promise<number> => count(ofAuthor(name)),

    byOrganization(org: string, p: PageRequest, order: ListingOrder = 'newest'): Promise<Listing> {
      return page(ofOrganization(org), order, 0, p);
    },
    /** How many papers byOrganization lists. */
    countByOrganization: (org: string): Promise<number> => count(ofOrganization(org)),

    /**
     * Papers matching the filters alone (a search with no words), newest or trending first. Dates
     * bound the walk of the date index itself. A large category is checked paper by paper while the
     * papers are walked in order (newest first, the walk stops when the page is full); a small one is
     * read as a set and its papers sorted. `cat:cs.CV` newest first: 75 -> 1 ms at 75k papers.
     * Exclusions are checked on each paper read: `cat:cs.CV -cat:cs.LG` 1,623 -> 1.3 ms at 1M.
     */
    async listFiltered(f: PaperFilters, order: PaperSort, p: PageRequest, nowMs: number): Promise<Listing> {
      let q = idsFrom();
      // Dates, and exclusions checked on each paper read (their sets would hold nearly every paper).
      const own = ownCondition(f);
      if (own) q = q.where(own);
      const walk = f.categories.length > 0 && (await walkCategory(f.categories, order, p.offset + p.limit + 1));
      if (walk) q = q.where((eb) => inCategoriesRow(eb, f.categories));
      for (const set of filterSets(db, f, { categories: walk })) q = q.where('papers.seq', 'in', set);
      return page(q, order, nowMs, p);
    },

    /** Titles and abstracts in seq order, a page at a time (for training on the corpus). */
    async texts(afterSeq: number, limit: number): Promise<{ seq: number; title: string; abstract: string }[]> {
      const rows = await db.selectFrom('papers').select(['seq', 'title', 'abstract']).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
      return rows.map((r) => ({ seq: Number(r.seq), title: r.title, abstract: r.abstract }));
    },

    async count(): Promise<number> {
      const r = await db.selectFrom('papers').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /**
     * Inserts new papers and updates changed ones, in bulk; must run in a transaction. Never touches a
     * known paper's featured day, upvotes or creation time: a new version does not make a paper new again.
     */
    async upsertMany(inputs: PaperInput[], nowIso: string): Promise<UpsertReport> {
      if (!db.isTransaction) throw new Error('upsertMany needs a transaction');
      const trx = db as Transaction<Schema>;
      const report: UpsertReport = { added: 0, updated: 0, unchanged: 0 };
      const byId = new Map(inputs.map((p) => [p.id, p])); // a later duplicate within one batch wins
      const ids = [...byId.keys()];
      const existing = new Map<string, { hash: string; authors: string[] }>();
      for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
        const rows = await db
          .selectFrom('papers')
          .select(['id', 'content_hash', 'authors_json'])
          .where('id', 'in', ids.slice(i, i + LOOKUP_CHUNK))
          .execute();
        for (const r of rows) existing.set(r.id, { hash: r.content_hash, authors: JSON.parse(r.authors_json) as string[] });
      }

      const orgs = new Map<string, string>();
      for (const p of byId.values()) if (p.organization) orgs.set(p.organization.name, p.organization.fullname);
      await dialect.insertMany(
        trx,
        'organizations',
        [...orgs].map(([name, fullname]) => ({ name, fullname, created_at: nowIso })),
        { ignoreDuplicates: true },
      );

      const inserts: Insertable<PapersTable>[] = [];
      const authorRows: Insertable<PaperAuthorsTable>[] = [];
      for (const p of byId.values()) {
        const fields = sourceFields(p);
        const hash = contentHash(fields);
        const known = existing.get(p.id);
        if (known?.hash === hash) {
          report.unchanged++;
          continue;
        }
        for (const name of p.authors) authorRows.push({ name_key: nameKey(name), paper_id: p.id });
        if (known === undefined) {
          report.added++;
          inserts.push({
            id: p.id,
            ...fields,
            compounds: joinedCompounds(fields.title, fields.abstract),
            featured_date: p.featuredDate,
            upvotes: p.upvotes ?? 0,
            content_hash: hash,
            created_at: nowIso,
            modified_at: nowIso,
          });
        } else {
          report.updated++;
          const old = await db.selectFrom('papers').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
          const kept = keepKnown(fields, old);
          await db
            .updateTable('papers')
            .set({ ...kept, compounds: joinedCompounds(kept.title, kept.abstract), content_hash: hash, modified_at: nowIso })
            .where('id', '=', p.id)
            .execute();
          const oldKeys = p.authors.length > 0 ? [...new Set(known.authors.map(nameKey))] : [];
          if (oldKeys.length > 0) {
            await db.deleteFrom('paper_authors').where('paper_id', '=', p.id).where('name_key', 'in', oldKeys).execute();
          }
        }
      }
      // In index order: each index page a batch touches is then visited once, not again and again in
      // random order (past the page cache, every revisit is a read).
      inserts.sort(ascending((r) => r.featured_date));
      authorRows.sort(ascending((r) => r.name_key));
      await dialect.insertMany(trx, 'papers', inserts);
      await dialect.insertMany(trx, 'paper_authors', authorRows, { ignoreDuplicates: true });
      return report;
    },

    /** Marks papers deleted at the source; returns how many known papers were newly marked. */
    async markDeleted(ids: string[], nowIso: string): Promise<number> {
      let n = 0;
      for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
        const r = await db
          .updateTable('papers')
          .set({ deleted: 1, modified_at: nowIso })
          .where('id', 'in', ids.slice(i, i + LOOKUP_CHUNK))
          .where('deleted', '=', 0)
          .executeTakeFirst();
        n += Number(r.numUpdatedRows);
      }
      return n;
    },

    /** After a bulk load, outside any transaction: the search index reorganised for reading (the engines' compactFullText). */
    async compactSearchIndex(): Promise<void> {
      if (db.isTransaction) throw new Error('compactSearchIndex cannot run in a transaction');
      await dialect.compactFullText(db);
    },

    async stats() {
      const p = await db
        .selectFrom('papers')
        .select((e) => [
          e.fn.countAll().as('papers'),
          e.fn.min('featured_date').as('first'),
          e.fn.max('featured_date').as('last'),
          e.fn.count('featured_date').distinct().as('days'),
          e.fn.sum('upvotes').as('upvotes'),
        ])
        .executeTakeFirstOrThrow();
      const a = await db
        .selectFrom('paper_authors')
        .select((e) => e.fn.count('name_key').distinct().as('n'))
        .executeTakeFirstOrThrow();
      const o = await db.selectFrom('organizations').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return {
        papers: Number(p.papers),
        featuredDays: Number(p.days),
        firstFeaturedDay: (p.first as string | null) ?? undefined,
        lastFeaturedDay: (p.last as string | null) ?? undefined,
        upvotes: Number(p.upvotes ?? 0),
        authors: Number(a.n),
        organizations: Number(o.n),
      };
    },
  };
}

export type PapersRepo = ReturnType<typeof papersRepo>;
