// Which papers a query's words find, in the site's order, over any full-text index (the store's, or
// an evaluation's own): every word; when no paper has them all, every word some paper has (the
// others, a typo or a name nobody wrote, are left out and reported); when that finds nothing either,
// any word. For a fused ranking, the papers with every word are topped up with the best papers having
// some of them (`candidatesByWords`). Owns that policy only: no SQL, no HTTP.
import type { Scored } from './fusion.ts';
import type { ParsedQuery } from './query.ts';

export type WordMode = 'all' | 'any';

export type WordIndex = {
  /** The best `limit` papers (BM25, higher = better) with every word (all) or any (any) of the query, passing its filters and exclusions. */
  rank(q: ParsedQuery, mode: WordMode, limit: number): Promise<Scored[]>;
  /** Whether any paper has the group's words in a row (a group: a word or a phrase). */
  hasWords(group: string[]): Promise<boolean>;
  /** At most how many papers have each group (its rarest word's count). */
  counts(groups: string[][]): Promise<number[]>;
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
 * Every word must match. When no paper has them all (and there are several): the words no paper has
 * at all are left out and reported, and every other word must match; when that finds nothing either,
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
  if (size(all) > 0 || query.groups.length === 1 || (await allPastLastPage(index, query, offset))) return { found: all, query, mode: 'all', missing: [] };
  const has = await Promise.all(query.groups.map((g) => index.hasWords(g)));
  const missing = query.groups.filter((_, i) => !has[i]);
  const rest = { ...query, groups: query.groups.filter((_, i) => has[i]) };
  if (missing.length > 0 && rest.groups.length > 0) {
    const found = await run(rest, 'all');
    if (size(found) > 0 || (await allPastLastPage(index, rest, offset))) return { found, query: rest, mode: 'all', missing };
  }
  return { found: await run(query, 'any'), query, mode: 'any', missing };
}

/**
 * How many matches a top-up may rank: the query's rarest words are taken while together they are in
 * at most this many papers. Ranking "any" of a common word means scoring a good part of the corpus
 * (350 ms for "language" at a million papers, ~2 us a match), so the bound is on that cost, not on a
 * share of the corpus.
 */
export const TOP_UP_BUDGET = 10_000;

/** The query's groups that a top-up looks for: the rarest, within the budget, in query order. */
export function topUpGroups(groups: string[][], counts: number[], budget = TOP_UP_BUDGET): string[][] {
  const byRarity = counts.map((n, i) => ({ i, n })).sort((a, b) => a.n - b.n || a.i - b.i);
  const picked = new Set<number>();
  let matched = 0;
  for (const { i, n } of byRarity) {
    if (matched + n > budget) break;
    picked.add(i);
    matched += n;
  }
  return groups.filter((_, i) => picked.has(i));
}

export type Candidates = WordsFound<Scored[]> & {
  /** Papers with some of the words but not all (a top-up when fewer than asked had them all), best first. */
  some: Scored[];
};

/**
 * Up to `n` candidates by words for a fused ranking: the papers with every word (in the order of
 * `wordsFirst`) and, when fewer than `n` have them, the best papers having any of the query's rarer
 * words (`topUpGroups`), with their BM25 over those words. Papers missing a word still rank by the
 * words they have, as BM25 over any word would rank them, so that meaning can lift them.
 */
export async function candidatesByWords(index: WordIndex, query: ParsedQuery, n: number, budget = TOP_UP_BUDGET): Promise<Candidates> {
  const w = await wordsFirst(index, query, 0, (q, mode) => index.rank(q, mode, n), (r) => r.length);
  if (w.mode !== 'all' || w.found.length >= n || w.query.groups.length < 2) return { ...w, some: [] };
  const groups = topUpGroups(w.query.groups, await index.counts(w.query.groups), budget);
  if (groups.length === 0) return { ...w, some: [] };
  const have = new Set(w.found.map((x) => x.id));
  const some = (await index.rank({ ...w.query, groups }, 'any', n)).filter((x) => !have.has(x.id)).slice(0, n - w.found.length);
  return { ...w, some };
}
