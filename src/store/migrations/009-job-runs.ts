// Scheduled runs, keyed by (job, scheduled time): the first node to claim a run does it, so N
// nodes sharing one database run each scheduled harvest, digest and retrain once.
import type { Migration } from './migration.ts';

export const jobRuns: Migration = {
  version: 9,
  name: 'job-runs',
  async up(db) {
    await db.schema
      .createTable('job_runs')
      .addColumn('job', 'text', (c) => c.notNull())
      .addColumn('scheduled_for', 'text', (c) => c.notNull()) // the cron's scheduled time, to the second (UTC): the same on every node
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('error', 'text')
      .addPrimaryKeyConstraint('job_runs_pk', ['job', 'scheduled_for'])
      .execute();
  },
};
