// Where a list page's feeds are: <link rel="alternate"> for <head>, and the visible links.
import { FEED_FORMATS, FEED_TYPES, type FeedFormat } from '../present/feed.ts';
import { type Html, html } from './html.ts';

export type FeedView = 'daily' | 'weekly' | 'monthly' | 'trending' | 'search' | 'author' | 'org' | 'filter' | 'foryou';
export type FeedQuery = { q?: string | undefined; name?: string | undefined; token?: string | undefined };

export const feedPath = (view: FeedView, format: FeedFormat, q: FeedQuery = {}): string => {
  const qs =
    q.q !== undefined ? `?q=${encodeURIComponent(q.q)}` : q.name !== undefined ? `?name=${encodeURIComponent(q.name)}` : q.token !== undefined ? `?token=${encodeURIComponent(q.token)}` : '';
  return `/feeds/${view}.${format}${qs}`;
};

const LABELS: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

/** <link rel="alternate"> elements for a page's <head>. */
export function feedHead(title: string, view: FeedView, q: FeedQuery = {}): Html {
  return html`${FEED_FORMATS.map((f) => html`<link rel="alternate" type="${FEED_TYPES[f]}" title="${title} (${LABELS[f]})" href="${feedPath(view, f, q)}">\n`)}`;
}

/** The visible feed links of a list page. */
export function feedLinks(view: FeedView, q: FeedQuery = {}, more?: Html): Html {
  return html`<p class="feeds">Follow this list: ${FEED_FORMATS.map(
    (f, i) => html`${i > 0 ? ' · ' : ''}<a href="${feedPath(view, f, q)}" type="${FEED_TYPES[f]}">${LABELS[f]}</a>`,
  )}${more ? html` · ${more}` : ''}</p>`;
}

