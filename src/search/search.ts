// Search over the store: lexical (BM25 through the engine's full-text index), and, when an embedder
// is configured, semantic retrieval fused with it (fusion.ts), the candidates by words taken in the
// order words.ts sets. Owns the related-papers lookup and its cache, why each result matched, and
// "did you mean" for words no paper has (spelled by spelling.ts over the embedding model's words).
import { HIT_END, HIT_START } from '../domain/highlight.ts';
import type { Paper } from '../domain/paper.ts';
import type { PageRequest, SearchHit } from '../store/paper-search.ts';
import type { FullTextQuery } from '../store/dialect/dialect.ts';
import type { Repos } from '../store/store.ts';
import { type FusionMethod, fuse } from './fusion.ts';
import { type CompoundMarker, compoundMarker } from './match.ts';
import { hasFilters, type ParsedQuery, parseQuery } from './query.ts';
import type { Semantic } from './semantic.ts';
import { distinctiveTerms } from './similar.ts';
import { completions, corrected, createSpeller, type Speller, wordBeingTyped } from './spelling.ts';
import { type WordIndex, type WordMode, wordsFirst } from './words.ts';

export type Hit = SearchHit & {
  /** The paper has the query's words (a full-text match). */
  words: boolean;
  /** Cosine of the query and the paper, when semantic search took part (for word matches too). */
  meaning: number | undefined;
  /** The paper is among those nearest the query in meaning (the semantic candidates), whether or not it has the words. */
  near: boolean;
  /** For a match by meaning: query words and the paper's words that brought them together. */
  why: string[];
};

export type SearchResult = {
  query: ParsedQuery;
  hits: Hit[];
  hasMore: boolean;
  /**
   * all = every word matched; any = no paper had every word, so papers with any of them are shown;
   * meaning = no paper had any of the words, papers close in meaning are shown;
   * filters = no words, papers passing the filters; empty = nothing to search for.
   */
  mode: WordMode | 'meaning' | 'filters' | 'empty';
  /**
   * Words (or phrases) of the query that no paper has at all, when no paper had every word: in "all"
   * mode they were left out and every other word matched (a query of one such word: it, and nothing
   * found); in "any" mode none had even the others.
   */
  missing: string[][];
  /** Whether semantic retrieval took part. */
  hybrid: boolean;
  /**
   * "Did you mean": the query as typed with its words that no paper has spelled as the nearest words
   * papers do have (where the embedding model knows the corpus's words), else undefined.
   */
  suggestion: string | undefined;
  /** The query as typed, when nothing matched it and these are the results of its suggestion instead. */
  correctedFrom?: string;
};

export type Search = {
  /**
   * `correct`: when nothing matches and a spelling papers use is known (`suggestion`), search that
   * instead and say so (`correctedFrom`), as the search page does; the API and feeds search as asked.
   */
  papers(text: string, page: PageRequest, opts?: { correct?: boolean }): Promise<SearchResult>;
  /**
   * For results as you type: the text with the word being typed at its end completed as the most
   * frequent known word that begins that way and that some paper has ("vision lang" -> "vision
   * language"); undefined when there is none, or the word is complete (no more frequent word extends it).
   */
  complete(text: string): Promise<string | undefined>;
  similar(paper: Paper, limit: number): Promise<Paper[]>;
  /** The ids of similar(), best first (without reading the papers). */
  similarIds(paper: Paper, limit: number): Promise<string[]>;
  readonly semantic: Semantic | undefined;
};

export type HybridOptions = {
  semantic: Semantic;
  /** 0 = lexical only, 1 = semantic only. */
  weight: number;
  fusion: FusionMethod;
  /** Weight of meaning for related papers. */
  similarWeight: number;
};

/** Related-paper lists kept in memory (ids only): recomputing costs a full-text query per paper view. */
const SIMILAR_CACHE_SIZE = 5000;
/** The corpus size used to judge which words are rare is re-read at most this often. */
const COUNT_TTL_MS = 300_000;
/** Results each retriever contributes to a fused ranking (more when paging deeper). */
const CANDIDATES = 100;
/** Completions of a word being typed checked against the papers (most frequent first) before giving up. */
const MAX_COMPLETIONS = 10;
/** Letters a word no paper has needs before "did you mean" reads it as cut short (see suggestion()). */
const MIN_PREFIX = 4;
const SNIPPET_CHARS = 280;

