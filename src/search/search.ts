// Search over the store: lexical for now (BM25 through the engine's full-text index). Owns the
// fallback from "all words" to "any word" and the related-papers lookup and its cache.
import type { Paper } from '../domain/paper.ts';
import type { PageRequest, SearchHit } from '../store/papers.ts';
import type { Store } from '../store/store.ts';
import { hasFilters, type ParsedQuery, parseQuery } from './query.ts';
import { distinctiveTerms } from './similar.ts';

export type SearchResult = {
  query: ParsedQuery;
  hits: SearchHit[];
  hasMore: boolean;
  /**
   * all = every word matched; any = no paper had every word, so papers with any of them are shown;
   * filters = no words, papers passing the filters; empty = nothing to search for.
   */
  mode: 'all' | 'any' | 'filters' | 'empty';
};

export type Search = {
  papers(text: string, page: PageRequest): Promise<SearchResult>;
  similar(paper: Paper, limit: number): Promise<Paper[]>;
};

/** Related-paper lists kept in memory (ids only): recomputing costs a full-text query per paper view. */
const SIMILAR_CACHE_SIZE = 5000;
/** The corpus size used to judge which words are rare is re-read at most this often. */
const COUNT_TTL_MS = 300_000;

export function createSearch(store: Store, nowMs: () => number = Date.now): Search {
  const similarCache = new Map<string, string[]>();
  let total = { n: 0, at: Number.NEGATIVE_INFINITY };
  const totalPapers = async () => {
    if (Date.now() - total.at > COUNT_TTL_MS) total = { n: await store.papers.count(), at: Date.now() };
    return total.n;
  };

  return {
    async papers(text, page) {
      const query = parseQuery(text);
      const { filters } = query;
      if (query.groups.length === 0) {
        if (!hasFilters(filters)) return { query, hits: [], hasMore: false, mode: 'empty' };
        const l = await store.papers.listFiltered(filters, query.sort === 'trending' ? 'trending' : 'newest', page, nowMs());
        const hits = l.papers.map((paper) => ({ paper, score: 0, titleHighlighted: paper.title, snippet: '' }));
        return { query, hits, hasMore: l.hasMore, mode: 'filters' };
      }
      const order = query.sort ?? 'relevance';
      const run = (mode: 'all' | 'any', p: PageRequest) =>
        store.papers.search({ required: query.groups, excluded: query.excluded, mode }, filters, order, p, nowMs());
      const all = await run('all', page);
      if (all.hits.length > 0 || query.groups.length === 1) return { query, ...all, mode: 'all' };
      if (page.offset > 0 && (await run('all', { limit: 1, offset: 0 })).hits.length > 0) return { query, ...all, mode: 'all' };
      return { query, ...(await run('any', page)), mode: 'any' };
    },

    async similar(paper, limit) {
      const key = `${paper.id}\u0000${paper.title}\u0000${limit}`;
      const cached = similarCache.get(key);
      if (cached) return store.papers.byIds(cached);
      const terms = distinctiveTerms(await store.papers.termFrequencies(paper.title), await totalPapers());
      const found = await store.papers.matchingAny(terms, limit, paper.id);
      if (similarCache.size >= SIMILAR_CACHE_SIZE) similarCache.delete(similarCache.keys().next().value!);
      similarCache.set(key, found.map((p) => p.id));
      return found;
    },
  };
}
