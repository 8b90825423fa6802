// Moving all data between databases (SQLite <-> PostgreSQL, or one host to another): export writes
// every table as JSON lines in an order that satisfies the foreign keys; import loads them into an
// empty database in one transaction (all or nothing) and brings identity sequences up to date.
// Derived data (the full-text index, paper_categories) is rebuilt by the target's own triggers.
import type { Kysely } from 'kysely';
import type { Dialect } from './dialect/dialect.ts';
import type { Schema } from './schema.ts';

/** Every table that holds data, parents before children; each with the columns that order it. */
export const TABLES: readonly [keyof Schema, string[]][] = [
  ['organizations', ['name']],
  ['users', ['id']],
  ['papers', ['seq']],
  ['paper_authors', ['name_key', 'paper_id']],
  ['paper_embeddings', ['id']],
  ['harvest_runs', ['key']],
  ['sessions', ['id_hash']],
  ['email_tokens', ['token_hash']],
  ['login_failures', ['key']],
  ['votes', ['user_id', 'paper_id']],
  ['submissions', ['paper_id']],
  ['comments', ['id']],
  ['reports', ['id']],
  ['org_members', ['org_name', 'user_id']],
  ['claims', ['id']],
  ['audit_log', ['id']],
  ['api_tokens', ['id']],
  ['outbox', ['id']],
  ['settings', ['key']],
  ['saved_filters', ['id']],
  ['subscriptions', ['id']],
  ['digests', ['id']],
  ['digest_papers', ['subscription_id', 'paper_id']],
  ['webhooks', ['id']],
  ['webhook_deliveries', ['id']],
  ['job_runs', ['job', 'scheduled_for']],
  ['rate_limits', ['key']],
];

/** Tables whose first key column is an engine-generated identity (sequences to bring up to date after import). */
const IDENTITY: Partial<Record<keyof Schema, string>> = {
  users: 'id', papers: 'seq', paper_embeddings: 'id', comments: 'id', reports: 'id', claims: 'id', audit_log: 'id',
  api_tokens: 'id', outbox: 'id', saved_filters: 'id', subscriptions: 'id', digests: 'id', webhooks: 'id', webhook_deliveries: 'id',
};

const PAGE = 2000;
export type ExportHeader = { format: 'paperboy-export'; schemaVersion: number; exportedAt: string };
export type ExportLine = { table: keyof Schema; row: Record<string, unknown> };

// biome-ignore lint/suspicious/noExplicitAny: tables are named at run time here
type AnyDb = Kysely<any>;

/** Bytes as {"$base64": …} so a line stays JSON; everything else as it is. */
const encode = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Uint8Array ? { $base64: Buffer.from(v).toString('base64') } : v]));
const decode = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v && typeof v === 'object' && '$base64' in v ? Buffer.from(String((v as { $base64: string }).$base64), 'base64') : v]),
  );

export async function* exportRows(dialect: Dialect): AsyncGenerator<ExportLine> {
  const db = dialect.db as AnyDb;
  for (const [table, order] of TABLES) {
    for (let offset = 0; ; offset += PAGE) {
      let q = db.selectFrom(table).selectAll();
      for (const c of order) q = q.orderBy(c);
      const rows = (await q.limit(PAGE).offset(offset).execute()) as Record<string, unknown>[];
      for (const row of rows) yield { table, row: encode(row) };
      if (rows.length < PAGE) break;
    }
  }
}

export class ImportError extends Error {}

/** Loads exported lines into this (migrated, empty) database, in one transaction. Returns rows per table. */
export async function importRows(dialect: Dialect, lines: AsyncIterable<ExportLine>): Promise<Record<string, number>> {
  const db = dialect.db as AnyDb;
  const known = new Set(TABLES.map(([t]) => t));
  for (const t of ['papers', 'users'] as const) {
    const n = await db.selectFrom(t).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    if (Number(n.n) > 0) throw new ImportError(`the target database already holds ${t}: import into an empty database (after \`paperboy migrate\`)`);
  }
  const counts: Record<string, number> = {};
  await db.transaction().execute(async (trx) => {
    let batch: Record<string, unknown>[] = [];
    let table: keyof Schema | undefined;
    const flush = async () => {
      if (table && batch.length) {
        // Rows per statement kept well under every engine's bound-parameter limit.
        const per = Math.max(1, Math.floor(30_000 / Object.keys(batch[0]!).length));
        for (let i = 0; i < batch.length; i += per) await trx.insertInto(table).values(batch.slice(i, i + per)).execute();
      }
      batch = [];
    };
    let n = 0;
    for await (const line of lines) {
      n++;
      if (!known.has(line.table)) throw new ImportError(`line ${n}: unknown table "${String(line.table).slice(0, 40)}"`);
      if (line.table !== table) {
        await flush();
        table = line.table;
      }
      // paper_categories is derived (the papers trigger fills it); older exports never carry it.
      batch.push(decode(line.row));
      counts[line.table] = (counts[line.table] ?? 0) + 1;
      if (batch.length >= PAGE) await flush();
    }
    await flush();
    for (const [t, col] of Object.entries(IDENTITY)) await dialect.resetIdentity(trx, t as keyof Schema, col);
  });
  return counts;
}
