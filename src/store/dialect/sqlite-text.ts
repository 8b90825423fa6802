// The SQLite dialect's text tools around FTS5, on the dialect's own connection: stemming as the index
// stems, word counts from the index's vocabulary, the plans a full-text search chooses between (each
// from those counts), highlights for a page of papers, and FTS5's BM25 of a few papers (fts5-bm25.ts)
// from the index's statistics. Only sqlite.ts uses it.
import type Database from 'better-sqlite3';
import { type RawBuilder, sql } from 'kysely';
import { HIT_END, HIT_START } from '../../domain/highlight.ts';
import type { Db, FullTextOptions, FullTextQuery } from './dialect.ts';
import { bm25, type IndexedText, type Stemmer, varints } from './fts5-bm25.ts';

/** How the full-text index splits and stems words (the benchmarks tokenise with it too). */
export const TOKENIZER = 'porter unicode61 remove_diacritics 2';
/** Document frequencies are cached this long, for at most this many terms. */
const FREQUENCY_TTL_MS = 600_000;
const FREQUENCY_CACHE_SIZE = 100_000;
/** What probing paper_categories for one full-text match costs, in rows of a category set built instead. */
const PROBE_COST = 1.5;
/**
 * What checking one full-text match's dates or exclusions costs, in entries of a set built instead
 * (measured at 1M papers: ~1 us a match, ~0.3 us an entry).
 */
const ROW_PROBE_COST = 4;
/** candidatesFor: candidates per match a category's share promises, at least and at most. */
const CANDIDATE_MARGIN = 10;
const MIN_CANDIDATES = 1000;
const MAX_CANDIDATES = 20_000;
/** candidatesFor: a set entry, and checking a match against the set, in scorings of a match. */
const SET_ENTRY_VS_SCORE = 0.9;
const SET_CHECK_VS_SCORE = 0.3;
/** Reading a paper's row costs about as much as this many entries of a covering index. */
const ROW_VS_INDEX_ENTRY = 60;
/** Words whose index tokens are kept (a word's tokens never change). */
const STEM_CACHE_SIZE = 200_000;
/** The record in which FTS5 keeps its row count and each column's total tokens. */
const AVERAGES_RECORD = 1;

