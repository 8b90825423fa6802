// The daily, weekly and monthly pages, and /trending: a heading with the period and its neighbours,
// the view and sort switches, the cards and the pager.
import type { Paper } from '../../domain/paper.ts';
import type { PeriodKind } from '../../domain/period.ts';
import { cardList, pager, tabs } from './cards.ts';
import { type Html, html } from './html.ts';
import { feedHead, feedLinks, type FeedView } from './feed-links.ts';
import { layout, type Viewer } from './layout.ts';

export type Sort = 'trending' | 'newest';
type Neighbour = { href: string; label: string } | undefined;

export type PeriodPageModel = {
  siteName: string;
  kind: PeriodKind;
  /** "Jun 30, 2026", "Week 27, 2026 (…)", "June 2026". */
  label: string;
  sort: Sort;
  page: number;
  total: number;
  papers: Paper[];
  hasMore: boolean;
  prev: Neighbour;
  next: Neighbour;
  /** Links to this period's day/week/month views, and this view with another sort or page. */
  viewHref: Record<PeriodKind, string>;
  href: (sort: Sort, page: number) => string;
  viewer?: Viewer | undefined;
};

const KIND_NOUN: Record<PeriodKind, string> = { day: 'day', week: 'week', month: 'month' };
const FEED_VIEW: Record<PeriodKind, FeedView> = { day: 'daily', week: 'weekly', month: 'monthly' };
const FEED_TITLE: Record<PeriodKind, string> = { day: 'Daily papers', week: 'Weekly papers', month: 'Monthly papers' };

export function periodPage(m: PeriodPageModel): Html {
  const body = html`
<div class="page-head">
  <h1>Daily Papers</h1>
  <p class="byline">by the research community</p>
</div>
<div class="period-bar">
  <nav class="period-nav" aria-label="Other ${KIND_NOUN[m.kind]}s">
    ${m.prev ? html`<a class="prev-period" href="${m.prev.href}"><span aria-hidden="true">←</span> ${m.prev.label}</a>` : html`<span class="nav-gap"></span>`}
    <h2 class="period-title">${m.label}</h2>
    ${m.next ? html`<a class="next-period" href="${m.next.href}">${m.next.label} <span aria-hidden="true">→</span></a>` : html`<span class="nav-gap"></span>`}
  </nav>
  <div class="switches">
    ${tabs(
      'Period',
      (['day', 'week', 'month'] as const).map((k) => ({ href: m.viewHref[k], text: k === 'day' ? 'Day' : k === 'week' ? 'Week' : 'Month', current: k === m.kind })),
      { currentAs: 'page' },
    )}
    ${tabs(
      'Sort',
      (['trending', 'newest'] as const).map((s) => ({ href: m.href(s, 0), text: s === 'trending' ? 'Trending' : 'Newest', current: s === m.sort })),
    )}
  </div>
</div>
<p class="summary">${m.total} paper${m.total === 1 ? '' : 's'} featured this ${KIND_NOUN[m.kind]}, ${m.sort === 'trending' ? html`by <a href="/about#trending">trending score</a>` : 'newest first'}.</p>
${cardList(m.papers, `No papers were featured this ${KIND_NOUN[m.kind]}.`, m.viewer)}
${pager(m.page, m.hasMore, (p) => m.href(m.sort, p))}
${feedLinks(FEED_VIEW[m.kind])}`;
  return layout({ title: `Daily Papers – ${m.label}`, siteName: m.siteName, nav: m.kind, head: feedHead(FEED_TITLE[m.kind], FEED_VIEW[m.kind]), body, viewer: m.viewer });
}

export type TrendingPageModel = {
  siteName: string;
  windowLabel: string;
  papers: Paper[];
  page: number;
  hasMore: boolean;
  viewer?: Viewer | undefined;
};

export function trendingPage(m: TrendingPageModel): Html {
  const body = html`
<div class="page-head">
  <h1>Trending papers</h1>
  <p class="byline">Papers featured ${m.windowLabel}, by <a href="/about#trending">trending score</a>: upvotes, discounted by age.</p>
</div>
${cardList(m.papers, 'Nothing is trending yet.', m.viewer)}
${pager(m.page, m.hasMore, (p) => `/trending?p=${p}`)}
${feedLinks('trending')}`;
  return layout({ title: 'Trending papers', siteName: m.siteName, nav: 'trending', head: feedHead('Trending papers', 'trending'), body, viewer: m.viewer });
}
