// Tables whose rows anonymous pages show. Where another process can change them unseen (PostgreSQL
// nodes), the engine announces every committed change to them, and each node's page cache drops
// its entries at once instead of serving them until PAGE_CACHE_SECONDS ends.
import type { Schema } from '../schema.ts';
import type { Migration } from './migration.ts';

export const PUBLIC_TABLES: readonly (keyof Schema)[] = [
  'papers',
  'paper_authors',
  'paper_categories',
  'organizations',
  'org_members',
  'users',
  'submissions',
  'comments',
  'claims',
];

export const changeNotices: Migration = {
  version: 11,
  name: 'change-notices',
  async up(db, dialect) {
    await dialect.announceChanges(db, PUBLIC_TABLES);
  },
};
