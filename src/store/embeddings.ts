// Paper embeddings: which papers still need a vector from a model, storing vectors, and reading them
// back in write order for an in-memory index to catch up. Each model keeps its own vectors, so a new
// model can embed everything while the current one serves; the old one's are deleted after the switch.
import type { Db } from './dialect/dialect.ts';

export type EmbeddingRow = { id: number; seq: number; vector: Uint8Array };
export type PaperToEmbed = { seq: number; id: string; title: string; abstract: string; contentHash: string };

export function embeddingsRepo(db: Db) {
  const pendingQuery = (model: string) =>
    db
      .selectFrom('papers as p')
      .leftJoin('paper_embeddings as e', (j) => j.onRef('e.seq', '=', 'p.seq').on('e.model', '=', model))
      .where((w) => w.or([w('e.seq', 'is', null), w('e.content_hash', '<>', w.ref('p.content_hash'))]));

  return {
    /** Papers with no vector from `model`, or one made before their text last changed; by seq. */
    async pending(model: string, afterSeq: number, limit: number): Promise<PaperToEmbed[]> {
      const rows = await pendingQuery(model)
        .select(['p.seq', 'p.id', 'p.title', 'p.abstract', 'p.content_hash'])
        .where('p.seq', '>', afterSeq)
        .orderBy('p.seq')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ seq: Number(r.seq), id: r.id, title: r.title, abstract: r.abstract, contentHash: r.content_hash }));
    },

    async countPending(model: string): Promise<number> {
      const r = await pendingQuery(model).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Stores vectors of `model`, replacing its earlier vectors of the same papers. */
    async put(rows: { seq: number; contentHash: string; vector: Uint8Array }[], model: string, nowIso: string): Promise<void> {
      if (rows.length === 0) return;
      await db
        .deleteFrom('paper_embeddings')
        .where('model', '=', model)
        .where('seq', 'in', rows.map((r) => r.seq))
        .execute();
      for (let i = 0; i < rows.length; i += 200) {
        await db
          .insertInto('paper_embeddings')
          .values(rows.slice(i, i + 200).map((r) => ({ seq: r.seq, model, content_hash: r.contentHash, vector: r.vector, created_at: nowIso })))
          .execute();
      }
    },

    /** Vectors of `model` written after row `afterId`, oldest first. */
    async since(model: string, afterId: number, limit: number): Promise<EmbeddingRow[]> {
      const rows = await db
        .selectFrom('paper_embeddings')
        .select(['id', 'seq', 'vector'])
        .where('model', '=', model)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: Number(r.id), seq: Number(r.seq), vector: r.vector }));
    },

    /** Deletes every vector of every model but `keep`; returns how many. */
    async deleteOtherModels(keep: string): Promise<number> {
      const r = await db.deleteFrom('paper_embeddings').where('model', '<>', keep).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    /** How many vectors each model has. */
    async models(): Promise<Map<string, number>> {
      const rows = await db.selectFrom('paper_embeddings').select(['model', (e) => e.fn.countAll().as('n')]).groupBy('model').execute();
      return new Map(rows.map((r) => [r.model, Number(r.n)]));
    },
  };
}

export type EmbeddingsRepo = ReturnType<typeof embeddingsRepo>;
