// Feeds of every list view (/feeds/VIEW.FORMAT): the daily, weekly and monthly views and trending,
// any search, any author and any organization, as RSS 2.0, Atom 1.0 or JSON Feed 1.1. Each list page
// links its feeds in <head> (rel="alternate") and in the page (views/feed-links.ts).
import type { Deps } from '../../deps.ts';
import { apiTokenUser } from '../../people/accounts.ts';
import { addDays, bounds, formatDay, periodLabel } from '../../domain/period.ts';
import type { Paper } from '../../domain/paper.ts';
import { paperMatcher } from '../../search/match.ts';
import { parseQuery } from '../../search/query.ts';
import { notFound, Problem } from '../errors.ts';
import { FEED_FORMATS, type FeedFormat, renderFeed } from '../present/feed.ts';
import { authorPath, orgPath } from '../present/paper.ts';
import { type FeedQuery, type FeedView, feedPath } from '../views/feed-links.ts';
import { latestDay, latestPeriod, periodPath, trendingWindow } from './feed.ts';
import { recommendationsFor } from './for-you.ts';
import type { Repos } from '../../store/store.ts';

const VIEWS: readonly FeedView[] = ['daily', 'weekly', 'monthly', 'trending', 'search', 'author', 'org', 'filter', 'foryou'];
/** Items in a feed; the daily feed covers the newest featured days so a reader polling daily misses none. */
export const FEED_ITEMS = 50;
const DAILY_FEED_DAYS = 3;

/** "daily.rss" -> view and format, or undefined. */
export function parseFeedFile(file: string): { view: FeedView; format: FeedFormat } | undefined {
  const m = /^([a-z]+)\.([a-z]+)$/.exec(file);
  if (!m || !VIEWS.includes(m[1] as FeedView) || !FEED_FORMATS.includes(m[2] as FeedFormat)) return undefined;
  return { view: m[1] as FeedView, format: m[2] as FeedFormat };
}

/** `store`: where the feed reads (the read replica for anonymous readers). */
export async function renderFeedFor(deps: Deps, store: Repos, view: FeedView, format: FeedFormat, query: FeedQuery): Promise<{ type: string; body: string }> {
  const { config } = deps;
  const site = config.publicUrl;
  const nowMs = deps.clock.now().getTime();
  const page = { limit: FEED_ITEMS, offset: 0 };
  let papers: Paper[];
  let title: string;
  let description: string;
  let pagePath: string;
  switch (view) {
    case 'daily': {
      const last = await latestDay(deps);
      papers = last ? (await store.papers.listForPeriod({ start: addDays(last, 1 - DAILY_FEED_DAYS), end: addDays(last, 1) }, 'newest', page, nowMs)).papers : [];
      title = 'Daily papers';
      description = `Papers featured on ${config.siteName}, newest day first.`;
      pagePath = '/';
      break;
    }
    case 'weekly':
    case 'monthly': {
      const period = await latestPeriod(deps, view === 'weekly' ? 'week' : 'month');
      papers = (await store.papers.listForPeriod(bounds(period), 'trending', page, nowMs)).papers;
      title = `${view === 'weekly' ? 'Weekly' : 'Monthly'} papers`;
      description = `The most upvoted and trending papers of ${periodLabel(period)} on ${config.siteName}.`;
      pagePath = periodPath(period);
      break;
    }
    case 'trending': {
      const window = await trendingWindow(deps);
      papers = window ? (await store.papers.listForPeriod(window, 'trending', page, nowMs)).papers : [];
      title = 'Trending papers';
      description = window ? `Trending on ${config.siteName}, ${formatDay(window.start)} – ${formatDay(addDays(window.end, -1))}.` : `Trending on ${config.siteName}.`;
      pagePath = '/trending';
      break;
    }
    case 'search': {
      const q = query.q?.trim() ?? '';
      if (!q) throw new Problem('invalid_parameter', 'A search feed needs a query: /feeds/search.rss?q=WORDS (the search language of /search).', 'q');
      papers = (await deps.search.papers(q, page)).hits.map((h) => h.paper);
      title = `Search: ${q}`;
      description = `Papers on ${config.siteName} matching “${q}”.`;
      pagePath = `/search?q=${encodeURIComponent(q)}`;
      break;
    }
    case 'author': {
      const name = query.name?.trim() ?? '';
      if (!name) throw new Problem('invalid_parameter', 'An author feed needs a name: /feeds/author.rss?name=NAME.', 'name');
      papers = (await store.papers.byAuthor(name, page)).papers;
      if (papers.length === 0) throw notFound(`No papers by “${name.slice(0, 80)}” are on this site.`);
      title = `Papers by ${name}`;
      description = `Papers by ${name} on ${config.siteName}.`;
      pagePath = authorPath(name);
      break;
    }
    case 'filter': {
      // A saved filter's private feed: its unguessable token is the only key, so feed readers need no sign-in.
      const f = query.token ? await store.subscriptions.filterByToken(query.token) : undefined;
      if (!f) throw notFound('No saved filter has this feed address (it may have been deleted).');
      // Strict like digests and webhooks: every word must match (search would fall back to any word).
      const strict = paperMatcher(parseQuery(f.query));
      papers = (await deps.search.papers(`${f.query} sort:date`, page)).hits.map((h) => h.paper).filter(strict);
      title = `Filter: ${f.name}`;
      description = `New papers on ${config.siteName} matching “${f.query}”, newest first.`;
      pagePath = `/search?q=${encodeURIComponent(f.query)}`;
      break;
    }
    case 'foryou': {
      // A reader's "For you" list: the key is one of their API tokens (a read-only one, for a feed reader).
      const owner = query.token ? await apiTokenUser(deps, query.token) : undefined;
      if (!owner) throw notFound('No feed has this address: the token is unknown or revoked (Settings, API tokens).');
      papers = (await recommendationsFor(deps, store, owner.user, '30')).recommendations.map((r) => r.paper);
      title = 'For you';
      description = `Papers on ${config.siteName} related to your upvotes, featured in the past month.`;
      pagePath = '/for-you';
      break;
    }
    case 'org': {
      const org = query.name?.trim() ? await store.organizations.byName(query.name.trim()) : undefined;
      if (!query.name?.trim()) throw new Problem('invalid_parameter', 'An organization feed needs a name: /feeds/org.rss?name=NAME.', 'name');
      if (!org) throw notFound(`No organization “${query.name.slice(0, 80)}” is on this site.`);
      papers = (await store.papers.byOrganization(org.name, page)).papers;
      title = `Papers from ${org.fullname}`;
      description = `Papers from ${org.fullname} on ${config.siteName}.`;
      pagePath = orgPath(org.name);
      break;
    }
  }
  const newest = papers.map((p) => p.featuredDate).sort().at(-1) ?? '1970-01-01';
  return renderFeed(
    format,
    {
      title: `${title} · ${config.siteName}`,
      description,
      pageUrl: `${site}${pagePath}`,
      feedUrl: `${site}${feedPath(view, format, query.q !== undefined ? { q: query.q } : query.name !== undefined ? { name: query.name } : query.token !== undefined ? { token: query.token } : {})}`,
      updated: new Date(`${newest}T00:00:00Z`),
    },
    papers,
    site,
  );
}
