// Training a static embedding model on the site's own papers: a token-vector table and a weight per
// token, so that a paper's title lands near its own abstract and away from the other abstracts of
// its batch (in-batch-negatives contrastive loss, InfoNCE). Pure: data in, model out; the caller
// reads papers and writes the model folder. Deterministic for the same data and seed.
//
//   text vector  v = u / |u|,  u = sum over tokens t of w[t] * E[t]
//   loss         mean over i of  -log softmax_j (q_i . d_j / tau) at j = i   (q: titles, d: abstracts)
// Gradients are derived by hand below and checked against finite differences in train.test.ts;
// updates are sparse Adagrad (only the rows a batch touched).
import usearch, { type BatchMatches } from 'usearch';
import { normalize, words } from './embedder.ts';

export type TrainOptions = {
  dimensions: number;
  /** Most frequent words kept (words in fewer than minCount papers are dropped first). */
  vocabSize: number;
  minCount: number;
  /** The same for words the base vectors know (they start with a meaning, so rarer ones are worth keeping). */
  baseMinCount: number;
  epochs: number;
  /** Most examples per batch (each example's negatives are the others of its batch). */
  batchSize: number;
  /** Batches drawn from 2^topicBits topical buckets (harder negatives); 0 = shuffled at random. */
  topicBits: number;
  learningRate: number;
  temperature: number;
  /** Share of a text's tokens dropped at random in training (a regulariser). */
  tokenDropout: number;
  /** Papers held out to measure retrieval each epoch (never trained on). */
  validationSize: number;
  seed: number;
  /** Epochs without a better validation MRR@10 before stopping. */
  patience: number;
  /** Also train on (first half, second half) of each abstract as a positive pair. */
  abstractHalves: boolean;
};

export const TRAIN_DEFAULTS: TrainOptions = {
  // Measured on the arxiv-sample (74,728 papers, 3,000 held out; validation R@10 / MRR@10 after the
  // first epoch): batch 128 0.722 / 0.537, 512 0.765 / 0.571, 1,024 (learning rate 0.1) 0.769 / 0.586,
  // 2,048 0.779 / 0.596 but twice as slow; topical batches (4 bits) on top of 1,024: 0.779 / 0.595.
  // Learning rate 0.3 and token dropout 0.3 did worse; temperature 0.1: R@10 +0.008, MRR -0.013.
  dimensions: 100,
  vocabSize: 90_000,
  minCount: 3,
  // arxiv-sample validation after 1 epoch: R@10 0.722 with 3 for every word, 0.727 with 1 for known words.
  baseMinCount: 1,
  epochs: 5,
  batchSize: 1024,
  topicBits: 4,
  learningRate: 0.1,
  temperature: 0.05,
  tokenDropout: 0.1,
  validationSize: 3000,
  seed: 1,
  patience: 1,
  // Measured on the arxiv-sample validation slice after 3 epochs: R@10 0.731 without, 0.746 with.
  abstractHalves: true,
};

export type Pair = { title: string; abstract: string };
/** Initial vectors for words that have them (e.g. GloVe): unit or not, any scale. */
export type BaseVectors = { dimensions: number; vector(word: string): Float32Array | undefined };

export type Scores = { recallAt1: number; recallAt10: number; mrrAt10: number };
export type EpochReport = { epoch: number; loss: number; validation: Scores; seconds: number };

export type TrainedModel = {
  vocab: string[];
  dimensions: number;
  vectors: Float32Array;
  weights: Float32Array;
  /** Scores of the kept epoch, and of the untrained start. */
  validation: Scores;
  initial: Scores;
  epochs: EpochReport[];
  /** Indices (into the pairs given) of the validation papers: never trained on. */
  heldOut: number[];
};

/** A small fast seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Params = { dimensions: number; vectors: Float32Array; weights: Float32Array };

/** Adds u = sum w[t] E[t] over the token ids into out[at .. at + d). */
function sumInto(p: Params, ids: number[], out: Float32Array, at: number): void {
  const d = p.dimensions;
  const { vectors, weights } = p;
  for (const t of ids) {
    const w = weights[t]!;
    const row = t * d;
    for (let c = 0; c < d; c++) out[at + c]! += w * vectors[row + c]!;
  }
}

