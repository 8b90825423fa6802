// The full-text index also holds the joined form of every hyphenated word ("pre-trained" ->
// "pretrained", domain/compounds.ts), so searching the closed form finds papers that hyphenate it.
// Every paper is indexed again (SQLite: ~10 s for 75,000 papers).
import type { Migration } from './migration.ts';

export const hyphenCompounds: Migration = {
  version: 12,
  name: 'hyphen-compounds',
  async up(db, dialect) {
    await dialect.rebuildFullText(db);
  },
};
