// Webhooks: a user registers a URL for one of their saved filters; new papers matching it are POSTed
// as JSON signed with HMAC-SHA256 (a secret per hook; the timestamp is signed too, so a captured
// request cannot be replayed later). Only public http(s) addresses are accepted, unless
// WEBHOOK_ALLOW_PRIVATE (an SSRF guard: a hook must not reach the server's own network).
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Deps } from '../deps.ts';
import { arxivAbsUrl, arxivPdfUrl, isArxivId } from '../domain/arxiv-id.ts';
import type { Paper } from '../domain/paper.ts';
import { err, ok, type Result } from '../domain/result.ts';
import type { FieldError, User } from '../domain/user.ts';
import { newToken } from './secrets.ts';

/** The signature header: `t=UNIX_SECONDS,v1=hex(HMAC_SHA256(secret, "t.body"))`. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const PRIVATE_V4 = [/^0\./, /^10\./, /^127\./, /^169\.254\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./, /^2(2[4-9]|[3-5]\d)\./];
export function isPrivateAddress(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIP(v4) === 4) return PRIVATE_V4.some((r) => r.test(v4));
  const v6 = ip.toLowerCase();
  return v6 === '::1' || v6 === '::' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6);
}

/** Whether a URL may receive webhooks: http(s), no credentials, and (unless allowed) only public addresses. */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<Result<string, string>> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return err('Enter a full URL such as https://example.org/hooks/paperboy.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return err('Webhooks go to http:// or https:// URLs.');
  if (url.username || url.password) return err('Put credentials in the URL path or check the signature instead: user:password@ is not accepted.');
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : await lookup(host, { all: true }).then((a) => a.map((x) => x.address), () => []);
    if (addresses.length === 0) return err(`The host ${host} could not be resolved.`);
    if (addresses.some(isPrivateAddress)) return err('Webhooks go to public addresses only (this one is private or local).');
  }
  return ok(url.toString());
}

export async function addWebhook(d: Deps, user: User, filterId: number, rawUrl: string): Promise<Result<number, FieldError>> {
  const filter = await d.store.subscriptions.filterById(filterId);
  if (!filter || filter.userId !== user.id) return err({ field: 'filter', message: 'Choose one of your saved filters.' });
  const url = await checkWebhookUrl(rawUrl, d.config.webhookAllowPrivate);
  if (!url.ok) return err({ field: 'url', message: url.error });
  const afterSeq = await d.store.webhooks.maxPaperSeq();
  return ok(await d.store.webhooks.create({ userId: user.id, filterId, url: url.value, secret: `whsec_${newToken()}`, afterSeq, now: d.clock.now().toISOString() }));
}

/** A paper as a webhook sends it. */
export function webhookPaper(p: Paper, publicUrl: string) {
  return {
    id: p.id,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    categories: p.categories,
    organization: p.organization?.name ?? null,
    featuredDate: p.featuredDate,
    submittedDate: p.submittedDate ?? null,
    upvotes: p.upvotes,
    url: `${publicUrl}/papers/${p.id}`,
    arxivUrl: isArxivId(p.id) ? arxivAbsUrl(p.id) : null,
    pdfUrl: isArxivId(p.id) ? arxivPdfUrl(p.id) : null,
    githubRepo: p.githubRepo ?? null,
  };
}

const TIMEOUT_MS = 10_000;

export type PostResult = { ok: boolean; status: number | undefined; error: string };

/**
 * POSTs one delivery, signed with the hook's secret: 2xx is ok. The address is checked again each
 * time (a name may point elsewhere since it was registered); redirects are not followed.
 */
export async function postWebhook(o: { url: string; secret: string; deliveryId: number; payload: string; nowMs: number; userAgent: string; allowPrivate: boolean }): Promise<PostResult> {
  try {
    const target = await checkWebhookUrl(o.url, o.allowPrivate);
    if (!target.ok) return { ok: false, status: undefined, error: target.error };
    const res = await fetch(target.value, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': o.userAgent,
        'x-paperboy-event': 'papers.new',
        'x-paperboy-delivery': String(o.deliveryId),
        'x-paperboy-signature': webhookSignature(o.secret, Math.floor(o.nowMs / 1000), o.payload),
      },
      body: o.payload,
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, error: ok ? '' : `HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, status: undefined, error: (e as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (e as Error).message };
  }
}
