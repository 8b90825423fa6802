// Author and organization listings, the organizations directory, about, and the error pages.
import type { Organization, Paper } from '../../domain/paper.ts';
import type { ListingOrder } from '../../store/papers.ts';
import { AGE_OFFSET_HOURS, GRAVITY, TRENDING_WINDOW_DAYS } from '../../domain/trending.ts';
import { orgPath } from '../present/paper.ts';
import { cardList, pager, tabs } from './cards.ts';
import { type Html, html } from './html.ts';
import { feedHead, feedLinks } from './feed-links.ts';
import { layout, type Viewer } from './layout.ts';

export type ListingModel = {
  siteName: string;
  kind: 'author' | 'organization';
  name: string;
  /** The name the feed of this listing is asked by (an author as written, an organization's short name). */
  feedName: string;
  papers: Paper[];
  page: number;
  hasMore: boolean;
  /** How many papers in all. */
  total: number;
  sort: ListingOrder;
  /** The URL of a page (0-based) in an order. */
  href: (sort: ListingOrder, page: number) => string;
  viewer?: Viewer | undefined;
  /** Extra content under the heading (an organization's members and actions). */
  extra?: Html;
};

export function listingPage(m: ListingModel): Html {
  const body = html`
<div class="page-head">
  <p class="eyebrow">${m.kind === 'author' ? 'Author' : html`<a href="/orgs">Organization</a>`}</p>
  <h1>${m.name}</h1>
  <p class="byline">${m.total} paper${m.total === 1 ? '' : 's'}, ${m.sort === 'newest' ? 'newest' : 'most upvoted'} first.</p>
</div>
${m.extra ?? ''}
${tabs(
  'Order',
  (['newest', 'upvoted'] as const).map((s) => ({ href: m.href(s, 0), text: s === 'newest' ? 'Newest' : 'Most upvoted', current: s === m.sort })),
  { cls: 'listing-order' },
)}
${cardList(m.papers, 'No papers here.', m.viewer)}
${pager(m.page, m.hasMore, (p) => m.href(m.sort, p))}
${feedLinks(m.kind === 'author' ? 'author' : 'org', { name: m.feedName })}`;
  const head = feedHead(m.name, m.kind === 'author' ? 'author' : 'org', { name: m.feedName });
  return layout({ title: m.name, siteName: m.siteName, nav: 'none', head, body, viewer: m.viewer });
}

/** /orgs: every organization with its number of papers, most papers first. */
export function orgDirectoryPage(siteName: string, orgs: (Organization & { papers: number })[], viewer?: Viewer): Html {
  const body = html`
<div class="page-head">
  <h1>Organizations</h1>
  <p class="byline">Labs, companies and universities on ${siteName}, most papers first.</p>
</div>
${
  orgs.length
    ? html`<table class="table"><thead><tr><th>Organization</th><th>Papers</th></tr></thead><tbody>${orgs.map(
        (o) => html`<tr><td><a href="${orgPath(o.name)}">${o.fullname}</a> <span class="hint">${o.name}</span></td><td>${o.papers}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="empty">No organizations yet.</p>`
}
<p><a href="/orgs/new">Start an organization</a> to tag its papers and gather its members.</p>`;
  return layout({ title: 'Organizations', siteName, nav: 'none', body, viewer });
}

export function aboutPage(siteName: string, viewer?: Viewer): Html {
  return layout({
    viewer,
    title: 'How trending works',
    siteName,
    nav: 'none',
    body: html`<div class="page-head"><h1>How ${siteName} works</h1></div>
<div class="prose">
  <h2 id="trending">Trending</h2>
  <p>Every paper's trending score is</p>
  <p class="formula"><code>score = (upvotes + 1) / (hours since featured + ${AGE_OFFSET_HOURS})<sup>${GRAVITY}</sup></code></p>
  <p>Votes lift a paper, age pulls it down, so fresh papers with a few votes can pass older ones with many,
  and nothing stays on top for weeks. The +1 lets new papers without votes show newest first.
  /trending ranks papers featured in the ${TRENDING_WINDOW_DAYS} days up to the newest featured day.</p>
  <h2 id="dates">The three dates</h2>
  <dl>
    <dt>Submitted</dt><dd>When version 1 reached arXiv.</dd>
    <dt>Announced</dt><dd>The day arXiv first listed the paper.</dd>
    <dt>Featured</dt><dd>The day it entered this feed: daily, weekly and monthly pages are by featured day.</dd>
  </dl>
</div>`,
  });
}

export function errorPage(siteName: string, status: number, heading: string, detail: string, viewer?: Viewer): Html {
  return layout({
    viewer,
    title: heading,
    siteName,
    nav: 'none',
    math: false,
    body: html`<div class="page-head error-page"><p class="eyebrow">Error ${status}</p><h1>${heading}</h1></div>
<div class="prose"><p>${detail}</p><p><a href="/">Back to today's papers</a> or <a href="/search">search</a>.</p></div>`,
  });
}
