// The webhook job: find the new papers each active hook's filter matches and queue one delivery per
// hook and batch (in the transaction that moves the hook past those papers), then deliver what is
// due: POST JSON, signed, 10 s timeout, redirects not followed. 2xx = delivered; anything else is
// retried after 10 s, 1 min, 5 min, 30 min, 2 h and 12 h, then given up; a hook whose deliveries
// are given up 3 times in a row is switched off (its owner turns it back on in settings).
import type { Deps } from '../deps.ts';
import { postWebhook, webhookPaper } from '../people/webhooks.ts';
import type { Webhook } from '../store/webhooks.ts';
import { paperMatcher } from '../search/match.ts';
import { parseQuery } from '../search/query.ts';

export const WEBHOOK_RETRY_S = [10, 60, 300, 1800, 7200, 43_200];
export const WEBHOOK_DISABLE_AFTER = 3;
/** Papers per delivery at most; more new papers make more deliveries. */
const BATCH = 100;
const CLAIM_MS = 60_000;

export type WebhookRun = { queued: number; delivered: number; failed: number };

/** Queues deliveries of the papers that arrived since each hook last looked. */
export async function collectWebhookEvents(d: Deps): Promise<number> {
  let queued = 0;
  const nowIso = d.clock.now().toISOString();
  for (const hook of await d.store.webhooks.active()) {
    const match = paperMatcher(parseQuery(hook.query));
    let after = hook.afterSeq;
    for (;;) {
      const fresh = await d.store.webhooks.papersAfter(after, 1000);
      if (fresh.length === 0) break;
      const papers = (await d.store.papers.byIds(fresh.map((f) => f.id))).filter(match);
      const last = fresh.at(-1)!.seq;
      await d.store.transaction(async (tx) => {
        for (let i = 0; i < papers.length; i += BATCH) {
          const chunk = papers.slice(i, i + BATCH);
          const payload = JSON.stringify({
            event: 'papers.new',
            filter: { id: hook.filterId, name: hook.filterName, query: hook.query },
            papers: chunk.map((p) => webhookPaper(p, d.config.publicUrl)),
          });
          await tx.webhooks.enqueue({ webhookId: hook.id, payload, papers: chunk.length, now: nowIso });
          queued++;
        }
        await tx.webhooks.setAfterSeq(hook.id, last);
      });
      after = last;
    }
  }
  return queued;
}

/** Sends the due deliveries; returns how many succeeded and failed. */
export async function deliverWebhooks(d: Deps): Promise<{ delivered: number; failed: number }> {
  const out = { delivered: 0, failed: 0 };
  for (;;) {
    const now = d.clock.now();
    const batch = await d.store.webhooks.claim(now.toISOString(), new Date(now.getTime() + CLAIM_MS).toISOString(), 20);
    if (batch.length === 0) return out;
    const hooks = new Map<number, Promise<Webhook | undefined>>();
    const hookOf = (id: number) => hooks.get(id) ?? hooks.set(id, d.store.webhooks.byId(id)).get(id)!;
    await Promise.all(
      batch.map(async (delivery) => {
        const hook = await hookOf(delivery.webhookId);
        if (!hook) return;
        const r = await postWebhook({
          url: hook.url,
          secret: hook.secret,
          deliveryId: delivery.id,
          payload: delivery.payload,
          nowMs: d.clock.now().getTime(),
          userAgent: `${d.config.siteName} webhooks`,
          allowPrivate: d.config.webhookAllowPrivate,
        });
        if (r.ok) {
          await d.store.webhooks.markDelivered(delivery.id, hook.id, r.status!, d.clock.now().toISOString());
          out.delivered++;
          return;
        }
        const { status, error } = r;
        const delay = WEBHOOK_RETRY_S[delivery.attempts];
        const retryAt = delay === undefined ? undefined : new Date(d.clock.now().getTime() + delay * 1000).toISOString();
        const disabled = await d.store.webhooks.markFailed({ id: delivery.id, webhookId: hook.id, status, error, retryAt, disableAfter: WEBHOOK_DISABLE_AFTER });
        if (disabled) d.log.warn(`webhook ${hook.id} (${hook.url}) switched off after ${WEBHOOK_DISABLE_AFTER} deliveries in a row failed`);
        out.failed++;
      }),
    );
  }
}

export async function runWebhooks(d: Deps): Promise<WebhookRun> {
  const queued = await collectWebhookEvents(d);
  return { queued, ...(await deliverWebhooks(d)) };
}
