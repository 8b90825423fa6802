// Harvest checkpoints: where each harvest (source + parameters) got to, so a crash or Ctrl-C resumes.
import type { Migration } from './migration.ts';

export const harvestRuns: Migration = {
  version: 3,
  name: 'harvest-runs',
  async up(db) {
    await db.schema
      .createTable('harvest_runs')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('params_json', 'text', (c) => c.notNull())
      .addColumn('cursor', 'text') // OAI-PMH resumptionToken, or the API's next start offset
      .addColumn('status', 'text', (c) => c.notNull()) // running | done | failed
      .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('records', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