/** Scales each d-long row to unit length; returns the lengths (1 for a zero row). */
function normalizeRows(m: Float32Array, d: number): Float64Array {
  const n = m.length / d;
  const lengths = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += m[i * d + c]! ** 2;
    const len = Math.sqrt(s) || 1;
    lengths[i] = len;
    for (let c = 0; c < d; c++) m[i * d + c]! /= len;
  }
  return lengths;
}

export function encode(p: Params, ids: number[]): Float32Array {
  const u = new Float32Array(p.dimensions);
  sumInto(p, ids, u, 0);
  return normalize(u);
}

/** In-batch negatives whose softmax probability is below this are left out of the gradient. */
const NEGLIGIBLE = 1e-7;

/**
 * Gradients of one batch in dense buffers (as large as the model, reused from batch to batch):
 * only the rows listed in `rows` are non-zero.
 */
export type Grads = { rows: number[]; vectors: Float32Array; weights: Float32Array; touched: Uint8Array; scratch: Scratch | undefined };

/** Per-batch working arrays, kept from batch to batch: memory stays flat however long training runs. */
type Scratch = { n: number; q: Float32Array; dv: Float32Array; gq: Float32Array; gd: Float32Array; g: Float64Array };

export function gradBuffers(vocabSize: number, dimensions: number): Grads {
  return { rows: [], vectors: new Float32Array(vocabSize * dimensions), weights: new Float32Array(vocabSize), touched: new Uint8Array(vocabSize), scratch: undefined };
}

function scratch(grads: Grads, n: number, d: number): Scratch {
  let s = grads.scratch;
  if (!s || s.n < n || s.q.length < n * d) {
    s = { n, q: new Float32Array(n * d), dv: new Float32Array(n * d), gq: new Float32Array(n * d), gd: new Float32Array(n * d), g: new Float64Array(n * n) };
    grads.scratch = s;
  }
  const part = (a: Float32Array) => a.subarray(0, n * d).fill(0);
  return { n, q: part(s.q), dv: part(s.dv), gq: part(s.gq), gd: part(s.gd), g: s.g.subarray(0, n * n) };
}

/** Zeroes the touched rows, ready for the next batch. */
export function clearGrads(g: Grads, dimensions: number): void {
  for (const t of g.rows) {
    g.vectors.fill(0, t * dimensions, (t + 1) * dimensions);
    g.weights[t] = 0;
    g.touched[t] = 0;
  }
  g.rows.length = 0;
}

/**
 * Loss of one batch and its gradients with respect to E and w, added into `grads`. `queries[i]` and
 * `docs[i]` are token ids of the i-th pair.
 */
