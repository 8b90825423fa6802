// Semantic retrieval: the configured embedder plus an in-memory vector index kept in step with the
// vectors stored for that model. The index catches up by reading rows written since it last looked
// (every write gets a higher id), so ingest in another process shows up without a restart. Vectors
// of any other model are never loaded: after a model change, `status()` says a reindex is needed.
// `switchTo` replaces the model while the site runs: the new one embeds every paper beside the old
// one, gets its own index, and takes over in one step; the old model's vectors are then deleted.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type Coverage, coverage, embedPending, retireOtherModels } from '../embed/backfill.ts';
import { bytesToVector, dot, type Embedder, paperText } from '../embed/embedder.ts';
import type { Paper, PaperFilters } from '../domain/paper.ts';
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
  /** The model in use (a switch replaces it). */
  readonly embedder: Embedder;
  /**
   * Papers nearest in meaning to the text, passing the filters (paper id and cosine), and the cosine
   * of the text with each of `alsoScore` that has a vector (for fusing with another ranking). Nothing
   * when the model reads no word of the text.
   */
  search(
    text: string,
    k: number,
    filters: PaperFilters,
    alsoScore?: string[],
  ): Promise<{ hits: { id: string; score: number }[]; scores: Map<string, number> }>;
  /**
   * For papers found by meaning: the words of the text and of each paper that brought them together
   * (the model's explain, on the paper's stored vector when the index keeps vectors), by paper id.
   */
  explain(text: string, papers: Paper[], limit: number): Promise<Map<string, string[]>>;
  /** Papers nearest to a paper (by its stored vector), itself excluded. */
  neighbours(paperId: string, k: number): Promise<{ id: string; score: number }[]>;
  status(): Promise<SemanticStatus>;
  /** Loads vectors written since the last look; returns how many. */
  refresh(): Promise<number>;
  /** Embeds the papers that have no vector yet (once at a time; stopped by close()); returns how many. */
  embedPending(): Promise<number>;
  /**
   * Embeds every paper with `next`, builds its index, then makes it the model in use and deletes the
   * vectors of the one before. Searches keep using the current model until the moment of the switch.
   */
  switchTo(next: Embedder, onProgress?: (done: number, total: number) => void): Promise<{ embedded: number; retired: number }>;
  /** Stops a running embedPending and waits for it. */
  close(): Promise<void>;
};

const READ_BATCH = 5000;
const NO_FILTERS: PaperFilters = {
  authors: [],
  categories: [],
  orgs: [],
  excludedCategories: [],
  excludedOrgs: [],
  since: undefined,
  until: undefined,
};
/** Candidates fetched per wanted result when filters may drop some. */
const FILTER_OVERFETCH = 8;
/** Most nearest neighbours looked at for one filtered query. */
const MAX_CANDIDATES = 5000;

/** One model's view: its embedder, the index of its vectors and how far the index has read. */
type Active = { embedder: Embedder; index: ExactIndex | HnswIndex; lastId: number; savedId: number };

