// Which papers a query's words find, in the site's order, over any full-text index (the store's, or
// an evaluation's own, so that it measures what the site does): every word; when no paper has them
// all, every word some paper has (the others, a typo or a name nobody wrote, are left out and
// reported); when that finds nothing either, any word. Owns that policy only: no SQL, no HTTP.
import type { Scored } from './fusion.ts';
import type { ParsedQuery } from './query.ts';

export type WordMode = 'all' | 'any';

export type WordIndex = {
  /** The best `limit` papers (BM25, higher = better) with every word (all) or any (any) of the query, passing its filters and exclusions. */
  rank(q: ParsedQuery, mode: WordMode, limit: number): Promise<Scored[]>;
  /** Whether any paper has the group's words in a row (a group: a word or a phrase). */
  hasWords(group: string[]): Promise<boolean>;
};

export type WordsFound<T> = {
  found: T;
  /** The query that found them: without its missing words when some were left out. */
  query: ParsedQuery;
  mode: WordMode;
  /** Words (or phrases) no paper has, when no paper had every word. */
  missing: string[][];
};

/**
 * Past the last page of "all" matches the page is empty, yet "all" still holds: whether some paper
 * has every word (asked only when a later page came back empty).
 */
const allPastLastPage = async (index: WordIndex, q: ParsedQuery, offset: number) => offset > 0 && (await index.rank(q, 'all', 1)).length > 0;

/**
 * Every word must match. When no paper has them all: the words no paper has at all are reported, and
 * (when there are several) left out, and every other word must match; when that finds nothing either,
 * any word. `run(q, mode)` searches for a query (a page at `offset`) and `size` counts what it found.
 */
export async function wordsFirst<T>(
  index: WordIndex,
  query: ParsedQuery,
  offset: number,
  run: (q: ParsedQuery, mode: WordMode) => Promise<T>,
  size: (found: T) => number,
): Promise<WordsFound<T>> {
  const all = await run(query, 'all');
  if (size(all) > 0 || (await allPastLastPage(index, query, offset))) return { found: all, query, mode: 'all', missing: [] };
  const has = await Promise.all(query.groups.map((g) => index.hasWords(g)));
  const missing = query.groups.filter((_, i) => !has[i]);
  if (query.groups.length === 1) return { found: all, query, mode: 'all', missing };
  const rest = { ...query, groups: query.groups.filter((_, i) => has[i]) };
  if (missing.length > 0 && rest.groups.length > 0) {
    const found = await run(rest, 'all');
    if (size(found) > 0 || (await allPastLastPage(index, rest, offset))) return { found, query: rest, mode: 'all', missing };
  }
  return { found: await run(query, 'any'), query, mode: 'any', missing };
}