export function batchLoss(
  p: Params,
  queries: number[][],
  docs: number[][],
  temperature: number,
  grads: Grads = gradBuffers(p.weights.length, p.dimensions),
): { loss: number; grads: Grads } {
  const d = p.dimensions;
  const n = queries.length;
  const { q, dv, gq, gd, g } = scratch(grads, n, d);
  for (let i = 0; i < n; i++) {
    sumInto(p, queries[i]!, q, i * d);
    sumInto(p, docs[i]!, dv, i * d);
  }
  const qn = normalizeRows(q, d);
  const dn = normalizeRows(dv, d);
  // g[i][j] = dL/dlogit_ij / tau, where logit_ij = q_i . d_j / tau.
  // Every q_i . d_j first, four queries at a time: each document row is read once for four (the
  // sums are the same as one at a time, term by term).
  let i0 = 0;
  for (; i0 + 3 < n; i0 += 4) {
    const a0 = i0 * d;
    const a1 = a0 + d;
    const a2 = a1 + d;
    const a3 = a2 + d;
    for (let j = 0; j < n; j++) {
      const b = j * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let c = 0; c < d; c++) {
        const v = dv[b + c]!;
        s0 += q[a0 + c]! * v;
        s1 += q[a1 + c]! * v;
        s2 += q[a2 + c]! * v;
        s3 += q[a3 + c]! * v;
      }
      g[i0 * n + j] = s0;
      g[(i0 + 1) * n + j] = s1;
      g[(i0 + 2) * n + j] = s2;
      g[(i0 + 3) * n + j] = s3;
    }
  }
  for (; i0 < n; i0++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += q[i0 * d + c]! * dv[j * d + c]!;
      g[i0 * n + j] = s;
    }
  }
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      const s = g[i * n + j]! / temperature;
      g[i * n + j] = s;
      if (s > max) max = s;
    }
    let z = 0;
    const own = g[i * n + i]!;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(g[i * n + j]! - max);
      g[i * n + j] = e;
      z += e;
    }
    loss += -(own - max - Math.log(z)) / n;
    for (let j = 0; j < n; j++) {
      const prob = g[i * n + j]! / z;
      // A negative the softmax all but ignores adds nothing measurable: skipping it (below) saves
      // most of the work of large batches.
      g[i * n + j] = i !== j && prob < NEGLIGIBLE ? 0 : (prob - (i === j ? 1 : 0)) / n / temperature;
    }
  }
  // gq_i = sum_j g_ij d_j and gd_j = sum_i g_ij q_i, four queries at a time (each element still gets
  // its terms one by one, in the same order, rounded to float32 after each, as one at a time would).
  const f = Math.fround;
  let i1 = 0;
  for (; i1 + 3 < n; i1 += 4) {
    const a0 = i1 * d;
    const a1 = a0 + d;
    const a2 = a1 + d;
    const a3 = a2 + d;
    for (let j = 0; j < n; j++) {
      const x0 = g[i1 * n + j]!;
      const x1 = g[(i1 + 1) * n + j]!;
      const x2 = g[(i1 + 2) * n + j]!;
      const x3 = g[(i1 + 3) * n + j]!;
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      const b = j * d;
      for (let c = 0; c < d; c++) {
        const v = dv[b + c]!;
        let w = gd[b + c]!;
        if (x0 !== 0) {
          gq[a0 + c]! += x0 * v;
          w = f(w + x0 * q[a0 + c]!);
        }
        if (x1 !== 0) {
          gq[a1 + c]! += x1 * v;
          w = f(w + x1 * q[a1 + c]!);
        }
        if (x2 !== 0) {
          gq[a2 + c]! += x2 * v;
          w = f(w + x2 * q[a2 + c]!);
        }
        if (x3 !== 0) {
          gq[a3 + c]! += x3 * v;
          w = f(w + x3 * q[a3 + c]!);
        }
        gd[b + c] = w;
      }
    }
  }
  for (; i1 < n; i1++) {
    for (let j = 0; j < n; j++) {
      const x = g[i1 * n + j]!;
      if (x === 0) continue;
      for (let c = 0; c < d; c++) {
        gq[i1 * d + c]! += x * dv[j * d + c]!;
        gd[j * d + c]! += x * q[i1 * d + c]!;
      }
    }
  }
  const gu = new Float32Array(d);
  const back = (ids: number[], v: Float32Array, gv: Float32Array, at: number, length: number) => {
    // v = u / |u|  =>  du = (gv - v (v . gv)) / |u|
    let vg = 0;
    for (let c = 0; c < d; c++) vg += v[at + c]! * gv[at + c]!;
    for (let c = 0; c < d; c++) gu[c] = (gv[at + c]! - v[at + c]! * vg) / length;
    for (const t of ids) {
      if (!grads.touched[t]) {
        grads.touched[t] = 1;
        grads.rows.push(t);
      }
      const w = p.weights[t]!;
      const row = t * d;
      let gw = 0;
      for (let c = 0; c < d; c++) {
        grads.vectors[row + c]! += w * gu[c]!;
        gw += p.vectors[row + c]! * gu[c]!;
      }
      grads.weights[t]! += gw;
    }
  };
  for (let i = 0; i < n; i++) {
    back(queries[i]!, q, gq, i * d, qn[i]!);
    back(docs[i]!, dv, gd, i * d, dn[i]!);
  }
  return { loss, grads };
}

/**
 * Words kept: the `size` most frequent by document frequency, in at least `minCount(word)` papers
 * (a word the base vectors know can be worth keeping from one paper: it starts with a meaning).
 */
export function buildVocab(
  texts: Iterable<string>,
  size: number,
  minCount: number | ((word: string) => number),
): { vocab: string[]; df: Map<string, number>; docs: number } {
  const min = typeof minCount === 'number' ? () => minCount : minCount;
  const df = new Map<string, number>();
  let docs = 0;
  for (const t of texts) {
    docs++;
    for (const w of new Set(words(t))) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const vocab = [...df]
    .filter(([w, n]) => n >= min(w))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, size)
    .map(([w]) => w);
  return { vocab, df, docs };
}