const fullText = (q: ParsedQuery, mode: WordMode): FullTextQuery => ({ required: q.groups, excluded: q.excluded, mode });
/** Marks the hyphenated spellings of the query's words in highlighted text (match.ts); one per query. */
const marker = (q: ParsedQuery) => compoundMarker(q, HIT_START, HIT_END);
/**
 * A word match, with the hyphenated spellings of the query's words marked in its title and snippet; a
 * snippet with no mark at all (the paper matched through a joined form, or by its title) shows the
 * abstract around the first such spelling instead, where there is one.
 */
function wordHit(h: SearchHit, m: CompoundMarker): Hit {
  const snippet = m.mark(h.snippet);
  const better = snippet.includes(HIT_START) ? snippet : (m.around(h.paper.abstract, SNIPPET_CHARS) ?? snippet);
  return { ...h, titleHighlighted: m.mark(h.titleHighlighted), snippet: better, words: true, meaning: undefined, near: false, why: [] };
}
const opening = (text: string) => (text.length <= SNIPPET_CHARS ? text : `${text.slice(0, text.lastIndexOf(' ', SNIPPET_CHARS))}…`);

/** The store's full-text index, as the order of words (words.ts) asks it. */
const wordIndex = (papers: Repos['papers']): WordIndex => ({
  rank: (q, mode, limit) => papers.rank(fullText(q, mode), q.filters, limit),
  hasWords: (group) => papers.hasWords(group),
});

export type SearchOptions = {
  /** The clock trending and dates are read against. */
  now?: () => number;
  /** Semantic retrieval, fused with the words; none = lexical only. */
  hybrid?: HybridOptions;
  /**
   * The words "did you mean" suggests from when the embedder has no vocabulary of its own (no
   * embedder, or one that reads text its own way), most frequent first; read on first need.
   */
  spellingWords?: () => readonly string[];
};

