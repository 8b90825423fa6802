// The JSON API (Hugging Face papers API shape): daily lists, one paper, search.
import { bounds, type Period, parseDay, parseMonth, parseWeek } from '../../domain/period.ts';
import type { Deps } from '../../deps.ts';
import { notFound } from '../errors.ts';
import { type ApiPaper, apiPaper, type DailyItem, dailyItem } from '../present/api.ts';
import { latestPeriod } from './feed.ts';
import { findPaper } from './papers.ts';

export type ApiDailyQuery = {
  date?: string | undefined;
  week?: string | undefined;
  month?: string | undefined;
  sort: 'publishedAt' | 'trending';
  p: number;
  limit: number;
};

function requestedPeriod(q: ApiDailyQuery): Period | undefined {
  // The values were validated by the route schema; the parsers here only build the Period.
  if (q.date !== undefined && parseDay(q.date).ok) return { kind: 'day', date: q.date };
  if (q.week !== undefined) {
    const w = parseWeek(q.week);
    if (w.ok) return w.value;
  }
  if (q.month !== undefined) {
    const m = parseMonth(q.month);
    if (m.ok) return m.value;
  }
  return undefined;
}

export async function apiDaily(deps: Deps, q: ApiDailyQuery): Promise<DailyItem[]> {
  const period = requestedPeriod(q) ?? (await latestPeriod(deps, 'day'));
  const listing = await deps.store.papers.listForPeriod(
    bounds(period),
    q.sort === 'trending' ? 'trending' : 'newest',
    { limit: q.limit, offset: q.p * q.limit },
    deps.clock.now().getTime(),
  );
  return listing.papers.map(dailyItem);
}

export async function apiPaperById(deps: Deps, id: string): Promise<ApiPaper> {
  const paper = await findPaper(deps, id);
  if (!paper) throw notFound(`no paper with id "${id.slice(0, 80)}"`);
  return apiPaper(paper);
}

export async function apiSearch(deps: Deps, q: { q: string; limit: number; p: number }): Promise<DailyItem[]> {
  if (!q.q.trim()) return [];
  const r = await deps.search.papers(q.q, { limit: q.limit, offset: q.p * q.limit });
  return r.hits.map((h) => dailyItem(h.paper));
}
