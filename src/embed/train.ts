// Training a static embedding model on the site's own papers: a token-vector table and a weight per
// token, so that a paper's title lands near its own abstract and away from the other abstracts of
// its batch (in-batch-negatives contrastive loss, InfoNCE). Pure: data in, model out; the caller
// reads papers and writes the model folder. Deterministic for the same data and seed.
//
//   text vector  v = u / |u|,  u = sum over tokens t of w[t] * E[t]
//   loss         mean over i of  -log softmax_j (q_i . d_j / tau) at j = i   (q: titles, d: abstracts)
// The loss, its hand-derived gradients and the sparse Adagrad updates (only the rows a batch touched)
// are in contrastive.ts.
import { availableParallelism } from 'node:os';
import { words } from './embedder.ts';
import { type Trainer, trainer } from './contrastive.ts';
import { serialKernels } from './kernels.ts';
import { exactTopK } from './scan.ts';
import { type BaseVectors, bucketOf, type ModelRows } from './static.ts';
import { threadKernels } from './threads.ts';

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
  /** Threads for the batch arithmetic (1 or 2; the model is the same either way). */
  threads: number;
  /** Rows shared by the words outside the vocabulary, by a hash of the word (0 = such words are dropped). */
  hashBuckets: number;
  /** A second weight per word for queries (titles): how much a word counts in a query, learned apart from in a document. */
  queryWeights: boolean;
};

export const TRAIN_DEFAULTS: TrainOptions = {
  // Measured on the arxiv-sample (74,728 papers, 3,000 held out; validation R@10 / MRR@10 after the
  // first epoch): batch 128 0.722 / 0.537, 512 0.765 / 0.571, 1,024 (learning rate 0.1) 0.769 / 0.586,
  // 2,048 0.779 / 0.596 but twice as slow; topical batches (4 bits) on top of 1,024: 0.779 / 0.595.
  // Learning rate 0.3 and token dropout 0.3 did worse; temperature 0.1: R@10 +0.008, MRR -0.013.
  // Wider models (GloVe's 100 dimensions, the rest from near zero; measured before hash buckets) find
  // the right abstract more often alone but not in the hybrid (eval:embeddings split, test R@10 alone /
  // hybrid MRR@10 at weight 0.5): 100 0.797 / 0.9095, 150 0.810 / 0.907, 200 0.825 / 0.909; the 150-d
  // model trained on the whole sample cost SciFact 0.003 at SEMANTIC_WEIGHT 0.5. 100 keeps the model
  // small and the hybrid as good.
  // Also measured on that split's validation slice after 2 epochs, before hash buckets (R@10 / MRR@10;
  // these settings 0.804 / 0.624): batch 2,048 0.802 / 0.625; temperature 0.04 (epoch 1) 0.788 / 0.599
  // against 0.790 / 0.607; 6 topic bits (epoch 1) 0.786 / 0.600; words from 2 papers 0.800 / 0.624; a
  // vector for each of the 10,873 word pairs most frequent in titles 0.776 / 0.571 (they memorise their
  // papers); the symmetric loss (abstract -> title too, epoch 1) 0.792 / 0.605.
  // Batches grouped by the papers' words too (3 or 5 more bits from random hyperplanes in word space,
  // idf-weighted counts: the negatives BM25 confuses), 2026-12-02 on the eval:embeddings split: hybrid
  // MRR@10 on validation 0.9095 / 0.9086 against 0.9094, on test 0.9105 / 0.9108 against 0.9098 (noise),
  // and the model alone lost (test MRR@10 0.667 / 0.665 against 0.679).
  dimensions: 100,
  vocabSize: 90_000,
  minCount: 3,
  // arxiv-sample validation after 1 epoch: R@10 0.722 with 3 for every word, 0.727 with 1 for known words.
  baseMinCount: 1,
  // Validation MRR@10 still rises after 5 epochs (eval:embeddings split: 0.6745 at 5, 0.6781 / 0.6800
  // / 0.6843 at 6 / 7 / 8), but the test figures barely move: alone MRR@10 0.679 -> 0.684, hybrid
  // 0.9086 either way (with the BM25 query eval:embeddings used before 2026-12-02), for 60% more training time.
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
  threads: Math.min(2, availableParallelism()),
  // Words outside the vocabulary (in fewer than minCount papers: model names, acronyms) share 2^15
  // trained rows by hash instead of being dropped. On the eval:embeddings split's validation slice
  // after 2 epochs (R@10 / MRR@10): none 0.804 / 0.624, 16,384 0.821 / 0.658, 32,768 0.826 / 0.661,
  // 65,536 0.816 / 0.656.
  hashBuckets: 32_768,
  queryWeights: true,
};

