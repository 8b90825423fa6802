// The search page: the query box, tips when there is nothing to search for, highlighted results.
import { addDays, formatDay } from '../../domain/period.ts';
import { type QuerySort, withSince, withSort } from '../../search/query.ts';
import type { Hit, SearchResult } from '../../search/search.ts';
import { HIT_END, HIT_START } from '../../domain/highlight.ts';
import { markedMathText, mathText } from '../present/math.ts';
import { authorPath, orgPath, paperPath } from '../present/paper.ts';
import type { Organization } from '../../domain/paper.ts';
import { paperCard, pager, tabs } from './cards.ts';
import { type Html, html } from './html.ts';
import { feedHead, feedLinks } from './feed-links.ts';
import { layout, type Viewer } from './layout.ts';

/** Engine text as HTML: its hit markers become <mark>, its math is rendered. */
export const highlighted = (s: string): Html => markedMathText(s, HIT_START, HIT_END);

/** The search page of a query. */
const searchHref = (q: string) => `/search?q=${encodeURIComponent(q)}`;
const example = (q: string) => html`<a href="${searchHref(q)}"><code>${q}</code></a>`;
const TIPS = html`<div class="tips">
  <h2>Search tips</h2>
  <ul>
    <li>A few words: ${example('diffusion transformer')}. Papers with every word come first; words in the title count most.</li>
    <li>A phrase in double quotes: ${example('"trust region"')}; leave words out with a minus: ${example('llm -survey')}.</li>
    <li>Filters: ${example('author:"Kaiming He"')}, ${example('cat:cs.CV')}, ${example('org:google')}, ${example('year:2026')},
      ${example('since:2026-06-01 until:2026-06-30')}; they combine with words: ${example('cat:cs.CL reasoning')}.</li>
    <li>Order: ${example('sort:date agents')} (newest first), ${example('sort:trending agents')}; relevance is the default.</li>
  </ul>
</div>`;

/** What the engine understood, so a reader can see why these results. */
function understood(r: SearchResult): Html {
  const f = r.query.filters;
  const parts: Html[] = [];
  if (r.query.groups.length) parts.push(html`words ${r.query.groups.map((g, i) => html`${i ? ', ' : ''}<q>${g.join(' ')}</q>`)}`);
  if (r.query.excluded.length) parts.push(html`without ${r.query.excluded.map((g, i) => html`${i ? ', ' : ''}<q>${g.join(' ')}</q>`)}`);
  if (f.authors.length) parts.push(html`by ${f.authors.join(' and ')}`);
  if (f.categories.length) parts.push(html`in ${f.categories.join(' or ')}`);
  if (f.orgs.length) parts.push(html`from ${f.orgs.join(' or ')}`);
  if (f.since || f.until) parts.push(html`featured ${[f.since && `from ${formatDay(f.since)}`, f.until && `to ${formatDay(f.until)}`].filter(Boolean).join(' ')}`);
  if (r.query.sort === 'date') parts.push(html`newest first`);
  if (r.query.sort === 'trending') parts.push(html`by trending score`);
  return parts.length ? html`<p class="summary">Searching ${parts.map((p, i) => html`${i ? ' · ' : ''}${p}`)}.</p>` : html``;
}

/**
 * The same search in each order it can take: by relevance (the default), newest first or by trending
 * score; a search by filters alone lists newest first or by trending score.
 */
function orders(q: string, r: SearchResult): Html {
  const byWords = r.mode !== 'filters';
  const current: QuerySort = byWords ? (r.query.sort ?? 'relevance') : r.query.sort === 'trending' ? 'trending' : 'date';
  const choices: [QuerySort, string][] = [...(byWords ? [['relevance', 'Relevance'] as [QuerySort, string]] : []), ['date', 'Newest'], ['trending', 'Trending']];
  // A search by filters alone lists newest first unless told otherwise: its Newest drops the sort.
  const href = (sort: QuerySort) => searchHref(withSort(q, byWords || sort !== 'date' ? sort : 'relevance'));
  return tabs(
    'Order',
    choices.map(([sort, text]) => ({ href: href(sort), text, current: sort === current })),
  );
}

