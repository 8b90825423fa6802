// Paper embeddings: one vector per paper, under the name of the model that made it. `id` grows with
// every write, so a vector index in memory catches up by reading the rows above the last id it saw.
import type { Migration } from './migration.ts';

export const embeddings: Migration = {
  version: 5,
  name: 'embeddings',
  async up(db, dialect) {
    await db.schema
      .createTable('paper_embeddings')
      .addColumn('id', 'integer', (c) => dialect.serialPrimaryKey(c))
      .addColumn('seq', 'integer', (c) => c.notNull().unique())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull()) // the paper's content_hash when embedded
      .addColumn('vector', dialect.binaryType, (c) => c.notNull()) // float32 little-endian
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('paper_embeddings_model_id').on('paper_embeddings').columns(['model', 'id']).execute();
  },
};
