// The joined hyphen compounds are stored with each paper (papers.compounds, computed in JavaScript
// at write time) instead of computed inside the engines: SQLite's index no longer calls back into
// JavaScript for every row it indexes (~1 s of the arxiv-sample's 75k), PostgreSQL's no longer needs
// the rule again as a regular expression, and an outside sqlite3 shell can read the index. Every
// paper gets its column filled and is indexed again.
import type { Migration } from './migration.ts';

export const storedCompounds: Migration = {
  version: 14,
  name: 'stored-compounds',
  async up(db, dialect) {
    await dialect.rebuildFullText(db);
  },
};