const SCAN_QUERIES = 64;

/**
 * Retrieval of each query's own document among all documents: Recall@1, Recall@10, MRR@10. Queries
 * and documents are unit vectors in flat row-major matrices; the scan is usearch's exact SIMD search.
 */
export function retrievalScores(queries: Float32Array, targets: number[], docs: Float32Array, dimensions: number): Scores {
  const n = targets.length;
  if (n === 0) return { recallAt1: 0, recallAt10: 0, mrrAt10: 0 };
  const k = Math.min(10, docs.length / dimensions);
  let r1 = 0;
  let r10 = 0;
  let mrr = 0;
  // A few queries at a time: usearch's batch scan holds ~16 bytes per query and document while it runs.
  for (let from = 0; from < n; from += SCAN_QUERIES) {
    const to = Math.min(n, from + SCAN_QUERIES);
    // A copy, not a subarray: usearch reads a typed array's buffer from its start, ignoring byteOffset.
    const m = usearch.exactSearch(docs, queries.slice(from * dimensions, to * dimensions), dimensions, k, usearch.MetricKind.IP);
    // One query gets Matches (keys, distances), several get BatchMatches (k per query, and counts).
    const batch = 'counts' in m ? (m as BatchMatches) : undefined;
    for (let i = from; i < to; i++) {
      const at = (i - from) * (batch?.k ?? 0);
      const found = batch ? Number(batch.counts[i - from]) : m.keys.length;
      for (let r = 0; r < found; r++) {
        if (Number(m.keys[at + r]) !== targets[i]) continue;
        if (r === 0) r1++;
        r10++;
        mrr += 1 / (r + 1);
        break;
      }
    }
  }
  return { recallAt1: r1 / n, recallAt10: r10 / n, mrrAt10: mrr / n };
}

/** Encodes each token list into one row of a flat matrix of unit vectors. */
export function encodeAll(p: Params, texts: number[][]): Float32Array {
  const d = p.dimensions;
  const out = new Float32Array(texts.length * d);
  for (const [i, ids] of texts.entries()) sumInto(p, ids, out, i * d);
  normalizeRows(out, d);
  return out;
}

/**
 * Trains on the pairs. The last `validationSize` pairs (after a seeded shuffle) are held out: each
 * epoch, their titles search all abstracts; training stops when MRR@10 stops improving, and the best
 * epoch's parameters are returned.
 */
