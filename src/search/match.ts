// Does a paper match a query of the search language? The in-memory twin of search, for what must
// be decided paper by paper without the index: digests narrowed by a saved filter, webhooks on new
// papers. Every word or phrase must occur (in title, abstract or author names), no excluded one
// may, and every filter must hold. Words compare after a light stemming (plural and -ing/-ed
// endings), close to what the index's Porter stemmer does for typical queries; "pretrained" matches
// "pre-trained" as it does in the index (domain/compounds.ts). Pure.
import { eachCompound, joined, joinedCompounds } from '../domain/compounds.ts';
import { nameKey, type Paper } from '../domain/paper.ts';
import { type ParsedQuery, words } from './query.ts';

/** A light stem: enough that "transformers" finds "transformer" and "planning" finds "plan"-ish forms alike. */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ing') && w.length > 5) return w.slice(0, -3);
  if (w.endsWith('ed') && w.length > 4) return w.slice(0, -2);
  if (w.endsWith('es') && /(x|ch|sh|ss)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/**
 * A paper's stemmed words, computed once per paper object: a digest run matches the same few hundred
 * candidate papers against thousands of filters (tokenising them each time was 40% of its CPU).
 */
const tokenCache = new WeakMap<Paper, string[]>();
function paperTokens(p: Paper): string[] {
  let t = tokenCache.get(p);
  if (!t) {
    // The joined forms of hyphenated words go last, as the index keeps them in a column of their own.
    t = words(`${p.title} ${p.abstract} ${p.authors.join(' ')} ${joinedCompounds(p.title, p.abstract)}`).map(stem);
    tokenCache.set(p, t);
  }
  return t;
}

/** Whether the stemmed phrase occurs, in order, in the stemmed tokens. */
function contains(tokens: string[], phrase: string[]): boolean {
  if (phrase.length === 1) return tokens.includes(phrase[0]!);
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** A matcher for one query, reusable across many papers (the query is stemmed once). */
export function paperMatcher(q: ParsedQuery): (p: Paper) => boolean {
  const groups = q.groups.map((g) => g.map(stem));
  const excluded = q.excluded.map((g) => g.map(stem));
  const f = q.filters;
  const authors = f.authors.map(nameKey);
  return (p) => {
    if (f.since && p.featuredDate < f.since) return false;
    if (f.until && p.featuredDate > f.until) return false;
    if (f.categories.length && !p.categories.some((c) => f.categories.includes(c))) return false;
    if (f.excludedCategories.length && p.categories.some((c) => f.excludedCategories.includes(c))) return false;
    const org = p.organization?.name.toLowerCase();
    if (f.orgs.length && (!org || !f.orgs.includes(org))) return false;
    if (org && f.excludedOrgs.includes(org)) return false;
    if (authors.length) {
      const keys = new Set(p.authors.map(nameKey));
      if (!authors.every((a) => keys.has(a))) return false;
    }
    if (groups.length === 0 && excluded.length === 0) return true;
    const tokens = paperTokens(p);
    return groups.every((g) => contains(tokens, g)) && !excluded.some((g) => contains(tokens, g));
  };
}

export type CompoundMarker = {
  /** Wraps the hyphenated spellings of the query's words in the marks. */
  mark(text: string): string;
  /**
   * About `chars` characters of `text` around the first such spelling, cut at spaces ('…' where cut)
   * and marked; undefined when the text has none. For a paper found only through a joined form, whose
   * engine snippet shows the abstract's opening without it.
   */
  around(text: string, chars: number): string | undefined;
};

/**
 * Finds each hyphenated word of a text whose joined form is one of the query's words: the index found
 * the paper through that form ("pretrained" for "pre-trained"), which the engine's own highlighting
 * cannot show. Words already marked are left as they are (the marks are not letters, so they end a
 * compound).
 */
export function compoundMarker(q: ParsedQuery, start: string, end: string): CompoundMarker {
  const wanted = new Set(q.groups.filter((g) => g.length === 1).map((g) => stem(g[0]!)));
  const each = (text: string, fn: (s: number, e: number) => void) =>
    eachCompound(text, (s, e) => {
      if (wanted.has(stem(joined(text.slice(s, e)).toLowerCase()))) fn(s, e);
    });
  const mark = (text: string): string => {
    if (wanted.size === 0) return text;
    let out = '';
    let at = 0;
    each(text, (s, e) => {
      out += `${text.slice(at, s)}${start}${text.slice(s, e)}${end}`;
      at = e;
    });
    return out + text.slice(at);
  };
  return {
    mark,
    around(text, chars) {
      let first: number | undefined;
      if (wanted.size > 0) each(text, (s) => (first ??= s));
      if (first === undefined) return undefined;
      // A quarter of the window before the word, the rest after; both ends moved to a space.
      const from = first < chars / 4 ? 0 : text.indexOf(' ', first - Math.floor(chars / 4)) + 1;
      const stop = from + chars >= text.length ? text.length : text.lastIndexOf(' ', from + chars);
      const to = stop > first ? stop : text.length;
      return `${from > 0 ? '…' : ''}${mark(text.slice(from, to))}${to < text.length ? '…' : ''}`;
    },
  };
}