/** Spans of featured days a search can be narrowed to, counted back from the newest featured day. */
const SPANS: [string, number | undefined][] = [
  ['Any time', undefined],
  ['Past week', 7],
  ['Past month', 30],
  ['Past year', 365],
];

/**
 * The same search over each span of featured days up to `newest` (the newest featured day, as
 * /trending counts from it); the span the query asks for is marked, none when it names its own dates.
 */
function spans(q: string, r: SearchResult, newest: string): Html {
  const { since, until } = r.query.filters;
  return tabs(
    'Featured',
    SPANS.map(([text, days]) => {
      const from = days === undefined ? undefined : addDays(newest, 1 - days);
      return { href: searchHref(withSince(q, from)), text, current: until === undefined && since === from };
    }),
  );
}

/** Why a result is here, in hybrid search: its words, its meaning, or both. */
function matchNote(h: Hit): Html {
  const cos = h.meaning === undefined ? '' : ` (similarity ${h.meaning.toFixed(2)})`;
  // "And meaning" only for a paper among the nearest in meaning: every word match has a cosine, most of them low.
  if (h.words) return html`<p class="why">Matched your words${h.near ? html` and meaning${cos}` : ''}.</p>`;
  return html`<p class="why">Close in meaning${cos}${h.why.length ? html`: ${h.why.map((w, i) => html`${i ? ', ' : ''}<q>${w}</q>`)}` : ''}.</p>`;
}

const quoted = (groups: string[][]) => html`${groups.map((g, i) => html`${i ? (i === groups.length - 1 ? ' or ' : ', ') : ''}<q>${g.join(' ')}</q>`)}`;

/** When not every word matched: which words no paper has, and what is shown instead. */
function wordsNotice(r: SearchResult): Html | '' {
  const meaning = r.hybrid ? ' and papers close in meaning' : '';
  if (r.mode === 'all' && r.missing.length > 0) {
    return html`<p class="notice">No paper has ${quoted(r.missing)}, so ${r.missing.length > 1 ? 'they were' : 'it was'} left out: showing papers with every other word${meaning}.</p>`;
  }
  if (r.mode !== 'any') return '';
  const none = r.missing.length > 0 ? html` (none has ${quoted(r.missing)})` : '';
  return html`<p class="notice">No paper has all of these words${none}; showing papers with any of them${meaning}.</p>`;
}

/** "Did you mean": the query with its words no paper has spelled as words papers have. */
const suggested = (r: SearchResult) =>
  r.suggestion ? html`<p class="notice suggestion">Did you mean <a href="${searchHref(r.suggestion)}">${r.suggestion}</a>?</p>` : '';

const truncated = (r: SearchResult) =>
  r.query.truncated ? html`<p class="notice">Your query was long; only its first words were used.</p>` : '';

/** Nothing matched the query as typed: the results are its suggestion's. */
const correctedNotice = (r: SearchResult) =>
  r.correctedFrom === undefined
    ? ''
    : html`<p class="notice suggestion">No paper matches “${r.correctedFrom.slice(0, 200)}”: showing results for <q>${r.query.text}</q>.</p>`;

/** The author (with their number of papers here) or organization that a query names. */
export type NamedInQuery = { author?: { name: string; papers: number }; org?: Organization };

/** Links to the pages of the author or organization the query names. */
function namedLinks(n: NamedInQuery): Html | '' {
  const parts: Html[] = [];
  if (n.author) parts.push(html`Author: <a href="${authorPath(n.author.name)}">${n.author.name}</a>, ${n.author.papers} paper${n.author.papers === 1 ? '' : 's'}`);
  if (n.org) parts.push(html`Organization: <a href="${orgPath(n.org.name)}">${n.org.fullname}</a>`);
  return parts.length ? html`<p class="named">${parts.map((p, i) => html`${i ? ' · ' : ''}${p}`)}</p>` : '';
}

/**
 * `typed`: the query as typed; a corrected search shows, pages and subscribes to the correction.
 * `named`: the author or organization the query names, linked above its papers.
 */