export function train(
  pairs: Pair[],
  opts: TrainOptions,
  base?: BaseVectors,
  onEpoch?: (r: EpochReport) => void,
  onBatch?: (done: number, total: number) => void,
): TrainedModel {
  const random = rng(opts.seed);
  const order = pairs.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const held = Math.min(opts.validationSize, Math.floor(pairs.length / 5));
  const trainIdx = order.slice(0, order.length - held);
  const validIdx = order.slice(order.length - held);
  const { vocab, df } = buildVocab(
    trainIdx.map((i) => `${pairs[i]!.title}\n${pairs[i]!.abstract}`),
    opts.vocabSize,
    base ? (w) => (base.vector(w) ? opts.baseMinCount : opts.minCount) : opts.minCount,
  );
  const id = new Map(vocab.map((w, i) => [w, i]));
  const ids = (text: string) => words(text).flatMap((w) => (id.has(w) ? [id.get(w)!] : []));
  const titles = pairs.map((p) => ids(p.title));
  const abstracts = pairs.map((p) => ids(p.abstract));

  const d = opts.dimensions;
  const V = vocab.length;
  const vectors = new Float32Array(V * d);
  const weights = new Float32Array(V);
  for (const [i, w] of vocab.entries()) {
    weights[i] = Math.log(1 + trainIdx.length / (df.get(w) ?? 1));
    const b = base && base.dimensions === d ? base.vector(w) : undefined;
    const n = b ? Math.hypot(...b) || 1 : 1;
    for (let c = 0; c < d; c++) vectors[i * d + c] = b ? b[c]! / n : (random() - 0.5) * 0.2;
  }
  const p: Params = { dimensions: d, vectors, weights };
  const accV = new Float32Array(V);
  const accW = new Float32Array(V);
  const grads = gradBuffers(V, d);

  const evaluate = (): Scores =>
    retrievalScores(
      encodeAll(
        p,
        validIdx.map((i) => titles[i]!),
      ),
      validIdx,
      encodeAll(p, abstracts),
      d,
    );
  const initial = evaluate();
  let best = { scores: initial, vectors: vectors.slice(), weights: weights.slice() };
  const epochs: EpochReport[] = [];
  const dropout = (t: number[]) => (opts.tokenDropout > 0 ? t.filter(() => random() >= opts.tokenDropout) : t);
  // Training examples: (title, abstract) per paper, and optionally (first half, second half) of its abstract.
  const examples: [number[], number[]][] = trainIdx.map((i) => [titles[i]!, abstracts[i]!]);
  if (opts.abstractHalves) {
    for (const i of trainIdx) {
      const a = abstracts[i]!;
      if (a.length >= 8) examples.push([a.slice(0, a.length >> 1), a.slice(a.length >> 1)]);
    }
  }
  // Large batches give harder negatives; a small corpus gets smaller ones, so an epoch is still 50 steps.
  const batchSize = Math.max(16, Math.min(opts.batchSize, Math.floor(examples.length / 50)));
  const batches = Math.ceil(examples.length / batchSize);
  let stale = 0;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const started = performance.now();
    for (let i = examples.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [examples[i], examples[j]] = [examples[j]!, examples[i]!];
    }
    if (opts.topicBits > 0) {
      // Batches of papers on nearby topics: their abstracts fall on the same side of `topicBits` random
      // hyperplanes (under the current model), so in-batch negatives are harder.
      const topical = opts.topicBits;
      const planes = Float32Array.from({ length: topical * d }, () => random() - 0.5);
      const bucket = (ids: number[]) => {
        const v = encode(p, ids);
        let key = 0;
        for (let h = 0; h < topical; h++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += v[c]! * planes[h * d + c]!;
          key = key * 2 + (s > 0 ? 1 : 0);
        }
        return key;
      };
      const keyed = examples.map((e, i) => ({ e, k: bucket(e[1]), i }));
      keyed.sort((a, b) => a.k - b.k || a.i - b.i);
      const ordered = keyed.map((x) => x.e);
      const order = Array.from({ length: batches }, (_, b) => b);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      examples.length = 0;
      for (const b of order) examples.push(...ordered.slice(b * batchSize, (b + 1) * batchSize));
    }
    let loss = 0;
    for (let b = 0; b < batches; b++) {
      const batch = examples.slice(b * batchSize, (b + 1) * batchSize);
      const r = batchLoss(p, batch.map((e) => dropout(e[0])), batch.map((e) => dropout(e[1])), opts.temperature, grads);
      loss += r.loss / batches;
      // Sparse Adagrad: one accumulator per row (the mean squared gradient of the row).
      for (const t of grads.rows) {
        let sq = 0;
        for (let c = 0; c < d; c++) sq += grads.vectors[t * d + c]! ** 2;
        accV[t]! += sq / d;
        const step = opts.learningRate / Math.sqrt(accV[t]! + 1e-8);
        for (let c = 0; c < d; c++) vectors[t * d + c]! -= step * grads.vectors[t * d + c]!;
        const gw = grads.weights[t]!;
        accW[t]! += gw * gw;
        weights[t] = Math.max(0, weights[t]! - (opts.learningRate / Math.sqrt(accW[t]! + 1e-8)) * gw);
      }
      clearGrads(grads, d);
      onBatch?.(b + 1, batches);
    }
    const validation = evaluate();
    const report = { epoch, loss, validation, seconds: (performance.now() - started) / 1000 };
    epochs.push(report);
    onEpoch?.(report);
    if (validation.mrrAt10 > best.scores.mrrAt10) {
      best = { scores: validation, vectors: vectors.slice(), weights: weights.slice() };
      stale = 0;
    } else if (++stale >= opts.patience) {
      break;
    }
  }
  return { vocab, dimensions: d, vectors: best.vectors, weights: best.weights, validation: best.scores, initial, epochs, heldOut: validIdx };
}
