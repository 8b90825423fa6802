// The "For you" page: papers related to what the signed-in reader upvoted (search/recommend.ts).
import { addDays } from '../../domain/period.ts';
import type { Deps } from '../../deps.ts';
import { recommend } from '../../search/recommend.ts';
import { Problem } from '../errors.ts';
import type { Html } from '../views/html.ts';
import { type ForYouWindow, forYouPage } from '../views/for-you-page.ts';
import { viewerOf, type Who } from '../viewer.ts';
import { latestDay } from './feed.ts';

/** The newest upvotes read, the related papers read for each, and the papers shown. */
const LIKED = 30;
const PER_LIKED = 40;
const SHOWN = 30;

export async function renderForYou(deps: Deps, window: ForYouWindow, w: Who): Promise<Html> {
  const user = w.user;
  if (!user) throw new Problem('unauthorized', 'Sign in to see papers picked for you.');
  const likedIds = await w.reads.votes.idsByUser(user.id, LIKED, 0);
  const liked = await w.reads.papers.byIds(likedIds);
  const newest = window === 'all' ? undefined : await latestDay(deps);
  // Featured within the window up to the newest featured day (the feed's "today").
  const since = newest === undefined ? undefined : addDays(newest, 1 - Number(window));
  const mine = new Set(likedIds);
  const found = await recommend((p, n) => deps.search.similar(p, n), liked, {
    perLiked: PER_LIKED,
    limit: SHOWN + LIKED,
    keep: (p) => !mine.has(p.id) && (since === undefined || p.featuredDate >= since),
  });
  // Older upvotes than the newest LIKED are left out too.
  const voted = await w.reads.votes.votedAmong(user.id, found.map((r) => r.paper.id));
  const recommendations = found.filter((r) => !voted.has(r.paper.id)).slice(0, SHOWN);
  const viewer = await viewerOf(deps, w, recommendations.map((r) => r.paper.id));
  return forYouPage({ siteName: deps.config.siteName, recommendations, liked: liked.length, window, viewer });
}
