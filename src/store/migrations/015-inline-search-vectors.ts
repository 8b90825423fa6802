// PostgreSQL keeps each paper's tsvector compressed in its row instead of in the TOAST table, where
// ranking a common word's matches read every one of them from (twice as slow: see the dialect's
// keepFullTextInline). SQLite's index is unchanged.
import type { Migration } from './migration.ts';

export const inlineSearchVectors: Migration = {
  version: 15,
  name: 'inline-search-vectors',
  async up(db, dialect) {
    await dialect.keepFullTextInline(db);
  },
};
