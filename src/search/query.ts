// The search language, shared by the search page, /api/papers/search and (later) saved filters:
//   free words            diffusion transformer        every word must match (then any, as a fallback)
//   "exact phrase"        "trust region"
//   -word  -"phrase"      exclude
//   author:"Name"         author:Hinton                 papers by that author (case and accents ignored)
//   cat:cs.LG             category; several cat: match any of them; -cat:cs.CV leaves a category out
//   org:google            organization; -org:x leaves one out
//   year:2025  since:2025-01-01  until:2025-06-30       featured day range
//   sort:trending|date|relevance
// Unknown or malformed syntax degrades to plain words and never errors; nothing the user types can
// become an engine operator. Pure.
import { nameKey, type PaperFilters } from '../domain/paper.ts';
import { parseDay } from '../domain/period.ts';

export type QuerySort = 'relevance' | 'date' | 'trending';

export type QueryFilters = PaperFilters;

export type ParsedQuery = {
  /** What the user typed, trimmed and capped. */
  text: string;
  /** Each group is one word or one phrase (several words in order); all must match. */
  groups: string[][];
  /** Words and phrases that must not match. */
  excluded: string[][];
  filters: QueryFilters;
  sort: QuerySort | undefined;
  /** Words dropped because the query was longer than MAX_TERMS. */
  truncated: boolean;
};

/** Input beyond this many characters is ignored (a pasted abstract is still a fine query). */
export const MAX_QUERY_CHARS = 1000;
/** Words beyond this many are ignored: each adds work to every candidate document. */
export const MAX_TERMS = 24;

export const STOP_WORDS = new Set(
  `a an and are as at be but by for from has have in into is it its of on or that the their then there these
  this those to was were which while will with we our not no can do does how what when where who why all any
  both each more most other some such than too very via using based towards toward`.split(/\s+/),
);

const WORD = /[\p{L}\p{N}]+/gu;
export const words = (s: string): string[] => s.normalize('NFKC').toLowerCase().match(WORD) ?? [];

/** One token of the input: [-][key:]("quoted" | bare). */
const TOKEN = /(-)?(?:([a-z]+):)?(?:"([^"]*)"?|(\S+))/giy;
const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;

export const hasFilters = (f: QueryFilters): boolean =>
  f.authors.length + f.categories.length + f.orgs.length + f.excludedCategories.length + f.excludedOrgs.length > 0 || f.since !== undefined || f.until !== undefined;

type Token = { raw: string; negate: boolean; key: string | undefined; quoted: boolean; value: string };

/** The input's tokens in order, as the parser reads them. */
function* tokens(text: string): Generator<Token> {
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(text);
    if (!m || m[0].length === 0) {
      i++;
      continue;
    }
    i = TOKEN.lastIndex;
    yield { raw: m[0], negate: m[1] === '-', key: m[2]?.toLowerCase(), quoted: m[3] !== undefined, value: (m[3] ?? m[4] ?? '').trim() };
  }
}

const SORTS: readonly QuerySort[] = ['relevance', 'date', 'trending'];
/** The order a `sort:` token asks for, if it is one. */
const sortOf = (key: string | undefined, negate: boolean, value: string): QuerySort | undefined =>
  key === 'sort' && !negate ? SORTS.find((s) => s === value.toLowerCase()) : undefined;

/**
 * The query as typed with the tokens `drop` picks left out and `add` put at its end; everything else
 * kept as written.
 */
function rewritten(input: string, drop: (t: Token) => boolean, add: string | undefined): string {
  const kept = [...tokens(input.slice(0, MAX_QUERY_CHARS).trim())]
    .filter((t) => !drop(t))
    // An unclosed quote runs to the end of the text: closed, so that it does not swallow what is added.
    .map((t) => (t.quoted && !t.raw.slice(t.raw.indexOf('"') + 1).endsWith('"') ? `${t.raw}"` : t.raw));
  if (add) kept.push(add);
  return kept.join(' ');
}

/**
 * The query ordered another way: its `sort:` tokens replaced by one for `sort` (none for relevance,
 * the default): "agents sort:date" -> "agents sort:trending".
 */
