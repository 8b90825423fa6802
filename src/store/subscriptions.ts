// Saved filters, email digest subscriptions and the digests decided for them. A digest is recorded
// once per (subscription, period) and every paper it sends once per subscription: the unique keys
// make "never the same period twice, never the same paper twice" hold across processes.
import type { Selectable } from 'kysely';
import type { Db } from './dialect/dialect.ts';
import type { SubscriptionsTable } from './schema.ts';

export type SavedFilter = { id: number; userId: number; name: string; query: string; feedToken: string; createdAt: string };
export type SubscriptionStatus = 'pending' | 'active' | 'unsubscribed' | 'bouncing';
export type Frequency = 'daily' | 'weekly';
export type Subscription = {
  id: number;
  email: string;
  userId: number | undefined;
  status: SubscriptionStatus;
  frequency: Frequency;
  /** 1 = Monday … 7 = Sunday: the day a weekly digest goes out. */
  weekday: number;
  /** Local hour of delivery, 0-23. */
  hour: number;
  timeZone: string;
  query: string;
  nextDueAt: string;
  bounces: number;
  createdAt: string;
};
export type SubscriptionSettings = Pick<Subscription, 'frequency' | 'weekday' | 'hour' | 'timeZone' | 'query'>;

const toSubscription = (r: Selectable<SubscriptionsTable>): Subscription => ({
  id: Number(r.id),
  email: r.email,
  userId: r.user_id === null ? undefined : Number(r.user_id),
  status: r.status as SubscriptionStatus,
  frequency: r.frequency as Frequency,
  weekday: Number(r.weekday),
  hour: Number(r.hour),
  timeZone: r.time_zone,
  query: r.query,
  nextDueAt: r.next_due_at,
  bounces: Number(r.bounces),
  createdAt: r.created_at,
});

/** Consecutive permanent failures after which an address is marked bouncing (its digests pause). */
export const BOUNCE_LIMIT = 3;

