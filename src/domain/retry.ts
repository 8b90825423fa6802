// Waiting between retries of a remote call: the server's Retry-After, else exponential backoff with
// jitter. Pure (time and randomness passed in); used by the arXiv fetcher and the embeddings client.

/** First backoff, doubling each retry up to the maximum. */
export type Backoff = { backoffMs: number; maxBackoffMs: number };

/** Retry-After as seconds or an HTTP date -> milliseconds from now. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const t = Date.parse(header);
  return Number.isNaN(t) ? undefined : Math.max(0, t - nowMs);
}

export function backoffMs(policy: Backoff, attempt: number, random = Math.random): number {
  const base = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** attempt);
  return Math.round(base * (0.75 + random() * 0.5)); // ±25% jitter
}