export const withSort = (input: string, sort: QuerySort): string =>
  rewritten(input, (t) => sortOf(t.key, t.negate, t.value) !== undefined, sort === 'relevance' ? undefined : `sort:${sort}`);

/** A `since:`, `until:` or `year:` token the parser reads as a date filter (a malformed one is words). */
const isDateFilter = (t: Token): boolean =>
  !t.negate && ((t.key === 'year' && /^\d{4}$/.test(t.value)) || ((t.key === 'since' || t.key === 'until') && parseDay(t.value).ok));

/**
 * The query over another span of featured days: its date filters (`since:`, `until:`, `year:`)
 * replaced by `since:` the given day (none: any time): "agents year:2025" -> "agents since:2026-06-01".
 */
export const withSince = (input: string, since: string | undefined): string => rewritten(input, isDateFilter, since && `since:${since}`);

export function parseQuery(input: string): ParsedQuery {
  const text = input.slice(0, MAX_QUERY_CHARS).trim();
  const groups: string[][] = [];
  const excluded: string[][] = [];
  const filters: QueryFilters = { authors: [], categories: [], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined };
  let sort: QuerySort | undefined;

  const plain = (raw: string, phrase: boolean, negate: boolean) => {
    const ws = words(raw);
    if (ws.length === 0) return;
    const into = negate ? excluded : groups;
    if (phrase) into.push(ws);
    else for (const w of ws) into.push([w]);
  };

  for (const { negate, key, quoted, value } of tokens(text)) {
    if (key && !negate && value && applyFilter(key, value, filters)) continue;
    if (negate && key === 'cat' && CATEGORY.test(value)) {
      filters.excludedCategories.push(value);
      continue;
    }
    if (negate && key === 'org' && value) {
      filters.excludedOrgs.push(value.toLowerCase());
      continue;
    }
    const asSort = sortOf(key, negate, value);
    if (asSort) {
      sort = asSort;
      continue;
    }
    // -author:"X Y" excludes the name like any phrase (authors are indexed); any other unknown or
    // malformed key:value is plain words.
    if (key && negate) plain(value, quoted, true);
    else plain(key ? `${key} ${value}` : value, quoted && !key, negate);
  }

  const meaningful = groups.filter((g) => g.length > 1 || !STOP_WORDS.has(g[0]!));
  const kept = meaningful.length > 0 ? meaningful : groups;
  const unique = [...new Map(kept.map((g) => [g.join(' '), g])).values()];
  return {
    text,
    groups: unique.slice(0, MAX_TERMS),
    excluded: excluded.slice(0, MAX_TERMS),
    filters,
    sort,
    truncated: unique.length > MAX_TERMS,
  };
}

function applyFilter(key: string, value: string, f: QueryFilters): boolean {
  switch (key) {
    case 'author':
      f.authors.push(value);
      return true;
    case 'cat':
      if (!CATEGORY.test(value)) return false;
      f.categories.push(value);
      return true;
    case 'org':
      f.orgs.push(value.toLowerCase());
      return true;
    case 'year': {
      if (!/^\d{4}$/.test(value)) return false;
      f.since = `${value}-01-01`;
      f.until = `${value}-12-31`;
      return true;
    }
    case 'since':
    case 'until':
      if (!parseDay(value).ok) return false;
      f[key] = value;
      return true;
    default:
      return false;
  }
}

/** Words a query may have and still be read as a person's or an organization's name. */
const MAX_NAME_WORDS = 5;

/**
 * The query read as a name ("Kaiming He", "google"), folded as names are keyed (nameKey): when it is
 * nothing but one to five words, with no filter, exclusion or order; else undefined.
 */
export function asName(q: ParsedQuery): string | undefined {
  if (hasFilters(q.filters) || q.excluded.length > 0 || q.sort !== undefined || q.groups.length === 0) return undefined;
  const key = nameKey(q.text);
  const n = key.split(' ').length;
  return key !== '' && n <= MAX_NAME_WORDS ? key : undefined;
}
