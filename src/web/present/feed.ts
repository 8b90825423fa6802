// Papers as a feed: RSS 2.0, Atom 1.0 (RFC 4287) and JSON Feed 1.1, from one list of items. Pure.
// Each item carries the abstract twice: as HTML with math in MathML (readers show it without any
// stylesheet) and as plain text with the TeX source kept, plus authors, categories and links.
import { mathToText } from '../../domain/latex-text.ts';
import type { Paper } from '../../domain/paper.ts';
import { escapeHtml, html } from '../views/html.ts';
import { mathText } from './math.ts';
import { paperLinks, paperPath } from './paper.ts';

export type FeedFormat = 'rss' | 'atom' | 'json';
export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

export type FeedMeta = {
  title: string;
  description: string;
  /** Absolute URL of the page the feed follows, and of the feed itself (this format). */
  pageUrl: string;
  feedUrl: string;
  /** When the newest item changed (the feed's own date). */
  updated: Date;
};

type Item = {
  id: string;
  url: string;
  title: string;
  text: string;
  html: string;
  authors: string[];
  categories: string[];
  published: Date;
  updated: Date;
};

/** Characters XML 1.0 forbids (C0 controls but tab, newline, return; lone surrogates; U+FFFE/FFFF). */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const clean = (s: string): string => s.replace(INVALID_XML, '');
/** Text for XML character data and attribute values. */
const x = (s: string): string => escapeHtml(clean(s));

const dateOf = (day: string | undefined, fallback: Date): Date => (day ? new Date(`${day}T00:00:00Z`) : fallback);

function item(p: Paper, siteUrl: string, fallback: Date): Item {
  const url = `${siteUrl}${paperPath(p.id)}`;
  const links = paperLinks(p);
  const body = html`<p>${mathText(p.abstract, false, 'mathml')}</p>
<p>${p.authors.join(', ')}</p>
<p>${links.map((l, i) => html`${i > 0 ? ' · ' : ''}<a href="${l.href}">${l.label}</a>`)}</p>`;
  const published = dateOf(p.featuredDate ?? p.submittedDate, fallback);
  return {
    id: url,
    url,
    title: mathToText(p.title), // a feed's titles are plain text: math as Unicode ("R³")
    text: p.abstract,
    html: body.toString(),
    authors: p.authors,
    categories: p.categories,
    published,
    updated: new Date(Math.max(published.getTime(), dateOf(p.updatedDate, published).getTime())),
  };
}

function rss(meta: FeedMeta, items: Item[]): string {
  const entries = items.map(
    (i) => `<item>
<title>${x(i.title)}</title>
<link>${x(i.url)}</link>
<guid isPermaLink="true">${x(i.id)}</guid>
<pubDate>${i.published.toUTCString()}</pubDate>
${i.authors.length ? `<dc:creator>${x(i.authors.join(', '))}</dc:creator>\n` : ''}${i.categories.map((c) => `<category>${x(c)}</category>\n`).join('')}<description>${x(i.html)}</description>
</item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${x(meta.title)}</title>
<link>${x(meta.pageUrl)}</link>
<description>${x(meta.description)}</description>
<atom:link href="${x(meta.feedUrl)}" rel="self" type="${FEED_TYPES.rss}"/>
<lastBuildDate>${meta.updated.toUTCString()}</lastBuildDate>
${entries.join('\n')}
</channel>
</rss>
`;
}

function atom(meta: FeedMeta, items: Item[]): string {
  const entries = items.map(
    (i) => `<entry>
<id>${x(i.id)}</id>
<title>${x(i.title)}</title>
<link rel="alternate" type="text/html" href="${x(i.url)}"/>
<published>${i.published.toISOString()}</published>
<updated>${i.updated.toISOString()}</updated>
${(i.authors.length ? i.authors : ['Unknown']).map((a) => `<author><name>${x(a)}</name></author>\n`).join('')}${i.categories.map((c) => `<category term="${x(c)}"/>\n`).join('')}<summary type="text">${x(i.text)}</summary>
<content type="html">${x(i.html)}</content>
</entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${x(meta.feedUrl)}</id>
<title>${x(meta.title)}</title>
<subtitle>${x(meta.description)}</subtitle>
<link rel="self" type="${FEED_TYPES.atom}" href="${x(meta.feedUrl)}"/>
<link rel="alternate" type="text/html" href="${x(meta.pageUrl)}"/>
<updated>${meta.updated.toISOString()}</updated>
${entries.join('\n')}
</feed>
`;
}

function json(meta: FeedMeta, items: Item[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    description: meta.description,
    home_page_url: meta.pageUrl,
    feed_url: meta.feedUrl,
    items: items.map((i) => ({
      id: i.id,
      url: i.url,
      title: i.title,
      content_html: i.html,
      content_text: i.text,
      summary: i.text.length > 300 ? `${i.text.slice(0, i.text.lastIndexOf(' ', 300))}…` : i.text,
      date_published: i.published.toISOString(),
      date_modified: i.updated.toISOString(),
      authors: i.authors.map((name) => ({ name })),
      tags: i.categories,
    })),
  });
}

/** The feed of `papers` in `format`: its media type and body. `siteUrl` is absolute, without a trailing slash. */
export function renderFeed(format: FeedFormat, meta: FeedMeta, papers: Paper[], siteUrl: string): { type: string; body: string } {
  const items = papers.map((p) => item(p, siteUrl, meta.updated));
  const body = format === 'rss' ? rss(meta, items) : format === 'atom' ? atom(meta, items) : json(meta, items);
  return { type: `${FEED_TYPES[format]}; charset=utf-8`, body };
}
