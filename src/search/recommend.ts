// "For you": papers related to those a reader upvoted, each with the upvoted papers that led to it.
// Every upvoted paper contributes its related papers, found as a paper page's "Similar papers" are
// (its distinctive words and, with an embedder, its meaning); a candidate scores the sum over the
// papers that brought it of 1 / (1 + its rank among their related papers), so a paper related to
// several of yours, or very close to one, comes first. The reasons are those papers, best first.
import type { Paper } from '../domain/paper.ts';
import type { Day } from '../domain/period.ts';
import type { Repos } from '../store/store.ts';

export type Recommendation = { paper: Paper; score: number; because: Paper[] };

export type RecommendOptions = {
  /** Related papers read for each upvoted paper. */
  perLiked: number;
  limit: number;
  /** Whether a candidate may be shown (not one of the reader's own votes, featured recently enough). */
  keep: (p: Paper) => boolean;
};

/** A paper's related papers, best first; undefined keeps the place of one the caller cannot show. */
export type Related = (p: Paper, limit: number) => Promise<(Paper | undefined)[]>;

export async function recommend(
  related: Related,
  liked: Paper[],
  opts: RecommendOptions,
): Promise<Recommendation[]> {
  const found = new Map<string, { paper: Paper; score: number; reasons: { paper: Paper; share: number }[] }>();
  const lists = await Promise.all(liked.map((p) => related(p, opts.perLiked)));
  for (const [i, list] of lists.entries()) {
    for (const [rank, paper] of list.entries()) {
      if (!paper || !opts.keep(paper)) continue;
      const share = 1 / (1 + rank);
      const entry = found.get(paper.id) ?? { paper, score: 0, reasons: [] };
      entry.score += share;
      entry.reasons.push({ paper: liked[i]!, share });
      found.set(paper.id, entry);
    }
  }
  return [...found.values()]
    .sort((a, b) => b.score - a.score || b.paper.featuredDate.localeCompare(a.paper.featuredDate) || a.paper.id.localeCompare(b.paper.id))
    .slice(0, opts.limit)
    .map((e) => ({ paper: e.paper, score: e.score, because: e.reasons.sort((a, b) => b.share - a.share).map((r) => r.paper) }));
}

/** How much of a reader's taste is read: their newest upvotes, and the related papers of each (eval:recommend chose 40 of 20, 40, 80). */
export const READER_DEFAULTS = { liked: 30, perLiked: 40 } as const;

export type ReaderOptions = {
  /** The reader's newest upvotes read, the related papers read for each, and the papers returned. */
  liked: number;
  perLiked: number;
  shown: number;
  /** Featured on or after `since` and before `until`, where given. */
  since?: Day | undefined;
  until?: Day | undefined;
  /** Papers not to suggest (already in the same email, say). */
  exclude?: ReadonlySet<string>;
};

/** Papers for one reader from their newest upvotes, never one they upvoted; and how many upvotes were read. */
export async function recommendForReader(
  related: Related,
  reads: Pick<Repos, 'votes' | 'papers'>,
  userId: number,
  o: ReaderOptions,
): Promise<{ recommendations: Recommendation[]; liked: number }> {
  const likedIds = await reads.votes.idsByUser(userId, o.liked, 0);
  const liked = await reads.papers.byIds(likedIds);
  const mine = new Set(likedIds);
  const found = await recommend(related, liked, {
    perLiked: o.perLiked,
    limit: o.shown + o.liked,
    keep: (p) =>
      !mine.has(p.id) && !o.exclude?.has(p.id) && (o.since === undefined || p.featuredDate >= o.since) && (o.until === undefined || p.featuredDate < o.until),
  });
  // Upvotes older than the newest `liked` are left out too.
  const voted = await reads.votes.votedAmong(userId, found.map((r) => r.paper.id));
  return { recommendations: found.filter((r) => !voted.has(r.paper.id)).slice(0, o.shown), liked: liked.length };
}
