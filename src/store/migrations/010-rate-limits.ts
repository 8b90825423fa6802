// Rate-limit counters shared by every node (used on PostgreSQL; one SQLite process counts in memory).
import type { Migration } from './migration.ts';

export const rateLimits: Migration = {
  version: 10,
  name: 'rate-limits',
  async up(db) {
    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (c) => c.primaryKey()) // who (user or address) and which limit
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('reset_at', 'bigint', (c) => c.notNull()) // epoch ms when the window ends
      .execute();
  },
};
