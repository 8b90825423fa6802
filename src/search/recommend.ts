// "For you": papers related to those a reader upvoted, each with the upvoted papers that led to it.
// Every upvoted paper contributes its related papers, found as a paper page's "Similar papers" are
// (its distinctive words and, with an embedder, its meaning); a candidate scores the sum over the
// papers that brought it of 1 / (1 + its rank among their related papers), so a paper related to
// several of yours, or very close to one, comes first. The reasons are those papers, best first.
import type { Paper } from '../domain/paper.ts';

export type Recommendation = { paper: Paper; score: number; because: Paper[] };

export type RecommendOptions = {
  /** Related papers read for each upvoted paper. */
  perLiked: number;
  limit: number;
  /** Whether a candidate may be shown (not one of the reader's own votes, featured recently enough). */
  keep: (p: Paper) => boolean;
};

export async function recommend(
  related: (p: Paper, limit: number) => Promise<Paper[]>,
  liked: Paper[],
  opts: RecommendOptions,
): Promise<Recommendation[]> {
  const found = new Map<string, { paper: Paper; score: number; reasons: { paper: Paper; share: number }[] }>();
  const lists = await Promise.all(liked.map((p) => related(p, opts.perLiked)));
  for (const [i, list] of lists.entries()) {
    for (const [rank, paper] of list.entries()) {
      if (!opts.keep(paper)) continue;
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
