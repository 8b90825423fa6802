// Categories as rows, so a cat: filter is an index range instead of a scan of every paper's JSON.
import type { Migration } from './migration.ts';

export const paperCategories: Migration = {
  version: 4,
  name: 'paper-categories',
  async up(db, dialect) {
    await dialect
      .clustered(
        db.schema
          .createTable('paper_categories')
          .addColumn('category', 'text', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('paper_categories_pk', ['category', 'seq']),
      )
      .execute();
    await dialect.createCategoryIndex(db);
  },
};
