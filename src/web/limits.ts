// Rate limits of the writes people make, per signed-in user (or per client address when signed out),
// multiplied by RATE_LIMIT_FACTOR. Over a limit, the answer is 429 with Retry-After. Counters live
// in this process (several nodes each count their own: see README).
import type { FastifyRequest } from 'fastify';

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
