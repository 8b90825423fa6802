// The search page: the query box, tips when there is nothing to search for, highlighted results.
import type { SearchResult } from '../../search/search.ts';
import { HIT_END, HIT_START } from '../../store/dialect/dialect.ts';
import { paperCard, pager } from './cards.ts';
import { escapeHtml, type Html, html, trusted } from './html.ts';
import { layout } from './layout.ts';

/** Escapes engine text and turns its hit markers into <mark>. */
export function highlighted(s: string): Html {
  return trusted(escapeHtml(s).replaceAll(HIT_START, '<mark>').replaceAll(HIT_END, '</mark>'));
}

const TIPS = html`<div class="tips">
  <h2>Search tips</h2>
  <ul>
    <li>Type a few words: <a href="/search?q=diffusion+transformer">diffusion transformer</a>. Papers with every word come first, titles count most.</li>
    <li>Put a phrase in double quotes: <a href="/search?q=%22trust+region%22">"trust region"</a>.</li>
    <li>Author names work too: <a href="/search?q=Kaiming+He">Kaiming He</a>.</li>
  </ul>
</div>`;

const truncated = (r: SearchResult) =>
  r.query.truncated ? html`<p class="notice">Your query was long; only its first words were used.</p>` : '';

export function searchPage(siteName: string, q: string, r: SearchResult | undefined, page: number): Html {
  let results: Html;
  if (!r || r.mode === 'empty') {
    results = html`${q.trim() ? html`<p class="notice">Nothing to search for in “${q.slice(0, 200)}”: it has no words or numbers.</p>` : ''}${TIPS}`;
  } else if (r.hits.length === 0) {
    results = html`${truncated(r)}<p class="notice">No papers match “${r.query.text.slice(0, 200)}”${page > 0 ? ' on this page' : ''}.</p>${TIPS}`;
  } else {
    results = html`
${r.mode === 'any' ? html`<p class="notice">No paper has all of these words; showing papers with any of them.</p>` : ''}
${truncated(r)}
<ol class="cards">${r.hits.map((h) => paperCard(h.paper, { titleHtml: highlighted(h.titleHighlighted), excerpt: highlighted(h.snippet) }))}</ol>
${pager(page, r.hasMore, (p) => `/search?q=${encodeURIComponent(q)}&p=${p}`)}`;
  }
  const body = html`
<div class="page-head"><h1>Search${q.trim() ? html`: <q>${q.slice(0, 120)}</q>` : ''}</h1></div>
<form class="search-big" role="search" action="/search" method="get">
  <label for="q">Search papers by title, abstract or author</label>
  <div><input id="q" type="search" name="q" value="${q}" maxlength="1000"><button type="submit">Search</button></div>
</form>
${results}`;
  return layout({ title: q.trim() ? `Search: ${q.slice(0, 60)}` : 'Search', siteName, nav: 'search', query: q, body });
}
