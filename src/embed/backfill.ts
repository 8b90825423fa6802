// Embeds every paper that has no vector from the embedder's model (or whose text changed since),
// batch by batch, each batch committed: stopping and running again resumes where it stopped. And how
// far a model has got.
import type { Store } from '../store/store.ts';
import { type Embedder, paperText, vectorToBytes } from './embedder.ts';

export type EmbedProgress = (done: number, total: number) => void;

export async function embedPending(
  store: Store,
  embedder: Embedder,
  opts: { batchSize?: number; nowIso: () => string; onProgress?: EmbedProgress; signal?: AbortSignal },
): Promise<{ embedded: number }> {
  const batchSize = opts.batchSize ?? 256;
  const total = await store.embeddings.countPending(embedder.model);
  let done = 0;
  let afterSeq = 0;
  opts.onProgress?.(0, total);
  while (!opts.signal?.aborted) {
    const papers = await store.embeddings.pending(embedder.model, afterSeq, batchSize);
    if (papers.length === 0) break;
    const vectors = await embedder.embed(papers.map(paperText), 'document');
    const rows = papers.map((p, i) => ({ seq: p.seq, contentHash: p.contentHash, vector: vectorToBytes(vectors[i]!) }));
    await store.transaction((tx) => tx.embeddings.put(rows, embedder.model, opts.nowIso()));
    afterSeq = papers.at(-1)!.seq;
    done += papers.length;
    opts.onProgress?.(done, Math.max(total, done));
  }
  return { embedded: done };
}

/**
 * Once `model` has a vector for every paper, deletes the vectors of every other model (a finished
 * reindex); returns how many were deleted (0 while papers are still pending).
 */
export async function retireOtherModels(store: Store, model: string): Promise<number> {
  if ((await store.embeddings.countPending(model)) > 0) return 0;
  return store.embeddings.deleteOtherModels(model);
}

export type Coverage = {
  /** Vectors of this model in the store, and papers still without one. */
  vectors: number;
  pending: number;
  /** Vectors of other models in the store (unused; deleted once this model covers every paper). */
  otherModels: Map<string, number>;
  reindexNeeded: boolean;
};

/** How far `model` has embedded the store's papers. */
export async function coverage(store: Store, model: string): Promise<Coverage> {
  const otherModels = await store.embeddings.models();
  const vectors = otherModels.get(model) ?? 0;
  otherModels.delete(model);
  return { vectors, pending: await store.embeddings.countPending(model), otherModels, reindexNeeded: otherModels.size > 0 };
}
