// Claims of scheduled runs: one row per (job, scheduled time), inserted by the node that runs it.
import type { Db } from './dialect/dialect.ts';

export type JobRun = { job: string; scheduledFor: string; node: string; startedAt: string; finishedAt: string | undefined; error: string | undefined };

export function jobsRepo(db: Db) {
  return {
    /** true when this node claimed the run; false when another node already has it. */
    async claim(job: string, scheduledFor: string, node: string, now: string): Promise<boolean> {
      const r = await db
        .insertInto('job_runs')
        .values({ job, scheduled_for: scheduledFor, node, started_at: now })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async finish(job: string, scheduledFor: string, now: string, error: string | undefined): Promise<void> {
      await db.updateTable('job_runs').set({ finished_at: now, error: error?.slice(0, 500) ?? null }).where('job', '=', job).where('scheduled_for', '=', scheduledFor).execute();
    },
    async recent(job: string, limit: number): Promise<JobRun[]> {
      const rows = await db.selectFrom('job_runs').selectAll().where('job', '=', job).orderBy('scheduled_for', 'desc').limit(limit).execute();
      return rows.map((r) => ({ job: r.job, scheduledFor: r.scheduled_for, node: r.node, startedAt: r.started_at, finishedAt: r.finished_at ?? undefined, error: r.error ?? undefined }));
    },
    /** Forgets runs older than `before` (the table would otherwise grow by a row a minute per job). */
    async prune(before: string): Promise<void> {
      await db.deleteFrom('job_runs').where('scheduled_for', '<', before).execute();
    },
  };
}

export type JobsRepo = ReturnType<typeof jobsRepo>;
