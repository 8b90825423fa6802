// The JSON API (Hugging Face papers API shape): daily lists, one paper, search.
import { bounds } from '../../domain/period.ts';
import type { Deps } from '../../deps.ts';
import { notFound } from '../errors.ts';
import { type ApiPaper, apiPaper, type DailyItem, dailyItem, type SearchItem, searchItem } from '../present/api.ts';
import { type PeriodParams, requestedPeriod } from './feed.ts';
import { findPaper } from './papers.ts';

export type ApiDailyQuery = PeriodParams & {
  sort: 'publishedAt' | 'trending';
  p: number;
  limit: number;
};

export async function apiDaily(deps: Deps, q: ApiDailyQuery): Promise<DailyItem[]> {
  const period = await requestedPeriod(deps, q);
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

export async function apiSearch(deps: Deps, q: { q: string; limit: number; p: number }): Promise<SearchItem[]> {
  if (!q.q.trim()) return [];
  const r = await deps.search.papers(q.q, { limit: q.limit, offset: q.p * q.limit });
  return r.hits.map(searchItem);
}
