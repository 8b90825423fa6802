// The claim both work queues share (the mail outbox and webhook deliveries): rows that are pending,
// due and not claimed by a live sender are claimed until a time, in one UPDATE … RETURNING, so two
// senders in one process or several never claim the same row (the outer condition is checked again
// on the row being updated; on PostgreSQL the inner select also skips rows another claim holds).
import type { Kysely, Selectable } from 'kysely';
import type { Db, Dialect } from './dialect/dialect.ts';
import type { Schema } from './schema.ts';

export type QueueTable = 'outbox' | 'webhook_deliveries';

export async function claimDue<T extends QueueTable>(
  db: Db,
  dialect: Dialect,
  table: T,
  o: { now: string; claimUntil: string; limit: number },
): Promise<Selectable<Schema[T]>[]> {
  // biome-ignore lint/suspicious/noExplicitAny: one query over either queue table (the same columns)
  const q = db as Kysely<any>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  type Eb = any;
  const name: string = table;
  const rows = (await q
    .updateTable(name)
    .set({ claimed_until: o.claimUntil })
    .where('id', 'in', (eb: Eb) =>
      dialect.skipLocked(
        eb
          .selectFrom(name)
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', o.now)
          .where((w: Eb) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<=', o.now)]))
          .orderBy('id')
          .limit(o.limit),
      ),
    )
    .where('status', '=', 'pending')
    .where((w: Eb) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<=', o.now)]))
    .returningAll()
    .execute()) as (Selectable<Schema[T]> & { id: number })[];
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}
