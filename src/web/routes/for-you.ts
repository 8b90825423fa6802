// "For you": papers related to what the signed-in reader upvoted (search/recommend.ts), as a page
// and through the API.
import { addDays } from '../../domain/period.ts';
import type { User } from '../../domain/user.ts';
import type { Deps } from '../../deps.ts';
import { type Recommendation, recommend } from '../../search/recommend.ts';
import type { Repos } from '../../store/store.ts';
import { Problem } from '../errors.ts';
import type { Html } from '../views/html.ts';
import { type ForYouWindow, forYouPage } from '../views/for-you-page.ts';
import { viewerOf, type Who } from '../viewer.ts';
import { latestDay } from './feed.ts';

/** The newest upvotes read, the related papers read for each, and the papers shown. */
const LIKED = 30;
const PER_LIKED = 40;
const SHOWN = 30;

/** Papers for `user` featured within `window` days up to the newest featured day; and how many upvotes were read. */
export async function recommendationsFor(deps: Deps, reads: Repos, user: User, window: ForYouWindow): Promise<{ recommendations: Recommendation[]; liked: number }> {
  const likedIds = await reads.votes.idsByUser(user.id, LIKED, 0);
  const liked = await reads.papers.byIds(likedIds);
  const newest = window === 'all' ? undefined : await latestDay(deps);
  const since = newest === undefined ? undefined : addDays(newest, 1 - Number(window));
  const mine = new Set(likedIds);
  const found = await recommend((p, n) => deps.search.similar(p, n), liked, {
    perLiked: PER_LIKED,
    limit: SHOWN + LIKED,
    keep: (p) => !mine.has(p.id) && (since === undefined || p.featuredDate >= since),
  });
  // Upvotes older than the newest LIKED are left out too.
  const voted = await reads.votes.votedAmong(user.id, found.map((r) => r.paper.id));
  return { recommendations: found.filter((r) => !voted.has(r.paper.id)).slice(0, SHOWN), liked: liked.length };
}

export async function renderForYou(deps: Deps, window: ForYouWindow, w: Who): Promise<Html> {
  if (!w.user) throw new Problem('unauthorized', 'Sign in to see papers picked for you.');
  const { recommendations, liked } = await recommendationsFor(deps, w.reads, w.user, window);
  const viewer = await viewerOf(deps, w, recommendations.map((r) => r.paper.id));
  return forYouPage({ siteName: deps.config.siteName, recommendations, liked, window, viewer });
}
