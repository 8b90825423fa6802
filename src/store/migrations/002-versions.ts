// Versions, affiliations, withdrawal and deletion: what the arXiv formats (Atom, OAI-PMH, the
// metadata snapshot) tell beyond the first schema.
import type { Migration } from './migration.ts';

export const versions: Migration = {
  version: 2,
  name: 'versions',
  async up(db) {
    await db.schema.alterTable('papers').addColumn('versions_json', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    await db.schema.alterTable('papers').addColumn('affiliations_json', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    await db.schema.alterTable('papers').addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('papers').addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
