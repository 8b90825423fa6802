// A paper may have one vector per model (unique (model, seq) instead of unique (seq)), so a new model
// can embed every paper while the current one keeps serving, and take over only when it is complete.
// The table is rebuilt: SQLite cannot drop a column's UNIQUE constraint in place. Its ids now never
// repeat (a replaced vector of the newest paper used to get the id of the row it replaced, which a
// reader that had seen that id would miss).
import { sql } from 'kysely';
import type { Migration } from './migration.ts';

export const embeddingsPerModel: Migration = {
  version: 6,
  name: 'embeddings-per-model',
  async up(db, dialect) {
    await db.schema
      .createTable('paper_embeddings_next')
      .addColumn('id', 'integer', (c) => dialect.increasingPrimaryKey(c))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('vector', dialect.binaryType, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await sql`INSERT INTO paper_embeddings_next (id, seq, model, content_hash, vector, created_at)
      SELECT id, seq, model, content_hash, vector, created_at FROM paper_embeddings`.execute(db);
    await db.schema.dropTable('paper_embeddings').execute();
    await db.schema.alterTable('paper_embeddings_next').renameTo('paper_embeddings').execute();
    await db.schema.createIndex('paper_embeddings_model_seq').unique().on('paper_embeddings').columns(['model', 'seq']).execute();
    await db.schema.createIndex('paper_embeddings_model_id').on('paper_embeddings').columns(['model', 'id']).execute();
  },
};
