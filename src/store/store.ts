// The Store: the one data-access object the rest of paperboy holds. Opens the engine named by a
// database URL, runs migrations, and groups the repositories; transaction() hands out the same
// repositories bound to one transaction.
import type { Kysely } from 'kysely';
import type { Db, Dialect } from './dialect/dialect.ts';
import { openPostgres } from './dialect/postgres.ts';
import { openSqlite } from './dialect/sqlite.ts';
import { migrate, type SchemaStatus, schemaProblem, schemaStatus } from './migrate.ts';
import { type EmbeddingsRepo, embeddingsRepo } from './embeddings.ts';
import { type HarvestsRepo, harvestsRepo } from './harvests.ts';
import { type JobsRepo, jobsRepo } from './jobs.ts';
import { type RateLimitsRepo, rateLimitsRepo } from './rate-limits.ts';
import { type OrganizationsRepo, organizationsRepo } from './organizations.ts';
import { type CommentsRepo, commentsRepo } from './comments.ts';
import { type ModerationRepo, moderationRepo } from './moderation.ts';
import { type OutboxRepo, outboxRepo } from './outbox.ts';
import { type PapersRepo, papersRepo } from './papers.ts';
import { type SubscriptionsRepo, subscriptionsRepo } from './subscriptions.ts';
import { type UsersRepo, usersRepo } from './users.ts';
import { type WebhooksRepo, webhooksRepo } from './webhooks.ts';
import { type VotesRepo, votesRepo } from './votes.ts';
import { type SubmissionsRepo, submissionsRepo } from './submissions.ts';
import type { Schema } from './schema.ts';
import { type ExportLine, exportRows, importRows } from './transfer.ts';

export type Repos = {
  papers: PapersRepo;
  organizations: OrganizationsRepo;
  harvests: HarvestsRepo;
  embeddings: EmbeddingsRepo;
  users: UsersRepo;
  votes: VotesRepo;
  submissions: SubmissionsRepo;
  comments: CommentsRepo;
  moderation: ModerationRepo;
  outbox: OutboxRepo;
  subscriptions: SubscriptionsRepo;
  webhooks: WebhooksRepo;
  jobs: JobsRepo;
  rateLimits: RateLimitsRepo;
};

export type Store = Repos & {
  readonly engine: Dialect['engine'];
  /**
   * The same repositories over the read replica (DATABASE_READ_URL), or over the primary when there is
   * none: for reads that may lag the primary by a moment (anonymous pages, search). Never write here.
   */
  readonly replica: Repos;
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /** Changes whenever committed data may have changed, from this process or another: a cache key. */
  dataVersion(): string;
  schemaStatus(): Promise<SchemaStatus>;
  /** Applies pending migrations; returns the versions applied. */
  migrate(nowIso: () => string): Promise<number[]>;
  /** Every row of every table, parents first (paperboy export). */
  exportRows(): AsyncGenerator<ExportLine>;
  /** Loads exported rows into this empty database, all or nothing (paperboy import). */
  importRows(lines: AsyncIterable<ExportLine>): Promise<Record<string, number>>;
  /** An online copy into a file where the engine can (SQLite); undefined elsewhere. */
  backup: ((file: string) => Promise<void>) | undefined;
  close(): Promise<void>;
};

export type DatabaseLocation = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string; readUrl?: string };

const FACTORIES: { [K in keyof Repos]: (db: Db, dialect: Dialect) => Repos[K] } = {
  papers: papersRepo,
  organizations: organizationsRepo,
  harvests: harvestsRepo,
  embeddings: embeddingsRepo,
  users: usersRepo,
  votes: votesRepo,
  submissions: submissionsRepo,
  comments: commentsRepo,
  moderation: moderationRepo,
  outbox: outboxRepo,
  subscriptions: subscriptionsRepo,
  webhooks: webhooksRepo,
  jobs: jobsRepo,
  rateLimits: rateLimitsRepo,
};

/** The repositories over one connection or transaction, each built on first use (a vote's transaction needs one of nine). */
function repos(db: Db, dialect: Dialect): Repos {
  const out = {} as Repos;
  for (const name of Object.keys(FACTORIES) as (keyof Repos)[]) {
    Object.defineProperty(out, name, {
      enumerable: true,
      get() {
        const value = FACTORIES[name](db, dialect);
        Object.defineProperty(out, name, { value, enumerable: true });
        return value;
      },
      configurable: true,
    });
  }
  return out;
}

export function createStore(dialect: Dialect): Store {
  const db: Kysely<Schema> = dialect.db;
  let commits = 0;
  const primary = repos(db, dialect);
  return {
    engine: dialect.engine,
    ...primary,
    replica: dialect.replicaDb ? repos(dialect.replicaDb, dialect) : primary,
    async transaction(fn) {
      try {
        return await db.transaction().execute((trx) => fn(repos(trx, dialect)));
      } finally {
        commits++; // after commit or rollback: a cache keyed on this can only be invalidated too often
      }
    },
    dataVersion: () => `${dialect.externalChanges()}.${commits}`,
    schemaStatus: () => schemaStatus(dialect),
    migrate: (nowIso) => migrate(dialect, nowIso),
    exportRows: () => exportRows(dialect),
    importRows: (lines) => importRows(dialect, lines),
    backup: dialect.backup && ((file) => dialect.backup!(file)),
    close: () => dialect.close(),
  };
}

export function openStore(loc: DatabaseLocation): Store {
  return createStore(loc.engine === 'sqlite' ? openSqlite(loc.path) : openPostgres(loc.url, loc.readUrl));
}

/** The database cannot be used by this version of paperboy; the message says what to do. */
export class SchemaError extends Error {}

/**
 * Opens the store and makes sure its schema is usable: applies pending migrations when `migrate` is
 * set, otherwise (or when the schema is newer or foreign) throws a SchemaError saying what to do.
 */
export async function openReadyStore(
  loc: DatabaseLocation,
  opts: { migrate: boolean; nowIso: () => string },
): Promise<{ store: Store; applied: number[] }> {
  const store = openStore(loc);
  try {
    const status = await store.schemaStatus();
    const problem = schemaProblem(status);
    if (!problem) return { store, applied: [] };
    if (!opts.migrate || (status.state !== 'empty' && status.state !== 'behind')) throw new SchemaError(problem);
    return { store, applied: await store.migrate(opts.nowIso) };
  } catch (e) {
    await store.close();
    throw e;
  }
}