export function sqliteText(raw: Database.Database) {
  /** Papers per index term, or per phrase of several (its terms joined by spaces), each kept for a while. */
  const frequencies = new Map<string, { df: number; until: number }>();
  const keepFrequency = (key: string, df: number, now: number) => {
    if (frequencies.size > FREQUENCY_CACHE_SIZE) frequencies.clear();
    frequencies.set(key, { df, until: now + FREQUENCY_TTL_MS });
  };
  // Stemming text the way the index does: FTS5 exposes its tokenizer only through a table, so a
  // temporary table with the same tokenizer (one row a text) and its vocabulary do the job.
  let stemTable:
    | { put: Database.Statement; putEach: Database.Statement; terms: Database.Statement; tokensByRow: Database.Statement; clear: Database.Statement }
    | undefined;
  const stemStatements = () => {
    if (!stemTable) {
      raw.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.stem_text USING fts5(x, tokenize='${TOKENIZER}');
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.stem_terms USING fts5vocab(temp, 'stem_text', 'row');
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.stem_tokens USING fts5vocab(temp, 'stem_text', 'instance');
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.index_terms USING fts5vocab(main, 'papers_fts', 'row');`);
      stemTable = {
        put: raw.prepare('INSERT INTO temp.stem_text(rowid, x) VALUES (1, ?)'),
        putEach: raw.prepare('INSERT INTO temp.stem_text(rowid, x) SELECT key + 1, value FROM json_each(?)'),
        terms: raw.prepare('SELECT term FROM temp.stem_terms'),
        tokensByRow: raw.prepare('SELECT doc, term FROM temp.stem_tokens ORDER BY doc, offset'),
        clear: raw.prepare('DELETE FROM temp.stem_text'),
      };
    }
    return stemTable;
  };
  /** A text's distinct index terms. */
  const stem = (text: string): string[] => {
    const st = stemStatements();
    st.put.run(text);
    try {
      return (st.terms.all() as { term: string }[]).map((r) => r.term);
    } finally {
      st.clear.run();
    }
  };
  const stems = new Map<string, readonly string[]>();
  /** Words' index tokens, kept (a word's tokens never change): the BM25 scan's stemmer (fts5-bm25.ts). */
  const wordStems: Stemmer = {
    known: (word) => stems.get(word),
    learn(words) {
      const st = stemStatements();
      if (stems.size + words.length > STEM_CACHE_SIZE) stems.clear();
      st.putEach.run(JSON.stringify(words));
      try {
        const found = words.map((): string[] => []);
        for (const r of st.tokensByRow.iterate() as Iterable<{ doc: number; term: string }>) found[r.doc - 1]?.push(r.term);
        for (const [i, w] of words.entries()) stems.set(w, found[i]!);
      } finally {
        st.clear.run();
      }
    },
  };
  /** A word's (or a phrase's) index tokens, in order. */
  const stemWord = (word: string): readonly string[] => {
    if (!stems.has(word)) wordStems.learn([word]);
    return stems.get(word)!;
  };

  /** Papers per index term; fts5vocab lookups scan the vocabulary (~0.3 ms a term), so counts are kept for a while. */
  const documentFrequencies = (terms: string[]): Map<string, number> => {
    const now = Date.now();
    const missing = terms.filter((t) => !((frequencies.get(t)?.until ?? 0) > now));
    if (missing.length > 0) {
      const look = raw.prepare(`SELECT term, doc FROM temp.index_terms WHERE term IN (${missing.map(() => '?').join(', ')})`);
      const found = new Map((look.all(...missing) as { term: string; doc: number }[]).map((r) => [r.term, r.doc]));
      for (const t of missing) keepFrequency(t, found.get(t) ?? 0, now);
    }
    return new Map(terms.map((t) => [t, frequencies.get(t)!.df]));
  };

  /** At most how many papers the query matches: its rarest required word's count, or the sum for "any". */
  const matchBound = (q: FullTextQuery): number => {
    const groups = q.required.map((g) => Math.min(...documentFrequencies(stem(g.join(' '))).values()));
    return q.mode === 'all' ? Math.min(...groups) : groups.reduce((a, b) => a + b, 0);
  };

  // Highlights for a page of papers: their text is indexed on its own in a temporary FTS5 table with
  // the index's tokenizer and columns, where highlight() and snippet() (which read one row's text and
  // the query, nothing else of the corpus) give what the full index gives. Asking the full index
  // evaluates the query over every paper again: 7-10 ms for a common word at 75k papers, against
  // 1.3-1.6 ms for a page of 20 here. Synchronous from fill to clear, so requests never share it.
  let pages: { fill: Database.Statement; index: Database.Statement; read: Database.Statement; clear: Database.Statement[] } | undefined;
  const highlightsOf = (ids: string[], match: string): Map<string, { th: string; sn: string }> => {
    if (!pages) {
      raw.exec(`CREATE TEMP TABLE IF NOT EXISTS page_text (seq INTEGER PRIMARY KEY, id TEXT, title TEXT, abstract TEXT, authors_json TEXT, compounds TEXT);
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.page_fts USING fts5(title, abstract, authors_json, compounds,
          content='page_text', content_rowid='seq', tokenize='${TOKENIZER}');`);
      pages = {
        fill: raw.prepare(`INSERT OR IGNORE INTO temp.page_text SELECT seq, id, title, abstract, authors_json, compounds FROM main.papers
          WHERE id IN (SELECT value FROM json_each(?))`),
        index: raw.prepare(`INSERT INTO temp.page_fts(page_fts) VALUES ('rebuild')`),
        read: raw.prepare(`SELECT t.id AS id, highlight(page_fts, 0, ?, ?) AS th, snippet(page_fts, 1, ?, ?, '…', 40) AS sn
          FROM temp.page_fts JOIN temp.page_text t ON t.seq = page_fts.rowid WHERE page_fts MATCH ?`),
        clear: [raw.prepare(`INSERT INTO temp.page_fts(page_fts) VALUES ('delete-all')`), raw.prepare('DELETE FROM temp.page_text')],
      };
    }
    const p = pages;
    try {
      p.fill.run(JSON.stringify(ids));
      p.index.run();
      const rows = p.read.all(HIT_START, HIT_END, HIT_START, HIT_END, match) as { id: string; th: string; sn: string }[];
      return new Map(rows.map((r) => [r.id, r]));
    } finally {
      for (const c of p.clear) c.run();
    }
  };

  /** Papers matching a phrase of several tokens, counted on the index and kept like a term's count. */
  let phraseCount: Database.Statement | undefined;
  const phraseFrequency = (phrase: readonly string[]): number => {
    const key = phrase.join(' ');
    const now = Date.now();
    const known = frequencies.get(key);
    if (known && known.until > now) return known.df;
    phraseCount ??= raw.prepare('SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH ?');
    const df = (phraseCount.get(`"${key}"`) as { n: number }).n;
    keepFrequency(key, df, now);
    return df;
  };

  let indexed: { stats: Database.Statement; texts: Database.Statement } | undefined;
  /**
   * FTS5's bm25() of these papers for the groups (phrases) OR'd, as the full index would rank them,
   * from their text and the index's own statistics (its averages record, the papers per phrase):
   * fts5-bm25.ts. `weights`: per column, as given to bm25(). Papers with none of the groups are left out.
   */
  const bm25Among = (ids: string[], groups: string[][], weights: number[]): Map<string, number> => {
    const phrases = groups.map((g) => stemWord(g.join(' '))).filter((t) => t.length > 0);
    if (ids.length === 0 || phrases.length === 0) return new Map();
    indexed ??= {
      stats: raw.prepare(`SELECT block FROM papers_fts_data WHERE id = ${AVERAGES_RECORD}`),
      texts: raw.prepare(`SELECT p.id AS id, p.title AS title, p.abstract AS abstract, p.authors_json AS authors, p.compounds AS compounds, d.sz AS sz
        FROM papers p JOIN papers_fts_docsize d ON d.id = p.seq WHERE p.id IN (SELECT value FROM json_each(?))`),
    };
    const record = indexed.stats.get() as { block: Uint8Array } | undefined;
    const [rows = 0, ...columnTokens] = record ? varints(record.block) : [];
    const single = documentFrequencies([...new Set(phrases.filter((p) => p.length === 1).map((p) => p[0]!))]);
    const hits = phrases.map((p) => (p.length === 1 ? single.get(p[0]!)! : phraseFrequency(p)));
    type Row = { id: string; title: string; abstract: string; authors: string; compounds: string | null; sz: Uint8Array };
    const papers = (indexed.texts.all(JSON.stringify(ids)) as Row[]).map(
      (r): IndexedText => ({ id: r.id, columns: [r.title, r.abstract, r.authors, r.compounds ?? ''], length: varints(r.sz).reduce((a, b) => a + b, 0) }),
    );
    return bm25(papers, phrases, hits, { rows, tokens: columnTokens.reduce((a, b) => a + b, 0) }, weights, wordStems);
  };

  /** Papers in the store, as the highest seq tells (one index step). */
  let highestSeq: Database.Statement | undefined;
  const paperCount = () => {
    highestSeq ??= raw.prepare('SELECT coalesce(max(seq), 0) AS n FROM papers');
    return (highestSeq.get() as { n: number }).n;
  };
  /** Whether the paper `rowid` names is in one of the categories, probed on paper_categories. */
  const categoryProbe = (categories: string[], rowid: RawBuilder<unknown>) =>
    categories.length === 0 ? sql`` : sql`AND EXISTS (SELECT 1 FROM paper_categories c WHERE c.category IN (${sql.join(categories)}) AND c.seq = ${rowid})`;
  /** FullTextOptions.paperChecks on the row of the paper `rowid` names. */
  const paperProbe = (d: Db, checks: FullTextOptions['paperChecks'], rowid: RawBuilder<unknown>) => {
    if (!checks) return sql``;
    const row = d.selectFrom('papers').select(sql`1`.as('one')).where(sql<boolean>`papers.seq = ${rowid}`).where(checks.condition);
    return sql`AND EXISTS ${row}`; // Kysely puts a subquery in parentheses
  };

  return {
    stem,
    documentFrequencies,
    highlightsOf,
    bm25Among,
    categoryProbe,
    paperProbe,

    /** The plan choices of one full-text query, which share its match count (stemmed and counted once, when first asked). */
    planFor(q: FullTextQuery) {
      let bound: number | undefined;
      const matches = () => {
        bound ??= matchBound(q);
        return bound;
      };
      return {
        /**
         * Whether matches are listed by date or trending by walking every paper in that order on a covering
         * index and keeping the matches, rather than reading each match's row and sorting them: a row costs
         * ~60 index entries (2.4 against 0.04 us). By date the walk stops once it has `wanted` matches
         * (~wanted x papers / matches entries); by trending it reads every entry.
         */
        walkInOrder(order: 'date' | 'trending', wanted: number): boolean {
          const m = Number.isFinite(matches()) ? matches() : 0;
          const papers = paperCount();
          return order === 'date' ? m * m * ROW_VS_INDEX_ENTRY > wanted * papers : m * ROW_VS_INDEX_ENTRY > papers;
        },

        /**
         * With a category filter, how many of the best matches by words alone to rank and check for a
         * relevance page of `wanted` matches in the categories (`inThem`: their papers), or undefined to
         * filter every match instead. Ranking by words alone scores every match, where filtering first
         * scores only those in the categories but checks them all (against a set of the categories'
         * papers, built for the query, or a probe each); so it pays for a broad category, not a narrow one
         * (measured at 1M papers: scoring a match ~0.34 us, a set entry ~0.3 us, checking a match against
         * the set ~0.1 us). The categories' share of the papers promises the page among
         * wanted x CANDIDATE_MARGIN / share candidates; if fewer of them pass, the caller filters every
         * match after all.
         */
        candidatesFor(wanted: number, inThem: number): number | undefined {
          if (inThem === 0) return undefined;
          const m = matches();
          const papers = paperCount();
          if (papers === 0 || !Number.isFinite(m)) return undefined;
          const share = Math.min(1, inThem / papers);
          if (m * (1 - share) >= SET_ENTRY_VS_SCORE * inThem + SET_CHECK_VS_SCORE * m) return undefined;
          return Math.min(MAX_CANDIDATES, Math.max(MIN_CANDIDATES, Math.ceil((wanted * CANDIDATE_MARGIN) / share)));
        },

        /**
         * A category filter on full-text matches (`inThem`: papers in those categories): FTS5 checks each
         * match against a set of the category's papers, or probes paper_categories for each match,
         * whichever costs less. The set costs its size (cs.CV's 38,422 papers at 75k: 8-13 ms, even for a
         * word in 17 papers), the probes the number of matches.
         */
        inCategories(categories: string[], inThem: number) {
          if (categories.length === 0) return sql``;
          return matches() * PROBE_COST < inThem
            ? categoryProbe(categories, sql`papers_fts.rowid`)
            : sql`AND +papers_fts.rowid IN (SELECT seq FROM paper_categories WHERE category IN (${sql.join(categories)}))`;
        },

        /**
         * The filters a paper answers by itself (FullTextOptions.paperChecks) on full-text matches: each
         * match is checked (its row read, its categories probed) unless that costs more than building the
         * set of the papers the filters allow. `diffusion -cat:cs.CV` at 1M papers: 391 -> 173 ms; `model
         * -cat:cs.CV` (817k matches) keeps its set.
         */
        async paperChecks(d: Db, checks: FullTextOptions['paperChecks']) {
          if (!checks) return sql``;
          const probes = Number.isFinite(matches()) ? Math.ceil(matches() * ROW_PROBE_COST) : undefined;
          if (probes === undefined || !(await checks.setHolds(probes))) return sql`AND +papers_fts.rowid IN (${checks.set})`;
          return paperProbe(d, checks, sql`papers_fts.rowid`);
        },
      };
    },
  };
}
