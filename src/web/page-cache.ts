// A cache of whole GET responses (pages and API JSON), keyed by URL. An entry is served while the
// store's data version is unchanged and it is younger than the TTL (trending scores age, and "today"
// moves at midnight). Bodies are gzip-compressed once when stored and sent compressed to clients
// that accept it (every browser does), so a hit costs no rendering and a quarter of the bytes; an
// ETag lets a browser that already has the page get a 304 with no body at all.
// A hit replays the stored response headers (the security headers included), so the cache is
// installed before every other onRequest hook and a hit runs none of them.
// Responses that depend on who asks must not pass through it: it serves only requests without a
// session cookie or authorization, and stores no response that sets a cookie or is marked private
// (pages with a per-browser CSRF token).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type Headers = Record<string, string | number | string[]>;
type Entry = { body: string; gzip: Buffer; etag: string; headers: Headers; version: string; expires: number };

/** Headers that describe one transfer, not the resource: never replayed. */
const PER_RESPONSE = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'x-cache', 'content-encoding', 'vary']);

export type PageCacheOptions = { ttlMs: number; maxEntries: number; version: () => string; now?: () => number };

const cacheable = (req: FastifyRequest) =>
  req.method === 'GET' && !req.headers.authorization && !/(^|;\s*)pb_session=/.test(req.headers.cookie ?? '');
const acceptsGzip = (req: FastifyRequest) => /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));

function send(req: FastifyRequest, reply: FastifyReply, e: Entry): Buffer | string {
  reply.headers(e.headers).header('vary', 'accept-encoding').header('etag', e.etag);
  if (req.headers['if-none-match'] === e.etag) {
    reply.code(304);
    return '';
  }
  if (!acceptsGzip(req)) return e.body;
  reply.header('content-encoding', 'gzip');
  return e.gzip;
}

export function installPageCache(app: FastifyInstance, o: PageCacheOptions): void {
  if (o.ttlMs <= 0) return;
  const now = o.now ?? Date.now;
  const entries = new Map<string, Entry>();
  /** The data version when a request began: a change committed while it renders must not be stored as unchanged. */
  const began = new WeakMap<FastifyRequest, string>();

  app.addHook('onRequest', async (req, reply) => {
    if (!cacheable(req)) return;
    const version = o.version();
    began.set(req, version);
    const e = entries.get(req.url);
    if (!e) return;
    entries.delete(req.url);
    if (e.expires <= now() || e.version !== version) return;
    entries.set(req.url, e); // most recently used last
    return reply.header('x-cache', 'hit').send(send(req, reply, e));
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (!cacheable(req) || reply.statusCode !== 200 || typeof payload !== 'string' || reply.getHeader('x-cache')) return payload;
    if (reply.getHeader('set-cookie') || /private|no-store/.test(String(reply.getHeader('cache-control') ?? ''))) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!/^(text\/html|application\/json)/.test(type)) return payload;
    const headers: Headers = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined && !PER_RESPONSE.has(k)) headers[k] = v;
    const e: Entry = {
      body: payload,
      gzip: gzipSync(payload, { level: 6 }),
      etag: `"${createHash('sha1').update(payload).digest('base64url')}"`,
      headers,
      version: began.get(req) ?? o.version(),
      expires: now() + o.ttlMs,
    };
    if (entries.size >= o.maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(req.url, e);
    reply.header('x-cache', 'miss');
    return send(req, reply, e);
  });
}
