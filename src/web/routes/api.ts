// The JSON API (Hugging Face papers API shape): daily lists, one paper, search.
import { bounds } from '../../domain/period.ts';
import type { Deps } from '../../deps.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { postComment } from '../../people/comments.ts';
import { describeSubmitError, submitPaper } from '../../people/submissions.ts';
import { vote } from '../../people/votes.ts';
import { requireUser } from '../auth.ts';
import { notFound, Problem } from '../errors.ts';
import {
  type ApiComment, apiComment, type ApiPaper, apiPaper, type DailyItem, dailyItem, type RecommendationItem, recommendationItem, type SearchItem, searchItem, type voteResultSchema,
} from '../present/api.ts';
import type { ForYouWindow } from '../params.ts';
import { type PeriodParams, requestedPeriod } from './feed.ts';
import { recommendationsFor } from './for-you.ts';
import { findPaper, paperIdOf } from './papers.ts';
import type { Repos } from '../../store/store.ts';

export type ApiDailyQuery = PeriodParams & {
  sort: 'publishedAt' | 'trending';
  p: number;
  limit: number;
};

export async function apiDaily(deps: Deps, reads: Repos, q: ApiDailyQuery): Promise<DailyItem[]> {
  const period = await requestedPeriod(deps, q);
  const listing = await reads.papers.listForPeriod(
    bounds(period),
    q.sort === 'trending' ? 'trending' : 'newest',
    { limit: q.limit, offset: q.p * q.limit },
    deps.clock.now().getTime(),
  );
  return listing.papers.map(dailyItem);
}

export async function apiPaperById(deps: Deps, reads: Repos, id: string): Promise<ApiPaper> {
  const paper = await findPaper(deps, id, reads);
  if (!paper) throw notFound(`no paper with id "${id.slice(0, 80)}"`);
  return apiPaper(paper);
}

/** Papers related to the caller's upvotes (any API token, or a session). */
export async function apiForYou(deps: Deps, req: FastifyRequest, days: ForYouWindow): Promise<RecommendationItem[]> {
  const { recommendations } = await recommendationsFor(deps, deps.store, requireUser(req), days);
  return recommendations.map(recommendationItem);
}

/** Header of a search answer whose words some paper lacks: the query spelled as papers spell it (URL-encoded). */
const DID_YOU_MEAN_HEADER = 'x-did-you-mean';

export async function apiSearch(deps: Deps, q: { q: string; limit: number; p: number }, reply: FastifyReply): Promise<SearchItem[]> {
  if (!q.q.trim()) return [];
  const r = await deps.search.papers(q.q, { limit: q.limit, offset: q.p * q.limit });
  if (r.suggestion) reply.header(DID_YOU_MEAN_HEADER, encodeURIComponent(r.suggestion));
  return r.hits.map(searchItem);
}

// ---- writes: a personal API token with the right scope, or a session with its CSRF header ----

type VoteReply = z.infer<typeof voteResultSchema>;

async function visiblePaper(deps: Deps, id: string) {
  const paper = await findPaper(deps, id);
  if (!paper || paper.hidden) throw notFound(`no paper with id "${id.slice(0, 80)}"`);
  return paper;
}

export async function apiVote(deps: Deps, req: FastifyRequest, id: string, on: boolean): Promise<VoteReply> {
  const user = requireUser(req, 'vote');
  const paperId = paperIdOf(id);
  const r = paperId === undefined ? undefined : await vote(deps, user, paperId, on);
  if (!r?.ok) throw r?.error === 'banned' ? new Problem('forbidden', 'this account cannot vote') : notFound(`no paper with id "${id.slice(0, 80)}"`);
  return { paperId: paperId!, ...r.value };
}

export async function apiSubmit(deps: Deps, req: FastifyRequest, reply: FastifyReply, id: string): Promise<ApiPaper> {
  const user = requireUser(req, 'submit');
  const r = await submitPaper(deps, user, id);
  if (!r.ok) {
    const e = r.error;
    const code = e.code === 'duplicate' ? 'conflict' : e.code === 'arxiv_unreachable' ? 'bad_gateway' : e.code === 'daily_limit' ? 'too_many_requests' : e.code === 'banned' || e.code === 'unverified_email' ? 'forbidden' : e.code === 'not_on_arxiv' ? 'not_found' : 'invalid_parameter';
    throw new Problem(code, `${describeSubmitError(e)}${e.code === 'duplicate' ? ` See /api/papers/${e.paperId}.` : ''}`, 'id');
  }
  reply.code(201);
  return apiPaper((await deps.store.papers.byId(r.value.paperId))!);
}

export async function apiComments(deps: Deps, id: string): Promise<ApiComment[]> {
  const paper = await visiblePaper(deps, id);
  return (await deps.store.comments.forPaper(paper.id)).map(apiComment);
}

export async function apiPostComment(deps: Deps, req: FastifyRequest, reply: FastifyReply, id: string, body: { body: string; parentId?: number | undefined }): Promise<ApiComment> {
  const user = requireUser(req, 'comment');
  const paper = await visiblePaper(deps, id);
  const r = await postComment(deps, user, paper.id, body.body, body.parentId);
  if (!r.ok) {
    const e = r.error;
    throw e.code === 'not_found' ? notFound(`no paper with id "${id.slice(0, 80)}"`) : new Problem(e.code === 'forbidden' ? 'forbidden' : 'invalid_parameter', e.message, e.code === 'invalid' ? 'body' : undefined);
  }
  reply.code(201);
  return apiComment(r.value);
}
