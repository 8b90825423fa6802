// HTTP GET for harvesting arXiv, polite and persistent: a minimum interval between requests (arXiv
// asks for 3 s between API calls), Retry-After honoured on 503/429, exponential backoff with jitter
// on network errors, 5xx and bodies that fail to parse (a truncated response), a timeout per request.
// The only HTTP client of ingest/; tests point it at a local replay server.
import { backoffMs, retryAfterMs } from '../domain/retry.ts';

export type FetchPolicy = {
  /** Milliseconds from the end of one request (its response read) to the start of the next. */
  minIntervalMs: number;
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff; doubles each retry, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Longest Retry-After honoured; a server asking for more fails the fetch instead of stalling it. */
  maxRetryAfterMs: number;
  timeoutMs: number;
  userAgent: string;
};

export type Accept<T> = (body: string) => Promise<{ ok: true; value: T } | { ok: false; reason: string }>;
export type Fetcher = { get<T>(url: string, accept: Accept<T>): Promise<T> };
export type FetchLog = (message: string) => void;

/** A failure that retrying will not fix (HTTP 4xx, an error the server states), or retries exhausted. */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function createFetcher(
  policy: FetchPolicy,
  env: { sleep?: (ms: number) => Promise<void>; now?: () => number; log?: FetchLog } = {},
): Fetcher {
  const sleep = env.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = env.now ?? Date.now;
  const log = env.log ?? (() => {});
  // Measured from the end of the previous exchange, so the server sees the gap even when a response
  // is slow to arrive or to be read.
  let lastEnd = Number.NEGATIVE_INFINITY;

  return {
    async get<T>(url: string, accept: Accept<T>): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        const wait = lastEnd + policy.minIntervalMs - now();
        if (wait > 0) await sleep(wait);
        let reason: string;
        let delay = backoffMs(policy, attempt);
        try {
          let res: Response;
          let body: string;
          try {
            res = await fetch(url, { signal: AbortSignal.timeout(policy.timeoutMs), headers: { 'user-agent': policy.userAgent } });
            body = await res.text();
          } finally {
            lastEnd = now();
          }
          if (res.ok) {
            const r = await accept(body);
            if (r.ok) return r.value;
            reason = r.reason;
          } else if (res.status === 503 || res.status === 429) {
            reason = `HTTP ${res.status}`;
            const after = retryAfterMs(res.headers.get('retry-after'), now());
            if (after !== undefined) {
              if (after > policy.maxRetryAfterMs) throw new FetchError(`${url}: the server asks to wait ${Math.round(after / 1000)} s`, res.status);
              delay = after;
            }
          } else if (res.status >= 500) {
            reason = `HTTP ${res.status}`;
          } else {
            throw new FetchError(`${url}: HTTP ${res.status} ${body.slice(0, 200)}`, res.status);
          }
        } catch (e) {
          if (e instanceof FetchError) throw e;
          reason = (e as Error).name === 'TimeoutError' ? `no answer within ${policy.timeoutMs} ms` : (e as Error).message;
        }
        if (attempt >= policy.retries) throw new FetchError(`${url}: gave up after ${attempt + 1} attempts (last: ${reason})`);
        log(`${url}: ${reason}; retrying in ${(delay / 1000).toFixed(1)} s`);
        await sleep(delay);
      }
    },
  };
}
