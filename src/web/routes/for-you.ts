// "For you": papers related to what the signed-in reader upvoted (search/recommend.ts), as a page
// and through the API.
import { addDays } from '../../domain/period.ts';
import type { User } from '../../domain/user.ts';
import type { Deps } from '../../deps.ts';
import { READER_DEFAULTS, type Recommendation, recommendForReader } from '../../search/recommend.ts';
import type { Repos } from '../../store/store.ts';
import { Problem } from '../errors.ts';
import type { Html } from '../views/html.ts';
import type { ForYouWindow } from '../params.ts';
import { forYouPage } from '../views/for-you-page.ts';
import { viewerOf, type Who } from '../viewer.ts';
import { latestDay } from './feed.ts';

/** Papers on the page. */
const SHOWN = 30;

/** Papers for `user` featured within `window` days up to the newest featured day; and how many upvotes were read. */
export async function recommendationsFor(deps: Deps, reads: Repos, user: User, window: ForYouWindow): Promise<{ recommendations: Recommendation[]; liked: number }> {
  const newest = window === 'all' ? undefined : await latestDay(deps);
  const since = newest === undefined ? undefined : addDays(newest, 1 - Number(window));
  return recommendForReader((p, n) => deps.search.similar(p, n), reads, user.id, { ...READER_DEFAULTS, shown: SHOWN, since });
}

export async function renderForYou(deps: Deps, window: ForYouWindow, w: Who): Promise<Html> {
  if (!w.user) throw new Problem('unauthorized', 'Sign in to see papers picked for you.');
  const { recommendations, liked } = await recommendationsFor(deps, w.reads, w.user, window);
  const viewer = await viewerOf(deps, w, recommendations.map((r) => r.paper.id));
  return forYouPage({ siteName: deps.config.siteName, recommendations, liked, window, viewer });
}
