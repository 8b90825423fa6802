// Webhooks on saved filters and their deliveries. Deliveries are an outbox of their own: decided in
// the transaction that moves the hook past the papers it covered, claimed by one sender at a time,
// retried with backoff, and kept as the delivery log the owner sees.
import type { Db, Dialect } from './dialect/dialect.ts';
import { claimDue } from './queue.ts';

export type Webhook = {
  id: number;
  userId: number;
  filterId: number;
  filterName: string;
  query: string;
  url: string;
  secret: string;
  active: boolean;
  failures: number;
  afterSeq: number;
  createdAt: string;
};
export type Delivery = { id: number; webhookId: number; payload: string; papers: number; attempts: number };
export type DeliveryLogEntry = { id: number; status: string; papers: number; attempts: number; lastStatus: number | undefined; lastError: string | undefined; createdAt: string; deliveredAt: string | undefined };

export function webhooksRepo(db: Db, dialect: Dialect) {
  const base = () =>
    db
      .selectFrom('webhooks')
      .innerJoin('saved_filters', 'saved_filters.id', 'webhooks.filter_id')
      .selectAll('webhooks')
      .select(['saved_filters.name as filter_name', 'saved_filters.query as filter_query']);
  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;
  const toHook = (r: Row): Webhook => ({
    id: Number(r.id),
    userId: Number(r.user_id),
    filterId: Number(r.filter_id),
    filterName: r.filter_name,
    query: r.filter_query,
    url: r.url,
    secret: r.secret,
    active: Number(r.active) === 1,
    failures: Number(r.failures),
    afterSeq: Number(r.after_seq),
    createdAt: r.created_at,
  });
  return {
    async create(h: { userId: number; filterId: number; url: string; secret: string; afterSeq: number; now: string }): Promise<number> {
      const r = await db
        .insertInto('webhooks')
        .values({ user_id: h.userId, filter_id: h.filterId, url: h.url, secret: h.secret, after_seq: h.afterSeq, created_at: h.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
    async ofUser(userId: number): Promise<Webhook[]> {
      return (await base().where('webhooks.user_id', '=', userId).orderBy('webhooks.id').execute()).map(toHook);
    },
    async byId(id: number): Promise<Webhook | undefined> {
      const r = await base().where('webhooks.id', '=', id).executeTakeFirst();
      return r && toHook(r);
    },
    async active(): Promise<Webhook[]> {
      return (await base().where('webhooks.active', '=', 1).orderBy('webhooks.id').execute()).map(toHook);
    },
    async remove(userId: number, id: number): Promise<boolean> {
      const r = await db.deleteFrom('webhooks').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async setActive(userId: number, id: number, active: boolean): Promise<void> {
      await db.updateTable('webhooks').set({ active: active ? 1 : 0, ...(active ? { failures: 0 } : {}) }).where('id', '=', id).where('user_id', '=', userId).execute();
    },
    async setAfterSeq(id: number, seq: number): Promise<void> {
      await db.updateTable('webhooks').set({ after_seq: seq }).where('id', '=', id).execute();
    },
    /** The newest paper's seq (a new hook starts after it: only papers that arrive later are sent). */
    async maxPaperSeq(): Promise<number> {
      const r = await db.selectFrom('papers').select((e) => e.fn.max('seq').as('m')).executeTakeFirst();
      return Number(r?.m ?? 0);
    },
    /** Papers that arrived after `afterSeq`, oldest first (a new version keeps its seq: it is not new). */
    async papersAfter(afterSeq: number, limit: number): Promise<{ seq: number; id: string }[]> {
      const rows = await db.selectFrom('papers').select(['seq', 'id']).where('seq', '>', afterSeq).where('hidden', '=', 0).orderBy('seq').limit(limit).execute();
      return rows.map((r) => ({ seq: Number(r.seq), id: r.id }));
    },

    // ---- deliveries ----
    async enqueue(d: { webhookId: number; payload: string; papers: number; now: string }): Promise<number> {
      const r = await db
        .insertInto('webhook_deliveries')
        .values({ webhook_id: d.webhookId, payload: d.payload, papers: d.papers, status: 'pending', next_attempt_at: d.now, created_at: d.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
    /** Claims due deliveries until `claimUntil` (the same claim as the mail outbox's). */
    async claim(now: string, claimUntil: string, limit: number): Promise<Delivery[]> {
      const rows = await claimDue(db, dialect, 'webhook_deliveries', { now, claimUntil, limit });
      return rows.map((r) => ({ id: Number(r.id), webhookId: Number(r.webhook_id), payload: r.payload, papers: Number(r.papers), attempts: Number(r.attempts) }));
    },
    async markDelivered(id: number, webhookId: number, status: number, now: string): Promise<void> {
      await db.updateTable('webhook_deliveries').set({ status: 'delivered', last_status: status, last_error: null, delivered_at: now, claimed_until: null, attempts: (eb) => eb('attempts', '+', 1) }).where('id', '=', id).execute();
      await db.updateTable('webhooks').set({ failures: 0 }).where('id', '=', webhookId).where('failures', '>', 0).execute();
    },
    /**
     * A failed attempt: retried at `retryAt`, or given up (undefined). A hook whose deliveries were given
     * up `disableAfter` times in a row is switched off. Returns whether the hook was switched off.
     */
    async markFailed(d: { id: number; webhookId: number; status: number | undefined; error: string; retryAt: string | undefined; disableAfter: number }): Promise<boolean> {
      await db
        .updateTable('webhook_deliveries')
        .set({
          status: d.retryAt ? 'pending' : 'failed',
          next_attempt_at: d.retryAt ?? '9999-12-31T00:00:00.000Z',
          claimed_until: null,
          last_status: d.status ?? null,
          last_error: d.error.slice(0, 300),
          attempts: (eb) => eb('attempts', '+', 1),
        })
        .where('id', '=', d.id)
        .execute();
      if (d.retryAt) return false;
      const r = await db.updateTable('webhooks').set({ failures: (eb) => eb('failures', '+', 1) }).where('id', '=', d.webhookId).returning('failures').executeTakeFirst();
      if (!r || Number(r.failures) < d.disableAfter) return false;
      await db.updateTable('webhooks').set({ active: 0 }).where('id', '=', d.webhookId).execute();
      return true;
    },
    async log(webhookId: number, limit: number): Promise<DeliveryLogEntry[]> {
      const rows = await db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        id: Number(r.id),
        status: r.status,
        papers: Number(r.papers),
        attempts: Number(r.attempts),
        lastStatus: r.last_status === null ? undefined : Number(r.last_status),
        lastError: r.last_error ?? undefined,
        createdAt: r.created_at,
        deliveredAt: r.delivered_at ?? undefined,
      }));
    },
  };
}

export type WebhooksRepo = ReturnType<typeof webhooksRepo>;
