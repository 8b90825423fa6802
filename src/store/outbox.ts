// The mail outbox: a message is written here in the same transaction as the change that causes it
// and sent after commit by a sender that claims rows (so a crash never loses one, and two senders
// never send the same one). Also the site's settings (the signing secret).
import type { Db, Dialect } from './dialect/dialect.ts';
import { claimDue } from './queue.ts';

export type OutgoingMessage = { subject: string; text: string; html?: string; headers?: Record<string, string> };
export type OutboxItem = { id: number; kind: string; to: string; message: OutgoingMessage; attempts: number };

export function outboxRepo(db: Db, dialect: Dialect) {
  return {
    async enqueue(m: { kind: string; to: string; message: OutgoingMessage; now: string }): Promise<number> {
      const r = await db
        .insertInto('outbox')
        .values({ kind: m.kind, recipient: m.to, message_json: JSON.stringify(m.message), status: 'pending', next_attempt_at: m.now, created_at: m.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
    /** Claims up to `limit` due messages until `claimUntil` (a sender that dies lets them fall due again). */
    async claim(now: string, claimUntil: string, limit: number): Promise<OutboxItem[]> {
      const rows = await claimDue(db, dialect, 'outbox', { now, claimUntil, limit });
      return rows.map((r) => ({ id: Number(r.id), kind: r.kind, to: r.recipient, message: JSON.parse(r.message_json) as OutgoingMessage, attempts: Number(r.attempts) }));
    },
    /** Takes back a message not yet claimed (its cause was rolled back in the caller's transaction). */
    async remove(id: number): Promise<void> {
      await db.deleteFrom('outbox').where('id', '=', id).where('status', '=', 'pending').execute();
    },
    async markSent(id: number, now: string): Promise<void> {
      await db.updateTable('outbox').set({ status: 'sent', sent_at: now, claimed_until: null, attempts: (eb) => eb('attempts', '+', 1) }).where('id', '=', id).execute();
    },
    /** A failure: retry at `retryAt`, or give up (status failed) when retryAt is undefined. */
    async markFailed(id: number, error: string, retryAt: string | undefined): Promise<void> {
      await db
        .updateTable('outbox')
        .set({
          status: retryAt ? 'pending' : 'failed',
          next_attempt_at: retryAt ?? '9999-12-31T00:00:00.000Z',
          claimed_until: null,
          last_error: error.slice(0, 500),
          attempts: (eb) => eb('attempts', '+', 1),
        })
        .where('id', '=', id)
        .execute();
    },
    async counts(): Promise<Record<string, number>> {
      const rows = await db.selectFrom('outbox').select(['status', (e) => e.fn.countAll().as('n')]).groupBy('status').execute();
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },

    // ---- settings ----
    async setting(key: string): Promise<string | undefined> {
      return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
    },
    /** Stores the value unless the key exists; returns the value in force (another process may have won). */
    async settingOrInit(key: string, value: string): Promise<string> {
      await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.doNothing()).execute();
      return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow()).value;
    },
  };
}

export type OutboxRepo = ReturnType<typeof outboxRepo>;
