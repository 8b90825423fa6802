// The daily / weekly / monthly views and /trending.
import type { Deps } from '../../deps.ts';
import { viewerOf, type Who } from '../viewer.ts';
import {
  addDays, bounds, type Day, dayInZone, formatDay, type Period, type PeriodKind, parseDay, parseMonth, parseWeek,
  periodKey, periodLabel, periodOf,
} from '../../domain/period.ts';
import { TRENDING_WINDOW_DAYS } from '../../domain/trending.ts';
import type { Html } from '../views/html.ts';
import { periodPage, type Sort, trendingPage } from '../views/period-page.ts';

export const PAGE_SIZE = 30;

const PATH_SEGMENT: Record<PeriodKind, string> = { day: 'date', week: 'week', month: 'month' };

export function periodPath(p: Period, sort: Sort = 'trending', page = 0): string {
  const qs = [sort !== 'trending' ? `sort=${sort}` : '', page > 0 ? `p=${page}` : ''].filter(Boolean).join('&');
  return `/papers/${PATH_SEGMENT[p.kind]}/${periodKey(p)}${qs ? `?${qs}` : ''}`;
}

/** The newest featured day on or before today in the site's zone. */
export async function latestDay(deps: Deps): Promise<Day | undefined> {
  return deps.store.papers.latestDay(dayInZone(deps.clock.now(), deps.config.timeZone));
}

export async function latestPeriod(deps: Deps, kind: PeriodKind): Promise<Period> {
  const day = (await latestDay(deps)) ?? dayInZone(deps.clock.now(), deps.config.timeZone);
  return periodOf(kind, day);
}

export function parsePeriod(kind: PeriodKind, key: string): Period | undefined {
  if (kind === 'day') {
    const d = parseDay(key);
    return d.ok ? { kind, date: d.value } : undefined;
  }
  const r = kind === 'week' ? parseWeek(key) : parseMonth(key);
  return r.ok ? r.value : undefined;
}

export type PeriodParams = { date?: string | undefined; week?: string | undefined; month?: string | undefined };

/** The period a request names by ?date=, ?week= or ?month= (validated by the route), else the newest day. */
export async function requestedPeriod(deps: Deps, q: PeriodParams): Promise<Period> {
  return (
    (q.date && parsePeriod('day', q.date)) ||
    (q.week && parsePeriod('week', q.week)) ||
    (q.month && parsePeriod('month', q.month)) ||
    latestPeriod(deps, 'day')
  );
}

export async function renderPeriod(deps: Deps, period: Period, sort: Sort, page: number, w: Who): Promise<Html> {
  const b = bounds(period);
  const { papers: repo } = w.reads;
  const nowMs = deps.clock.now().getTime();
  const [listing, total, before, after] = await Promise.all([
    repo.listForPeriod(b, sort, { limit: PAGE_SIZE, offset: page * PAGE_SIZE }, nowMs),
    repo.countForPeriod(b),
    repo.adjacentDay(b.start, 'prev'),
    repo.adjacentDay(addDays(b.end, -1), 'next'),
  ]);
  const neighbour = (d: Day | undefined) => {
    if (!d) return undefined;
    const p = periodOf(period.kind, d);
    return { href: periodPath(p, sort), label: period.kind === 'day' ? formatDay(d) : periodLabel(p).replace(/ \(.*\)$/, '') };
  };
  const anchor = b.start;
  return periodPage({
    siteName: deps.config.siteName,
    kind: period.kind,
    label: periodLabel(period),
    sort,
    page,
    total,
    papers: listing.papers,
    hasMore: listing.hasMore,
    prev: neighbour(before),
    next: neighbour(after),
    viewHref: {
      day: periodPath(periodOf('day', period.kind === 'day' ? anchor : ((await repo.latestDay(addDays(b.end, -1))) ?? anchor)), sort),
      week: periodPath(periodOf('week', anchor), sort),
      month: periodPath(periodOf('month', anchor), sort),
    },
    href: (s, p) => periodPath(period, s, p),
    viewer: await viewerOf(deps, w, listing.papers.map((p) => p.id)),
  });
}

/** The days /trending covers: the TRENDING_WINDOW_DAYS up to the newest featured day (none yet: undefined). */
export async function trendingWindow(deps: Deps): Promise<{ start: Day; end: Day } | undefined> {
  const last = await latestDay(deps);
  return last ? { start: addDays(last, 1 - TRENDING_WINDOW_DAYS), end: addDays(last, 1) } : undefined;
}

export async function renderTrending(deps: Deps, page: number, w: Who): Promise<Html> {
  const nowMs = deps.clock.now().getTime();
  const window = await trendingWindow(deps);
  const listing = window
    ? await w.reads.papers.listForPeriod(window, 'trending', { limit: PAGE_SIZE, offset: page * PAGE_SIZE }, nowMs)
    : { papers: [], hasMore: false };
  return trendingPage({
    siteName: deps.config.siteName,
    windowLabel: window ? `${formatDay(window.start)} – ${formatDay(addDays(window.end, -1))}` : 'recently',
    papers: listing.papers,
    page,
    hasMore: listing.hasMore,
    viewer: await viewerOf(deps, w, listing.papers.map((p) => p.id)),
  });
}