export function subscriptionsRepo(db: Db) {
  return {
    // ---- saved filters ----
    async addFilter(f: { userId: number; name: string; query: string; feedToken: string; now: string }): Promise<number> {
      const r = await db.insertInto('saved_filters').values({ user_id: f.userId, name: f.name, query: f.query, feed_token: f.feedToken, created_at: f.now }).returning('id').executeTakeFirstOrThrow();
      return Number(r.id);
    },
    async filtersOf(userId: number): Promise<SavedFilter[]> {
      const rows = await db.selectFrom('saved_filters').selectAll().where('user_id', '=', userId).orderBy('id').execute();
      return rows.map((r) => ({ id: Number(r.id), userId: Number(r.user_id), name: r.name, query: r.query, feedToken: r.feed_token, createdAt: r.created_at }));
    },
    async filterByToken(token: string): Promise<SavedFilter | undefined> {
      const r = await db.selectFrom('saved_filters').selectAll().where('feed_token', '=', token).executeTakeFirst();
      return r && { id: Number(r.id), userId: Number(r.user_id), name: r.name, query: r.query, feedToken: r.feed_token, createdAt: r.created_at };
    },
    async filterById(id: number): Promise<SavedFilter | undefined> {
      const r = await db.selectFrom('saved_filters').selectAll().where('id', '=', id).executeTakeFirst();
      return r && { id: Number(r.id), userId: Number(r.user_id), name: r.name, query: r.query, feedToken: r.feed_token, createdAt: r.created_at };
    },
    async deleteFilter(userId: number, id: number): Promise<boolean> {
      const r = await db.deleteFrom('saved_filters').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    // ---- subscriptions ----
    async create(s: SubscriptionSettings & { email: string; userId: number | undefined; status: SubscriptionStatus; confirmHash: string | null; nextDueAt: string; now: string }): Promise<number> {
      const r = await db
        .insertInto('subscriptions')
        .values({
          email: s.email,
          user_id: s.userId ?? null,
          status: s.status,
          frequency: s.frequency,
          weekday: s.weekday,
          hour: s.hour,
          time_zone: s.timeZone,
          query: s.query,
          confirm_hash: s.confirmHash,
          next_due_at: s.nextDueAt,
          created_at: s.now,
          confirmed_at: s.status === 'active' ? s.now : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
    async byId(id: number): Promise<Subscription | undefined> {
      const r = await db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toSubscription(r);
    },
    /** A user's subscriptions: made while signed in, or to their confirmed address. */
    async ofUser(userId: number, verifiedEmail: string | undefined): Promise<Subscription[]> {
      const rows = await db
        .selectFrom('subscriptions')
        .selectAll()
        .where((eb) => (verifiedEmail ? eb.or([eb('user_id', '=', userId), eb('email', '=', verifiedEmail)]) : eb('user_id', '=', userId)))
        .orderBy('id')
        .execute();
      return rows.map(toSubscription);
    },
    /** Activates the pending subscription with this confirmation hash (once). */
    async confirm(confirmHash: string, nextDueAt: string, now: string): Promise<Subscription | undefined> {
      const r = await db
        .updateTable('subscriptions')
        .set({ status: 'active', confirm_hash: null, confirmed_at: now, next_due_at: nextDueAt })
        .where('confirm_hash', '=', confirmHash)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      return r && toSubscription(r);
    },
    async update(id: number, s: SubscriptionSettings, nextDueAt: string): Promise<void> {
      await db
        .updateTable('subscriptions')
        .set({ frequency: s.frequency, weekday: s.weekday, hour: s.hour, time_zone: s.timeZone, query: s.query, next_due_at: nextDueAt })
        .where('id', '=', id)
        .execute();
    },
    async setStatus(id: number, status: SubscriptionStatus): Promise<void> {
      await db.updateTable('subscriptions').set({ status, ...(status === 'active' ? { bounces: 0 } : {}) }).where('id', '=', id).execute();
    },
    /** Active subscriptions due at `now`, soonest first. */
    async due(now: string, limit: number): Promise<Subscription[]> {
      return (await db.selectFrom('subscriptions').selectAll().where('status', '=', 'active').where('next_due_at', '<=', now).orderBy('next_due_at').orderBy('id').limit(limit).execute()).map(toSubscription);
    },
    /**
     * Records the digest of one period (papers = 0: skipped, nothing new) with its papers, and moves
     * the subscription to its next due time. false when this period was already decided (by another
     * process): the caller's transaction must then be rolled back.
     */
    async recordDigest(d: { subscriptionId: number; period: string; paperIds: string[]; outboxId: number | undefined; nextDueAt: string; now: string }): Promise<boolean> {
      const r = await db
        .insertInto('digests')
        .values({ subscription_id: d.subscriptionId, period: d.period, papers: d.paperIds.length, outbox_id: d.outboxId ?? null, created_at: d.now })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!r) return false;
      if (d.paperIds.length) {
        await db.insertInto('digest_papers').values(d.paperIds.map((paper_id) => ({ subscription_id: d.subscriptionId, paper_id, digest_id: Number(r.id) }))).execute();
      }
      await db.updateTable('subscriptions').set({ next_due_at: d.nextDueAt }).where('id', '=', d.subscriptionId).execute();
      return true;
    },
    /** Moves a subscription on without a digest (its period was decided elsewhere). */
    async setNextDue(id: number, nextDueAt: string): Promise<void> {
      await db.updateTable('subscriptions').set({ next_due_at: nextDueAt }).where('id', '=', id).execute();
    },
    /** Which of these papers this subscription has already been sent. */
    async sentAmong(subscriptionId: number, paperIds: string[]): Promise<Set<string>> {
      if (paperIds.length === 0) return new Set();
      const rows = await db.selectFrom('digest_papers').select('paper_id').where('subscription_id', '=', subscriptionId).where('paper_id', 'in', paperIds).execute();
      return new Set(rows.map((r) => r.paper_id));
    },
    async digestsOf(subscriptionId: number): Promise<{ period: string; papers: number }[]> {
      const rows = await db.selectFrom('digests').select(['period', 'papers']).where('subscription_id', '=', subscriptionId).orderBy('id').execute();
      return rows.map((r) => ({ period: r.period, papers: Number(r.papers) }));
    },
    /** A permanent delivery failure to this address: after BOUNCE_LIMIT its subscriptions pause. */
    async recordBounce(email: string): Promise<void> {
      await db.updateTable('subscriptions').set({ bounces: (eb) => eb('bounces', '+', 1) }).where('email', '=', email).where('status', '=', 'active').execute();
      await db.updateTable('subscriptions').set({ status: 'bouncing' }).where('email', '=', email).where('status', '=', 'active').where('bounces', '>=', BOUNCE_LIMIT).execute();
    },
  };
}

export type SubscriptionsRepo = ReturnType<typeof subscriptionsRepo>;
