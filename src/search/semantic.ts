// Semantic retrieval: the configured embedder plus an in-memory vector index kept in step with the
// vectors stored for that model. The index catches up by reading rows written since it last looked
// (every write gets a higher id), so ingest in another process shows up without a restart. Vectors
// of any other model are never loaded: after a model change, `status()` says a reindex is needed.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type Coverage, coverage, embedPending } from '../embed/backfill.ts';
import { bytesToVector, dot, type Embedder, paperText } from '../embed/embedder.ts';
import type { PaperFilters } from '../domain/paper.ts';
import type { Store } from '../store/store.ts';
import { hasFilters } from './query.ts';
import { exactIndex, HNSW_DEFAULTS, type ExactIndex, type HnswIndex, hnswIndex } from './vectors.ts';

export type SemanticOptions = {
  /** exact below this many vectors, HNSW from there on. */
  annThreshold: number;
  /** Where an HNSW index is saved between runs (undefined = rebuilt at every start). */
  indexFile: string | undefined;
  /** Shortest time between two looks for new vectors. */
  refreshMs: number;
};

export type SemanticStatus = Coverage & {
  model: string;
  dimensions: number;
  index: 'exact' | 'hnsw';
};

export type Semantic = {
  readonly embedder: Embedder;
  /**
   * Papers nearest in meaning to the text, passing the filters (paper id and cosine), and the cosine
   * of the text with each of `alsoScore` that has a vector (for fusing with another ranking).
   */
  search(
    text: string,
    k: number,
    filters: PaperFilters,
    alsoScore?: string[],
  ): Promise<{ hits: { id: string; score: number }[]; scores: Map<string, number> }>;
  /** Papers nearest to a paper (by its stored vector), itself excluded. */
  neighbours(paperId: string, k: number): Promise<{ id: string; score: number }[]>;
  status(): Promise<SemanticStatus>;
  /** Loads vectors written since the last look; returns how many. */
  refresh(): Promise<number>;
  /** Embeds the papers that have no vector yet (once at a time; stopped by close()); returns how many. */
  embedPending(): Promise<number>;
  /** Stops a running embedPending and waits for it. */
  close(): Promise<void>;
};

const READ_BATCH = 5000;
const NO_FILTERS: PaperFilters = {
  authors: [],
  categories: [],
  orgs: [],
  since: undefined,
  until: undefined,
};
/** Candidates fetched per wanted result when filters may drop some. */
const FILTER_OVERFETCH = 8;
/** Most nearest neighbours looked at for one filtered query. */
const MAX_CANDIDATES = 5000;

export function createSemantic(store: Store, embedder: Embedder, opts: SemanticOptions): Semantic {
  const model = embedder.model;
  const indexFile = opts.indexFile;
  const metaFile = `${indexFile}.json`;
  let index: ExactIndex | HnswIndex = exactIndex(embedder.dimensions);
  let lastId = 0;
  let savedId = 0;
  // A saved HNSW index of this model picks up where it was saved.
  if (indexFile && existsSync(indexFile) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { model: string; lastId: number };
    if (meta.model === model) {
      index = hnswIndex(embedder.dimensions, HNSW_DEFAULTS, indexFile);
      lastId = savedId = meta.lastId;
    }
  }
  let checkedAt = Number.NEGATIVE_INFINITY;
  let refreshing: Promise<number> | undefined;
  let embedding: Promise<number> | undefined;
  const stop = new AbortController();
  /** Work close() waits for, so the store is not closed under it. */
  const busy = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    busy.add(p);
    void p.finally(() => busy.delete(p)).catch(() => {});
    return p;
  };

  const toHnsw = (from: ExactIndex): HnswIndex => {
    const h = hnswIndex(embedder.dimensions);
    const keys = [...from.keys()];
    h.upsertMany(
      keys,
      keys.map((k) => from.vector(k)!),
    );
    return h;
  };

  async function catchUp(): Promise<number> {
    let added = 0;
    for (;;) {
      const rows = await store.embeddings.since(model, lastId, READ_BATCH);
      index.upsertMany(
        rows.map((r) => r.seq),
        rows.map((r) => bytesToVector(r.vector)),
      );
      added += rows.length;
      if (rows.length > 0) lastId = rows.at(-1)!.id;
      if (index.kind === 'exact' && index.size() >= opts.annThreshold) index = toHnsw(index);
      if (rows.length < READ_BATCH) break;
    }
    if (index.kind === 'hnsw' && indexFile && lastId !== savedId) {
      index.save(`${indexFile}.tmp`);
      renameSync(`${indexFile}.tmp`, indexFile);
      writeFileSync(metaFile, JSON.stringify({ model, lastId }));
      savedId = lastId;
    }
    return added;
  }

  const refresh = (force = false): Promise<number> => {
    if (!force && Date.now() - checkedAt < opts.refreshMs) return Promise.resolve(0);
    checkedAt = Date.now();
    refreshing ??= catchUp().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  async function nearest(v: Float32Array, k: number, filters: PaperFilters, exclude?: number) {
    await refresh();
    const filtered = hasFilters(filters);
    let want = k + 1;
    for (;;) {
      const fetch = Math.min(filtered ? want * FILTER_OVERFETCH : want, MAX_CANDIDATES);
      const hits = index.search(v, fetch).filter((h) => h.key !== exclude);
      const ids = await store.papers.idsForSeqs(
        hits.map((h) => h.key),
        filters,
      );
      const out = hits.flatMap((h) => (ids.has(h.key) ? [{ id: ids.get(h.key)!, score: h.score }] : []));
      // A narrow filter can leave too few: widen the net, up to MAX_CANDIDATES (a filter that rare
      // gets fewer matches by meaning; its matches by words are complete).
      if (out.length >= k || fetch >= MAX_CANDIDATES || fetch >= index.size()) return out.slice(0, k);
      want *= 4;
    }
  }

  return {
    embedder,
    async search(text, k, filters, alsoScore = []) {
      const [q] = await embedder.embed([text], 'query');
      const hits = await nearest(q!, k, filters);
      const scores = new Map<string, number>();
      if (alsoScore.length > 0) {
        for (const [id, seq] of await store.papers.seqsForIds(alsoScore)) {
          const v = index.vector(seq);
          if (v) scores.set(id, dot(v, q!));
        }
      }
      return { hits, scores };
    },
    async neighbours(paperId, k) {
      await refresh();
      const seq = (await store.papers.seqsForIds([paperId])).get(paperId);
      if (seq === undefined) return [];
      let v = index.vector(seq);
      if (!v) {
        const [p] = await store.papers.byIds([paperId]);
        if (!p) return [];
        [v] = await embedder.embed([paperText(p)], 'document');
      }
      return nearest(v!, k, NO_FILTERS, seq);
    },
    status: () => track(status()),
    refresh: () => refresh(true),
    embedPending() {
      if (stop.signal.aborted) return Promise.resolve(0);
      embedding ??= track(
        embedPending(store, embedder, { nowIso: () => new Date().toISOString(), signal: stop.signal }),
      )
        .then(async (r) => {
          await refresh(true);
          return r.embedded;
        })
        .finally(() => {
          embedding = undefined;
        });
      return embedding;
    },
    async close() {
      stop.abort();
      await Promise.allSettled([...busy, refreshing]);
    },
  };

  async function status(): Promise<SemanticStatus> {
    await refresh(true);
    return { model, dimensions: embedder.dimensions, index: index.kind, ...(await coverage(store, model)) };
  }
}
