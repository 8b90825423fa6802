// Fixed-window request counters in the database, so every node behind a load balancer counts the
// same requests: one upsert per counted request, starting a new window when the old one has ended.
import { sql } from 'kysely';
import type { Db } from './dialect/dialect.ts';

export function rateLimitsRepo(db: Db) {
  return {
    /** Counts one request for `key`; returns the count in the current window and when it ends (epoch ms). */
    async incr(key: string, windowMs: number, nowMs: number): Promise<{ count: number; resetAt: number }> {
      const ended = sql<boolean>`rate_limits.reset_at <= ${nowMs}`;
      const r = await db
        .insertInto('rate_limits')
        .values({ key, count: 1, reset_at: nowMs + windowMs })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            count: sql`CASE WHEN ${ended} THEN 1 ELSE rate_limits.count + 1 END`,
            reset_at: sql`CASE WHEN ${ended} THEN ${nowMs + windowMs} ELSE rate_limits.reset_at END`,
          }),
        )
        .returning(['count', 'reset_at'])
        .executeTakeFirstOrThrow();
      return { count: Number(r.count), resetAt: Number(r.reset_at) };
    },
    /** Deletes windows that have ended. */
    async prune(nowMs: number): Promise<void> {
      await db.deleteFrom('rate_limits').where('reset_at', '<=', nowMs).execute();
    },
  };
}

export type RateLimitsRepo = ReturnType<typeof rateLimitsRepo>;
