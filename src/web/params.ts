// Request parameters, validated at the edge with zod. Each message names the rule so the 400 that
// carries it tells the caller what to send; the parameter's name travels with it.
import { z } from 'zod';
import { parseDay, parseMonth, parseWeek } from '../domain/period.ts';

export const dayParam = z
  .string()
  .refine((s) => parseDay(s).ok, 'must be a calendar date YYYY-MM-DD, e.g. 2026-06-30')
  .describe('A featured day, YYYY-MM-DD.');
export const weekParam = z
  .string()
  .refine((s) => parseWeek(s).ok, 'must be an ISO week YYYY-Www, e.g. 2026-W27')
  .describe('An ISO 8601 week, YYYY-Www.');
export const monthParam = z
  .string()
  .refine((s) => parseMonth(s).ok, 'must be a month YYYY-MM, e.g. 2026-06')
  .describe('A month, YYYY-MM.');
export const pageParam = z.coerce
  .number({ message: 'must be a whole number from 0 to 1000' })
  .int('must be a whole number from 0 to 1000')
  .min(0, 'must be a whole number from 0 to 1000')
  .max(1000, 'must be a whole number from 0 to 1000')
  .default(0)
  .describe('Page number, starting at 0.');
export const limitParam = (dflt: number) =>
  z.coerce
    .number({ message: 'must be a whole number from 1 to 100' })
    .int('must be a whole number from 1 to 100')
    .min(1, 'must be a whole number from 1 to 100')
    .max(100, 'must be a whole number from 1 to 100')
    .default(dflt)
    .describe('Items per page, 1 to 100.');
export const queryParam = z.string().max(20_000, 'must be at most 20,000 characters').default('')
  .describe(
    'Search text, in the search language: words (papers with every word first; words in the title count most), "exact phrase", -word or -"phrase" to leave out, author:"Name", cat:cs.LG (several: any of them), -cat:cs.CV, org:google, -org:meta, year:2025, since:2025-01-01, until:2025-06-30, sort:relevance|date|trending. Anything else is read as words; no text is an error.',
  );

const pageSort = z.enum(['trending', 'newest'], { message: 'must be trending or newest' }).default('trending');

/** At most one of date, week and month. */
function onePeriod(q: { date?: string | undefined; week?: string | undefined; month?: string | undefined }, ctx: z.RefinementCtx) {
  const given = (['date', 'week', 'month'] as const).filter((k) => q[k] !== undefined);
  if (given.length > 1) {
    ctx.addIssue({ code: 'custom', path: [given[1]!], message: `give only one of date, week and month (got ${given.join(' and ')})` });
  }
}

export const periodPageQuery = z
  .object({ date: dayParam.optional(), week: weekParam.optional(), month: monthParam.optional(), sort: pageSort, p: pageParam })
  .superRefine(onePeriod);
export const listPageQuery = z.object({ sort: pageSort, p: pageParam });
export const pagedQuery = z.object({ p: pageParam });
/** An author's or an organization's papers: newest first, or most upvoted first. */
export const listingQuery = z.object({
  sort: z.enum(['newest', 'upvoted'], { message: 'must be newest or upvoted' }).default('newest'),
  p: pageParam,
});
export const searchPageQuery = z.object({ q: queryParam, p: pageParam });
export const suggestionsQuery = z.object({ q: queryParam });

export const apiDailyQuery = z
  .object({
    date: dayParam.optional(),
    week: weekParam.optional(),
    month: monthParam.optional(),
    sort: z
      .enum(['publishedAt', 'trending'], { message: 'must be publishedAt or trending' })
      .default('trending')
      .describe('publishedAt = newest first; trending = by trending score.'),
    p: pageParam,
    limit: limitParam(50),
  })
  .superRefine(onePeriod);
export const apiSearchQuery = z.object({ q: queryParam, limit: limitParam(20), p: pageParam });

/** A posted form's field as text ('' when absent; the first value when the field is repeated). */
export function formText(body: unknown, key: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '';
}

/** A posted form's repeated field (checkboxes) as a list. */
export function formList(body: unknown, key: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : [];
}

/** The For you list's window: featured within this many days up to the newest featured day, or any time. */
export const FOR_YOU_WINDOWS = ['7', '30', '365', 'all'] as const;
export type ForYouWindow = (typeof FOR_YOU_WINDOWS)[number];
export const forYouQuery = z.object({
  days: z.enum(FOR_YOU_WINDOWS).default('30').describe('Featured within this many days up to the newest featured day, or all.'),
});