export type Pair = { title: string; abstract: string };

export type Scores = { recallAt1: number; recallAt10: number; mrrAt10: number };
export type EpochReport = { epoch: number; loss: number; validation: Scores; seconds: number };

export type TrainedModel = ModelRows & {
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

/**
 * Retrieval of each query's own document among all documents: Recall@1, Recall@10, MRR@10. Queries
 * and documents are unit vectors in flat row-major matrices.
 */
export function retrievalScores(queries: Float32Array, targets: number[], docs: Float32Array, dimensions: number): Scores {
  const n = targets.length;
  if (n === 0) return { recallAt1: 0, recallAt10: 0, mrrAt10: 0 };
  let r1 = 0;
  let r10 = 0;
  let mrr = 0;
  for (const [i, hits] of exactTopK(docs, queries, dimensions, 10).entries()) {
    const r = hits.findIndex((h) => h.row === targets[i]);
    if (r < 0) continue;
    if (r === 0) r1++;
    r10++;
    mrr += 1 / (r + 1);
  }
  return { recallAt1: r1 / n, recallAt10: r10 / n, mrrAt10: mrr / n };
}

/** Shuffles in place (Fisher-Yates) and returns the array. */
function shuffle<T>(a: T[], random: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Token ids of a query and of its positive document. */
type Example = [number[], number[]];

/**
 * The examples regrouped into batches of papers on nearby topics: their documents fall on the same
 * side of `bits` random hyperplanes (under the current model), so in-batch negatives are harder.
 * The batches come in random order.
 */
function topicalBatches(examples: Example[], t: Trainer, bits: number, batchSize: number, random: () => number): Example[] {
  const d = t.params.dimensions;
  const planes = Float32Array.from({ length: bits * d }, () => random() - 0.5);
  const docs = t.encodeAll(examples.map((e) => e[1]));
  const bucket = (k: number) => {
    let key = 0;
    for (let h = 0; h < bits; h++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += docs[k * d + c]! * planes[h * d + c]!;
      key = key * 2 + (s > 0 ? 1 : 0);
    }
    return key;
  };
  const ordered = examples
    .map((e, i) => ({ e, k: bucket(i), i }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.e);
  const batches = Math.ceil(examples.length / batchSize);
  const order = shuffle(
    Array.from({ length: batches }, (_, b) => b),
    random,
  );
  return order.flatMap((b) => ordered.slice(b * batchSize, (b + 1) * batchSize));
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
  const order = shuffle(
    pairs.map((_, i) => i),
    random,
  );
  const held = Math.min(opts.validationSize, Math.floor(pairs.length / 5));
  const trainIdx = order.slice(0, order.length - held);
  const validIdx = order.slice(order.length - held);
  const { vocab, df } = buildVocab(
    trainIdx.map((i) => `${pairs[i]!.title}\n${pairs[i]!.abstract}`),
    opts.vocabSize,
    base ? (w) => (base.vector(w) ? opts.baseMinCount : opts.minCount) : opts.minCount,
  );
  const id = new Map(vocab.map((w, i) => [w, i]));
  const H = opts.hashBuckets;
  const ids = (text: string) => words(text).flatMap((w) => (id.has(w) ? [id.get(w)!] : H > 0 ? [vocab.length + bucketOf(w, H)] : []));
  const d = opts.dimensions;
  const V = vocab.length + H;
  // With query weights, a title's word on row r is token id V + r: the same vector, its own weight.
  const titles = pairs.map((p) => (opts.queryWeights ? ids(p.title).map((r) => r + V) : ids(p.title)));
  const abstracts = pairs.map((p) => ids(p.abstract));

  const vectors = new Float32Array(V * d);
  const weights = new Float32Array(opts.queryWeights ? 2 * V : V);
  // A bucket starts as a random direction, weighted like a word in as many papers as its words together.
  const bucketDf = new Float64Array(H);
  if (H > 0) for (const [w, n] of df) if (!id.has(w)) bucketDf[bucketOf(w, H)]! += n;
  for (let b = 0; b < H; b++) {
    const row = (vocab.length + b) * d;
    weights[vocab.length + b] = Math.log(1 + trainIdx.length / Math.max(1, bucketDf[b]!));
    const from = base && base.dimensions === d ? base.bucket?.(b, H) : undefined;
    if (from) vectors.set(from, row);
    else {
      let n = 0;
      for (let c = 0; c < d; c++) {
        const v = random() - 0.5;
        vectors[row + c] = v;
        n += v ** 2;
      }
      for (let c = 0; c < d; c++) vectors[row + c]! /= Math.sqrt(n) || 1;
    }
  }
  for (const [i, w] of vocab.entries()) {
    weights[i] = Math.log(1 + trainIdx.length / (df.get(w) ?? 1));
    // Base vectors with fewer dimensions fill the first ones; the rest start near zero.
    const b = base && base.dimensions <= d ? base.vector(w) : undefined;
    const n = b ? Math.hypot(...b) || 1 : 1;
    for (let c = 0; c < d; c++) vectors[i * d + c] = b ? (c < b.length ? b[c]! / n : (random() - 0.5) * 0.02) : (random() - 0.5) * 0.2;
  }
  // Query weights start as the document weights (IDF).
  if (opts.queryWeights) weights.copyWithin(V, 0, V);
  // The batch arithmetic may run on a worker thread too: closed however training ends.
  const t = trainer({ dimensions: d, vectors, weights }, opts.threads > 1 ? threadKernels() : serialKernels);
  try {
    const model = t.params;
    const evaluate = (): Scores =>
      retrievalScores(
        t.encodeAll(validIdx.map((i) => titles[i]!)),
        validIdx,
        t.encodeAll(abstracts),
        d,
      );
    const initial = evaluate();
    let best = { scores: initial, vectors: model.vectors.slice(), weights: model.weights.slice() };
    const epochs: EpochReport[] = [];
    const dropout = (ids: number[]) => (opts.tokenDropout > 0 ? ids.filter(() => random() >= opts.tokenDropout) : ids);
    // Training examples: (title, abstract) per paper, and optionally (first half, second half) of its abstract.
    let examples: Example[] = trainIdx.map((i) => [titles[i]!, abstracts[i]!]);
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
      shuffle(examples, random);
      if (opts.topicBits > 0) examples = topicalBatches(examples, t, opts.topicBits, batchSize, random);
      let loss = 0;
      for (let b = 0; b < batches; b++) {
        const batch = examples.slice(b * batchSize, (b + 1) * batchSize);
        loss += t.loss(batch.map((e) => dropout(e[0])), batch.map((e) => dropout(e[1])), opts.temperature) / batches;
        t.step(opts.learningRate);
        onBatch?.(b + 1, batches);
      }
      const validation = evaluate();
      const report = { epoch, loss, validation, seconds: (performance.now() - started) / 1000 };
      epochs.push(report);
      onEpoch?.(report);
      if (validation.mrrAt10 > best.scores.mrrAt10) {
        best = { scores: validation, vectors: model.vectors.slice(), weights: model.weights.slice() };
        stale = 0;
      } else if (++stale >= opts.patience) {
        break;
      }
    }
    const queryWeights = opts.queryWeights ? { queryWeights: best.weights.slice(V) } : {};
    return {
      vocab,
      hashBuckets: H,
      dimensions: d,
      vectors: best.vectors,
      weights: best.weights.slice(0, V),
      ...queryWeights,
      validation: best.scores,
      initial,
      epochs,
      heldOut: validIdx,
    };
  } finally {
    t.close();
  }
}
