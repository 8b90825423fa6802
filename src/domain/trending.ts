// The trending score: a pure function of a paper's upvotes and its age in the feed.
//
//   score = (upvotes + 1) / (ageHours + 2) ^ GRAVITY        ageHours = now - start of featured day (UTC)
//
// Why this shape (the "gravity" family used by Hacker News): votes raise a paper linearly while age
// pulls every paper down polynomially, so a fresh paper with a few votes can pass an older one with
// many, and nothing stays on top for weeks. The +1 lets fresh papers without votes order by age
// (newest first) instead of tying at zero; the +2 hours keeps brand-new papers from dividing by ~0.
// With GRAVITY = 1.5 a paper featured two days ago needs (50/26)^1.5 = 2.7x the (upvotes + 1) of one
// featured yesterday to rank above it; a week-old paper needs (170/26)^1.5 = 17x.
// The store evaluates exactly this function (registered with the engine), so there is one definition.

export const GRAVITY = 1.5;
export const AGE_OFFSET_HOURS = 2;
/** Papers featured in this many days up to the newest featured day are candidates for /trending. */
export const TRENDING_WINDOW_DAYS = 7;

const HOUR_MS = 3_600_000;

export function trendingScore(upvotes: number, featuredDay: string, nowMs: number): number {
  const ageHours = Math.max(0, (nowMs - Date.parse(`${featuredDay}T00:00:00Z`)) / HOUR_MS);
  return (Math.max(0, upvotes) + 1) / (ageHours + AGE_OFFSET_HOURS) ** GRAVITY;
}