export function searchPage(o: {
  siteName: string;
  typed: string;
  result: SearchResult | undefined;
  page: number;
  viewer?: Viewer;
  named?: NamedInQuery;
  /** The newest featured day, which the spans of days count back from; none: no spans offered. */
  newestDay?: string;
}): Html {
  const { siteName, typed, result: r, page, viewer, named = {}, newestDay } = o;
  const q = r?.correctedFrom === undefined ? typed : r.query.text;
  let results: Html;
  if (!r || r.mode === 'empty') {
    const why = r?.query.excluded.length ? 'it only says what to leave out' : 'it has no words or numbers';
    results = html`${q.trim() ? html`<p class="notice">Nothing to search for in “${q.slice(0, 200)}”: ${why}.</p>` : ''}${TIPS}`;
  } else if (r.hits.length === 0) {
    // Dates that left nothing: the spans of days, "Any time" among them, to widen the search.
    const widen = newestDay && (r.query.filters.since || r.query.filters.until) ? html`<div class="results-head">${spans(q, r, newestDay)}</div>` : '';
    results = html`${suggested(r)}${truncated(r)}${understood(r)}<p class="notice">No papers match “${r.query.text.slice(0, 200)}”${page > 0 ? ' on this page' : ''}.</p>${widen}${TIPS}`;
  } else {
    results = html`
${correctedNotice(r)}
${suggested(r)}
${wordsNotice(r)}
${r.mode === 'meaning' ? html`<p class="notice">No paper has these words; showing papers close in meaning.</p>` : ''}
${truncated(r)}
${namedLinks(named)}
<div class="results-head">${understood(r)}<div class="switches">${newestDay ? spans(q, r, newestDay) : ''}${orders(q, r)}</div></div>
<ol class="cards">${r.hits.map((h) =>
      r.mode === 'filters'
        ? paperCard(h.paper, { viewer })
        : paperCard(h.paper, { titleHtml: highlighted(h.titleHighlighted), excerpt: highlighted(h.snippet), note: r.hybrid ? matchNote(h) : undefined, viewer }),
    )}</ol>
${pager(page, r.hasMore, (p) => `${searchHref(q)}&p=${p}`)}
${feedLinks('search', { q }, html`<a href="/subscribe?query=${encodeURIComponent(q)}">by email</a>`)}`;
  }
  const body = html`
<div class="page-head"><h1>Search${q.trim() ? html`: <q>${q.slice(0, 120)}</q>` : ''}</h1></div>
<form class="search-big" role="search" action="/search" method="get">
  <label for="q">Search papers by title, abstract or author</label>
  <div><input id="q" type="search" name="q" value="${q}" maxlength="1000" aria-keyshortcuts="/"><button type="submit">Search</button></div>
</form>
${results}`;
  const head = q.trim() ? feedHead(`Search: ${q.slice(0, 60)}`, 'search', { q }) : undefined;
  return layout({ title: q.trim() ? `Search: ${q.slice(0, 60)}` : 'Search', siteName, nav: 'search', query: q, head, body, viewer });
}

/**
 * Results as you type (static/app.js): the options of the search box's listbox. First the author and
 * the organization the text names (`named`); then the search for the text with its last word completed
 * (`completed`, which the papers below are for), else a "did you mean" (the papers below being its own
 * when nothing matched as typed); then the best matching papers, their titles' math as MathML
 * (it needs no stylesheet, and some pages load none).
 */
export function suggestionOptions(r: SearchResult | undefined, completed: string | undefined, named: NamedInQuery = {}): Html {
  const option = (href: string, text: Html | string, cls = '') =>
    html`<li role="option" aria-selected="false"${cls ? html` class="${cls}"` : ''}><a href="${href}" tabindex="-1">${text}</a></li>`;
  // A spelling papers use: the results below are already its own when nothing matched as typed.
  const meant = r?.correctedFrom !== undefined ? r.query.text : r?.suggestion;
  const first = completed
    ? option(searchHref(completed), html`Search <q>${completed}</q>`, 'completion')
    : meant
      ? option(searchHref(meant), `Did you mean: ${meant}`, 'did-you-mean')
      : '';
  const author = named.author ? option(authorPath(named.author.name), html`Author: ${named.author.name}`, 'named') : '';
  const org = named.org ? option(orgPath(named.org.name), html`Organization: ${named.org.fullname}`, 'named') : '';
  return html`${author}${org}${first}${(r?.hits ?? []).map((h) => option(paperPath(h.paper.id), mathText(h.paper.title, false, 'mathml')))}`;
}