export function createSemantic(store: Store, first: Embedder, opts: SemanticOptions): Semantic {
  const indexFile = opts.indexFile;
  const metaFile = `${indexFile}.json`;

  const open = (embedder: Embedder): Active => {
    // A saved HNSW index of this model picks up where it was saved.
    if (indexFile && existsSync(indexFile) && existsSync(metaFile)) {
      const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { model: string; lastId: number };
      if (meta.model === embedder.model) {
        return { embedder, index: hnswIndex(embedder.dimensions, HNSW_DEFAULTS, indexFile), lastId: meta.lastId, savedId: meta.lastId };
      }
    }
    return { embedder, index: exactIndex(embedder.dimensions), lastId: 0, savedId: 0 };
  };
  let active = open(first);
  let checkedAt = Number.NEGATIVE_INFINITY;
  let refreshing: Promise<number> | undefined;
  let embedding: Promise<number> | undefined;
  let switching: Promise<{ embedded: number; retired: number }> | undefined;
  const stop = new AbortController();
  const embedOpts = { nowIso: () => new Date().toISOString(), signal: stop.signal };
  /** Work close() waits for, so the store is not closed under it. */
  const busy = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    busy.add(p);
    void p.finally(() => busy.delete(p)).catch(() => {});
    return p;
  };

  const toHnsw = (from: ExactIndex, dimensions: number): HnswIndex => {
    const h = hnswIndex(dimensions);
    const keys = [...from.keys()];
    h.upsertMany(
      keys,
      keys.map((k) => from.vector(k)!),
    );
    return h;
  };

  async function catchUp(a: Active): Promise<number> {
    const model = a.embedder.model;
    let added = 0;
    for (;;) {
      const rows = await store.embeddings.since(model, a.lastId, READ_BATCH);
      a.index.upsertMany(
        rows.map((r) => r.seq),
        rows.map((r) => bytesToVector(r.vector)),
      );
      added += rows.length;
      if (rows.length > 0) a.lastId = rows.at(-1)!.id;
      if (a.index.kind === 'exact' && a.index.size() >= opts.annThreshold) a.index = toHnsw(a.index, a.embedder.dimensions);
      if (rows.length < READ_BATCH) break;
    }
    if (a.index.kind === 'hnsw' && indexFile && a.lastId !== a.savedId) {
      a.index.save(`${indexFile}.tmp`);
      renameSync(`${indexFile}.tmp`, indexFile);
      writeFileSync(metaFile, JSON.stringify({ model, lastId: a.lastId }));
      a.savedId = a.lastId;
    }
    return added;
  }

  const refresh = (force = false): Promise<number> => {
    if (!force && Date.now() - checkedAt < opts.refreshMs) return Promise.resolve(0);
    checkedAt = Date.now();
    refreshing ??= catchUp(active).finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  async function switchModel(next: Embedder, onProgress?: (done: number, total: number) => void) {
    const { embedded } = await embedPending(store, next, { ...embedOpts, onProgress });
    if (stop.signal.aborted) return { embedded, retired: 0 };
    const fresh: Active = { embedder: next, index: exactIndex(next.dimensions), lastId: 0, savedId: 0 };
    await catchUp(fresh);
    await refreshing; // a catch-up of the old index must not land after the switch
    active = fresh;
    // Papers that arrived during the switch were embedded by the old model only.
    const late = await embedPending(store, next, embedOpts);
    await refresh(true);
    return { embedded: embedded + late.embedded, retired: await retireOtherModels(store, next.model) };
  }

  /** Nearest papers by one model's index (the one a request started with, even if a switch lands meanwhile). */
  async function nearest(a: Active, v: Float32Array, k: number, filters: PaperFilters, exclude?: number) {
    await refresh();
    const filtered = hasFilters(filters);
    let want = k + 1;
    for (;;) {
      const fetch = Math.min(filtered ? want * FILTER_OVERFETCH : want, MAX_CANDIDATES);
      const { index } = a;
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

  /** The query's bucket words that no paper has (a typo, a word from another field): left out. */
  async function absentWords(embedder: Embedder, text: string): Promise<Set<string>> {
    const absent = new Set<string>();
    for (const w of embedder.bucketWords?.(text) ?? []) if (!(await store.papers.hasWords([w]))) absent.add(w);
    return absent;
  }

  return {
    get embedder() {
      return active.embedder;
    },
    async search(text, k, filters, alsoScore = []) {
      const a = active;
      const { embedder, index } = a;
      const [q] = await embedder.embed([text], 'query', await absentWords(embedder, text));
      // No word the model reads (each unknown, or left out as no paper has it): a zero vector, equally
      // far from every paper, which would list papers at random as "close in meaning".
      if (!q!.some((x) => x !== 0)) return { hits: [], scores: new Map() };
      const hits = await nearest(a, q!, k, filters);
      const scores = new Map<string, number>();
      if (alsoScore.length > 0) {
        for (const [id, seq] of await store.papers.seqsForIds(alsoScore)) {
          const v = index.vector(seq);
          if (v) scores.set(id, dot(v, q!));
        }
      }
      return { hits, scores };
    },
    async explain(text, papers, limit) {
      const { embedder, index } = active;
      const out = new Map<string, string[]>();
      if (!embedder.explain || papers.length === 0) return out;
      const seqs = await store.papers.seqsForIds(papers.map((p) => p.id));
      for (const p of papers) {
        const seq = seqs.get(p.id);
        out.set(p.id, embedder.explain(text, paperText(p), limit, seq === undefined ? undefined : index.vector(seq)));
      }
      return out;
    },
    async neighbours(paperId, k) {
      await refresh();
      const seq = (await store.papers.seqsForIds([paperId])).get(paperId);
      if (seq === undefined) return [];
      const a = active;
      const { embedder, index } = a;
      let v = index.vector(seq);
      if (!v) {
        const [p] = await store.papers.byIds([paperId]);
        if (!p) return [];
        [v] = await embedder.embed([paperText(p)], 'document');
      }
      return nearest(a, v!, k, NO_FILTERS, seq);
    },
    status: () => track(status()),
    refresh: () => refresh(true),
    embedPending() {
      if (stop.signal.aborted) return Promise.resolve(0);
      const { embedder } = active;
      embedding ??= track(
        embedPending(store, embedder, embedOpts),
      )
        .then(async (r) => {
          await refresh(true);
          // A finished reindex drops the vectors of the model before (not those of one being switched to).
          if (!switching && active.embedder === embedder) await retireOtherModels(store, embedder.model);
          return r.embedded;
        })
        .finally(() => {
          embedding = undefined;
        });
      return embedding;
    },
    switchTo(next, onProgress) {
      if (next.model === active.embedder.model) return Promise.resolve({ embedded: 0, retired: 0 });
      if (switching) return Promise.reject(new Error('a model switch is already running'));
      switching = track(switchModel(next, onProgress)).finally(() => {
        switching = undefined;
      });
      return switching;
    },
    async close() {
      stop.abort();
      await Promise.allSettled([...busy, refreshing]);
    },
  };

  async function status(): Promise<SemanticStatus> {
    await refresh(true);
    const { embedder, index } = active;
    return { model: embedder.model, dimensions: embedder.dimensions, index: index.kind, ...(await coverage(store, embedder.model)) };
  }
}
