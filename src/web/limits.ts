// Rate limits of the writes people make, per signed-in user (or per client address when signed out),
// multiplied by RATE_LIMIT_FACTOR. Over a limit, the answer is 429 with Retry-After. Where the
// counters live: in Redis when REDIS_URL is set, else on PostgreSQL in the database (so every node
// counts alike), else (one SQLite process) in memory.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Deps } from '../deps.ts';

export const LIMITS = {
  signup: { max: 10, window: '1 hour' },
  login: { max: 30, window: '15 minutes' },
  /** Reset and sign-in links, confirmation mails: each sends an email. */
  mail: { max: 10, window: '1 hour' },
  submit: { max: 30, window: '1 hour' },
  comment: { max: 30, window: '10 minutes' },
  vote: { max: 300, window: '1 minute' },
  /** Everything else a signed-in user posts (settings, reports, claims, organizations). */
  write: { max: 120, window: '10 minutes' },
} as const;

export type LimitName = keyof typeof LIMITS;

export const limitKey = (req: FastifyRequest): string => (req.user ? `user:${req.user.id}` : `ip:${req.ip}`);

export function rateLimit(name: LimitName, factor: number) {
  const l = LIMITS[name];
  return { rateLimit: { max: Math.max(1, Math.round(l.max * factor)), timeWindow: l.window, keyGenerator: limitKey, groupId: name } };
}

type Incr = (key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, timeWindow: number, max: number) => void;

/** @fastify/rate-limit's store interface over the database's counters (one upsert per counted request). */
export function databaseLimitStore(deps: Deps) {
  let calls = 0;
  return class DatabaseLimitStore {
    incr: Incr = (key, cb, timeWindow) => {
      const now = Date.now();
      deps.store.rateLimits
        .incr(key, timeWindow, now)
        .then((r) => {
          // Now and then, forget windows that have ended (the table holds only live ones).
          if (++calls % 1000 === 0) void deps.store.rateLimits.prune(now).catch(() => {});
          cb(null, { current: r.count, ttl: Math.max(0, r.resetAt - now) });
        })
        .catch((e: Error) => cb(e));
    };
    child(): DatabaseLimitStore {
      return this;
    }
  };
}

/**
 * @fastify/rate-limit's options for where counters live. A Redis connection is closed with the app.
 * When Redis cannot be reached, requests are let through (the limits are a brake, not a lock: login
 * backoff and every rule stay in the database), with a warning in the log once a minute.
 */
export function limitStoreOptions(app: FastifyInstance, deps: Deps): Record<string, unknown> {
  const redisConfig = deps.config.redis;
  if (redisConfig) {
    const redis = new Redis(redisConfig.url, { maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 2000 });
    let warned = 0;
    redis.on('error', (e: Error) => {
      if (Date.now() - warned < 60_000) return; // once a minute while it lasts
      warned = Date.now();
      deps.log.warn(`Redis unreachable (${e.message}): rate limits are not applied until it is back`);
    });
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    return { redis, nameSpace: `${redisConfig.prefix}rate:`, skipOnError: true };
  }
  return deps.store.engine === 'postgres' ? { store: databaseLimitStore(deps) } : {};
}
