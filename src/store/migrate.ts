// Applies pending migrations and tells whether a database's schema matches this code.
import { sql } from 'kysely';
import type { Dialect } from './dialect/dialect.ts';
import { MIGRATIONS } from './migrations/index.ts';

export type SchemaStatus =
  | { state: 'current'; version: number }
  | { state: 'empty' }
  | { state: 'behind'; version: number; pending: number[] }
  | { state: 'ahead'; version: number; known: number }
  | { state: 'unknown'; versions: number[] };

const LATEST = MIGRATIONS.at(-1)?.version ?? 0;

/** The tables of this database (on PostgreSQL: of the current schema; other schemas are other databases). */
async function ownTables(dialect: Dialect): Promise<string[]> {
  const tables = await dialect.db.introspection.getTables();
  if (dialect.engine !== 'postgres') return tables.map((t) => t.name);
  const { rows } = await sql<{ s: string }>`SELECT current_schema() AS s`.execute(dialect.db);
  return tables.filter((t) => t.schema === rows[0]?.s).map((t) => t.name);
}

async function appliedVersions(dialect: Dialect): Promise<number[] | undefined> {
  const tables = await ownTables(dialect);
  if (!tables.includes('schema_migrations')) return undefined;
  const rows = await dialect.db.selectFrom('schema_migrations').select('version').orderBy('version').execute();
  return rows.map((r) => Number(r.version));
}

export async function schemaStatus(dialect: Dialect): Promise<SchemaStatus> {
  const applied = await appliedVersions(dialect);
  if (applied === undefined || applied.length === 0) {
    const tables = await ownTables(dialect);
    return tables.length === 0 ? { state: 'empty' } : { state: 'unknown', versions: [] };
  }
  const known = new Set(MIGRATIONS.map((m) => m.version));
  const foreign = applied.filter((v) => !known.has(v));
  const version = Math.max(...applied);
  if (version > LATEST) return { state: 'ahead', version, known: LATEST };
  if (foreign.length > 0) return { state: 'unknown', versions: foreign };
  const pending = MIGRATIONS.map((m) => m.version).filter((v) => !applied.includes(v));
  return pending.length === 0 ? { state: 'current', version } : { state: 'behind', version, pending };
}

/** A sentence for the operator saying what is wrong with the schema and what to do, or undefined if usable. */
export function schemaProblem(s: SchemaStatus): string | undefined {
  switch (s.state) {
    case 'current':
      return undefined;
    case 'empty':
    case 'behind':
      return 'the database schema is not up to date: run `paperboy migrate` (or start with MIGRATE_ON_START=true)';
    case 'ahead':
      return `the database schema is at version ${s.version} but this paperboy knows only up to ${s.known}: upgrade paperboy, or point DATABASE_URL at another database`;
    case 'unknown':
      return `the database holds tables paperboy did not create${s.versions.length ? ` (unknown migrations ${s.versions.join(', ')})` : ''}: point DATABASE_URL at an empty or paperboy database`;
  }
}

/** Applies every pending migration, each in its own transaction. Returns the versions applied. */
export async function migrate(dialect: Dialect, nowIso: () => string): Promise<number[]> {
  return dialect.withMigrationLock(async () => {
    const status = await schemaStatus(dialect);
    if (status.state === 'ahead' || status.state === 'unknown') throw new Error(schemaProblem(status));
    await dialect.db.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const done = new Set((await appliedVersions(dialect)) ?? []);
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await dialect.db.transaction().execute(async (trx) => {
        await m.up(trx, dialect);
        await trx
          .insertInto('schema_migrations')
          .values({ version: m.version, name: m.name, applied_at: nowIso() })
          .execute();
      });
      applied.push(m.version);
    }
    if (dialect.engine === 'sqlite') await sql`PRAGMA optimize`.execute(dialect.db);
    return applied;
  });
}
