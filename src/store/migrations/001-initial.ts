// Papers, their authors, organizations and the full-text index.
import type { Migration } from './migration.ts';

export const initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db, dialect) {
    await db.schema
      .createTable('organizations')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('fullname', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('papers')
      .addColumn('seq', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('abstract', 'text', (c) => c.notNull())
      .addColumn('authors_json', 'text', (c) => c.notNull())
      .addColumn('author_count', 'integer', (c) => c.notNull())
      .addColumn('categories_json', 'text', (c) => c.notNull())
      .addColumn('primary_category', 'text')
      .addColumn('comment', 'text')
      .addColumn('journal_ref', 'text')
      .addColumn('doi', 'text')
      .addColumn('submitted_date', 'text')
      .addColumn('updated_date', 'text')
      .addColumn('version', 'integer')
      .addColumn('announced_date', 'text')
      .addColumn('featured_date', 'text', (c) => c.notNull())
      .addColumn('upvotes', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('github_repo', 'text')
      .addColumn('project_page', 'text')
      .addColumn('organization', 'text', (c) => c.references('organizations.name'))
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('modified_at', 'text', (c) => c.notNull())
      .execute();
    // Listings order ids on these alone (covering): newest first, and trending (votes and age).
    await db.schema.createIndex('papers_newest').on('papers').columns(['featured_date', 'id']).execute();
    await db.schema.createIndex('papers_trending').on('papers').columns(['featured_date', 'upvotes', 'id']).execute();
    await db.schema.createIndex('papers_org').on('papers').columns(['organization', 'featured_date', 'id']).execute();

    // Keyed for the author page's lookup; a paper's rows are found again through its authors_json.
    await dialect
      .clustered(
        db.schema
          .createTable('paper_authors')
          .addColumn('name_key', 'text', (c) => c.notNull())
          .addColumn('paper_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('paper_authors_pk', ['name_key', 'paper_id']),
      )
      .execute();

    await dialect.createFullText(db);
    await dialect.createFunctions(db);
  },
};
