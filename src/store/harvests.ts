// Harvest checkpoints, one row per harvest (source + parameters).
import type { Db } from './dialect/dialect.ts';

export type HarvestStatus = 'running' | 'done' | 'failed';
export type HarvestRun = {
  key: string;
  source: string;
  params: Record<string, unknown>;
  cursor: string | undefined;
  status: HarvestStatus;
  pages: number;
  records: number;
  error: string | undefined;
  startedAt: string;
  updatedAt: string;
};

export function harvestsRepo(db: Db) {
  return {
    async get(key: string): Promise<HarvestRun | undefined> {
      const r = await db.selectFrom('harvest_runs').selectAll().where('key', '=', key).executeTakeFirst();
      if (!r) return undefined;
      return {
        key: r.key,
        source: r.source,
        params: JSON.parse(r.params_json) as Record<string, unknown>,
        cursor: r.cursor ?? undefined,
        status: r.status as HarvestStatus,
        pages: Number(r.pages),
        records: Number(r.records),
        error: r.error ?? undefined,
        startedAt: r.started_at,
        updatedAt: r.updated_at,
      };
    },

    async save(run: HarvestRun): Promise<void> {
      const row = {
        key: run.key,
        source: run.source,
        params_json: JSON.stringify(run.params),
        cursor: run.cursor ?? null,
        status: run.status,
        pages: run.pages,
        records: run.records,
        error: run.error ?? null,
        started_at: run.startedAt,
        updated_at: run.updatedAt,
      };
      await db
        .insertInto('harvest_runs')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet(row))
        .execute();
    },

    /** The newest finished harvest of a source, for the daily job's next window. */
    async lastDone(source: string): Promise<HarvestRun | undefined> {
      const r = await db
        .selectFrom('harvest_runs')
        .select('key')
        .where('source', '=', source)
        .where('status', '=', 'done')
        .orderBy('updated_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r ? this.get(r.key) : undefined;
    },
  };
}

export type HarvestsRepo = ReturnType<typeof harvestsRepo>;