/** `store`: where searches read; the composition root passes the read replica (the primary when there is none). */
export function createSearch(store: Pick<Repos, 'papers'>, { now: nowMs = Date.now, hybrid, spellingWords }: SearchOptions = {}): Search {
  const similarCache = new Map<string, string[]>();
  let total = { n: 0, at: Number.NEGATIVE_INFINITY };
  const totalPapers = async () => {
    if (Date.now() - total.at > COUNT_TTL_MS) total = { n: await store.papers.count(), at: Date.now() };
    return total.n;
  };

  const index = wordIndex(store.papers);

  /** The words of the model in use (a retrained model's once it takes over), else spellingWords; most frequent first. */
  const knownWords = () => hybrid?.semantic.embedder.vocabulary ?? spellingWords?.();
  /** A speller over knownWords(), rebuilt when they change. */
  let spelling: { words: readonly string[]; speller: Speller } | undefined;
  const speller = (): Speller | undefined => {
    const words = knownWords();
    if (!words) return undefined;
    if (spelling?.words !== words) spelling = { words, speller: createSpeller(words) };
    return spelling.speller;
  };

  /** The first of these words that some paper has, trying them in order. */
  async function firstPapersHave(candidates: Iterable<string>): Promise<string | undefined> {
    for (const w of candidates) if (await store.papers.hasWords([w])) return w;
    return undefined;
  }

  /** The query with each word no paper has replaced by the nearest known word that a paper has. */
  async function suggestion(query: ParsedQuery, missing: string[][]): Promise<string | undefined> {
    const spell = missing.length > 0 ? speller() : undefined;
    if (!spell) return undefined;
    const corrections = new Map<string, string>();
    // A word the query already has is no correction ("diffusion difusionx" is not "diffusion diffusion").
    const typed = new Set(query.groups.flat().map((w) => w.toLowerCase()));
    const words = knownWords() ?? [];
    for (const [word] of missing.filter((g) => g.length === 1)) {
      // A word cut short ("diffu", "atten") is read as the start of a known word before it is spelled
      // as a typo ("diff"): the most frequent words it begins first.
      const lower = word!.toLowerCase();
      const started = lower.length >= MIN_PREFIX ? completions(words, lower, MAX_COMPLETIONS).filter((w) => w !== lower) : [];
      const right = await firstPapersHave([...started, ...spell(word!)].filter((c) => !typed.has(c)));
      if (right) corrections.set(word!, right);
    }
    return corrections.size > 0 ? corrected(query.text, corrections) : undefined;
  }

  async function lexical(query: ParsedQuery, page: PageRequest) {
    const run = (q: ParsedQuery, mode: WordMode) => store.papers.search(fullText(q, mode), q.filters, q.sort ?? 'relevance', page, nowMs());
    return wordsFirst(index, query, page.offset, run, (r) => r.hits.length);
  }

  async function fused(query: ParsedQuery, page: PageRequest, h: HybridOptions): Promise<SearchResult> {
    const n = Math.max(CANDIDATES, page.offset + page.limit + 1);
    const text = query.groups.map((g) => g.join(' ')).join(' ');
    // Candidates by words: ids and scores only; highlights are made for the page alone.
    const w = await wordsFirst(index, query, 0, (q, mode) => index.rank(q, mode, n), (r) => r.length);
    const { mode, missing } = w;
    const byWords = new Set(w.found.map((x) => x.id));
    // The word matches' own cosines too: a paper missing from one list is not thereby unrelated.
    const { hits: near, scores: cosines } = await h.semantic.search(text, n, query.filters, [...byWords]);
    const nearIds = new Set(near.map((x) => x.id));
    let meaningOnly = near.filter((x) => !byWords.has(x.id));
    if (query.excluded.length > 0) {
      const excluded = await store.papers.matchingAmong(meaningOnly.map((x) => x.id), query.excluded);
      meaningOnly = meaningOnly.filter((x) => !excluded.has(x.id));
    }
    const semantic = [...meaningOnly, ...[...cosines].map(([id, score]) => ({ id, score }))].sort((a, b) => b.score - a.score);
    // A paper found by meaning that has some of the words is scored on them, beside the papers having
    // them all, instead of counting as no word match (title -> abstract hybrid MRR@10 0.9070 -> 0.9086
    // at the weight validation picks, 0.9076 -> 0.9099 at the default; README).
    const byScore =
      w.found.length > 0 && meaningOnly.length > 0
        ? await store.papers.scoreWords(w.query.groups, w.found, meaningOnly.map((x) => x.id))
        : w.found;
    const ranked = fuse(byScore, semantic, h.weight, h.fusion);
    const slice = ranked.slice(page.offset, page.offset + page.limit);
    const ids = slice.map((x) => x.id);
    // A paper found by meaning may still have some of the words: they are marked too ("any" mode).
    const meaningIds = ids.filter((id) => !byWords.has(id));
    const [papers, marked, partly] = await Promise.all([
      store.papers.byIds(ids),
      store.papers.highlights(ids.filter((id) => byWords.has(id)), fullText(w.query, mode)),
      meaningIds.length > 0 && query.groups.length > 0 ? store.papers.highlights(meaningIds, fullText(query, 'any')) : new Map<string, never>(),
    ]);
    const byId = new Map(papers.map((p) => [p.id, p]));
    const why = await h.semantic.explain(text, papers.filter((p) => !byWords.has(p.id)), 4);
    const mark = marker(query);
    const hits = slice.flatMap((x): Hit[] => {
      const paper = byId.get(x.id);
      if (!paper) return [];
      const m = marked.get(x.id);
      if (byWords.has(x.id)) {
        const marked = wordHit({ paper, score: x.score, titleHighlighted: m?.titleHighlighted ?? paper.title, snippet: m?.snippet ?? opening(paper.abstract) }, mark);
        return [{ ...marked, meaning: x.semantic, near: nearIds.has(x.id) }];
      }
      const some = partly.get(x.id);
      const shown = some ? wordHit({ paper, score: x.score, ...some }, mark) : { titleHighlighted: paper.title, snippet: opening(paper.abstract) };
      return [{ paper, score: x.score, titleHighlighted: shown.titleHighlighted, snippet: shown.snippet, words: false, meaning: x.semantic, near: true, why: why.get(x.id) ?? [] }];
    });
    const meaning = w.found.length === 0 && hits.length > 0;
    return {
      query,
      hits,
      hasMore: ranked.length > page.offset + page.limit,
      mode: meaning ? 'meaning' : mode,
      missing: meaning ? [] : missing,
      hybrid: true,
      suggestion: await suggestion(query, missing),
    };
  }

  /** Related papers' ids: the paper's distinctive words, fused with its nearest vectors when there are any. */
  async function similarIds(paper: Paper, limit: number): Promise<string[]> {
    const key = `${paper.id}\u0000${paper.title}\u0000${limit}`;
    const cached = similarCache.get(key);
    if (cached) return cached;
    const terms = distinctiveTerms(await store.papers.termFrequencies(paper.title), await totalPapers());
    const lexical = await store.papers.matchingAny(terms, limit, paper.id);
    let found = lexical.map((p) => p.id);
    if (hybrid && hybrid.similarWeight > 0) {
      const near = await hybrid.semantic.neighbours(paper.id, limit);
      found = fuse(lexical, near, hybrid.similarWeight, 'score').slice(0, limit).map((x) => x.id);
    }
    if (similarCache.size >= SIMILAR_CACHE_SIZE) similarCache.delete(similarCache.keys().next().value!);
    similarCache.set(key, found);
    return found;
  }

  return {
    semantic: hybrid?.semantic,

    async papers(text, page, opts) {
      const asked = await find(text, page);
      if (!opts?.correct || asked.hits.length > 0 || !asked.suggestion) return asked;
      const corrected = await find(asked.suggestion, page);
      return corrected.hits.length > 0 ? { ...corrected, correctedFrom: asked.query.text } : asked;
    },

    async complete(text) {
      const typed = wordBeingTyped(text);
      const words = typed ? knownWords() : undefined;
      if (!typed || !words) return undefined;
      const word = typed.toLowerCase();
      const found = completions(words, word, MAX_COMPLETIONS);
      // Only words more frequent than the word as typed: "graph" is complete, not "graphs".
      const own = found.indexOf(word);
      const longer = await firstPapersHave(own < 0 ? found : found.slice(0, own));
      return longer === undefined ? undefined : text.slice(0, text.length - typed.length) + longer;
    },

    async similar(paper, limit) {
      return store.papers.byIds(await similarIds(paper, limit));
    },

    similarIds,
  };

  /** One search, as asked (papers() may search a correction after it). */
  async function find(text: string, page: PageRequest): Promise<SearchResult> {
    const query = parseQuery(text);
    const { filters } = query;
    if (query.groups.length === 0) {
      if (!hasFilters(filters)) return { query, hits: [], hasMore: false, mode: 'empty', missing: [], hybrid: false, suggestion: undefined };
      const l = await store.papers.listFiltered(filters, query.sort === 'trending' ? 'trending' : 'newest', page, nowMs());
      const hits = l.papers.map((paper) => ({ paper, score: 0, titleHighlighted: paper.title, snippet: '', words: false, meaning: undefined, near: false, why: [] }));
      return { query, hits, hasMore: l.hasMore, mode: 'filters', missing: [], hybrid: false, suggestion: undefined };
    }
    // Meaning ranks by relevance; a requested date or trending order lists the word matches in that order.
    if (hybrid && hybrid.weight > 0 && (query.sort ?? 'relevance') === 'relevance') return fused(query, page, hybrid);
    const w = await lexical(query, page);
    const mark = marker(w.query);
    const hits = w.found.hits.map((h) => wordHit(h, mark));
    return { query, hits, hasMore: w.found.hasMore, mode: w.mode, missing: w.missing, hybrid: false, suggestion: await suggestion(query, w.missing) };
  }
}
