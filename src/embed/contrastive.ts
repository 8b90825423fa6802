// The contrastive loss of a static embedding model, its gradients (derived by hand and checked
// against finite differences in train.test.ts) and its sparse Adagrad update. Pure arithmetic over
// flat typed arrays; kernels.ts has the loops, split so two threads can share them.
//
//   text vector  v = u / |u|,  u = sum over tokens t of w[t] * E[t]
//   loss         mean over i of  -log softmax_j (q_i . d_j / tau) at j = i   (q: titles, d: abstracts)
import { COUNT, rowOfId, type Kernels, LEARNING_RATE, N, Op, ROWS, serialKernels, TEMPERATURE, type Texts, type TrainState } from './kernels.ts';

/**
 * A model: `dimensions` numbers per row, and a weight per token id. Ids are rows, or with query
 * weights (weights twice as long as the rows) id r + rows is row r weighed as a query word.
 */
export type Params = { dimensions: number; vectors: Float32Array; weights: Float32Array };

/** A model being trained: its parameters (in memory the kernels' threads share), batch by batch. */
export type Trainer = {
  params: Params;
  /** Loss of a batch (queries[i]'s positive is docs[i]; the other docs are its negatives); keeps its gradients for step(). */
  loss(queries: number[][], docs: number[][], temperature: number): number;
  /** The last batch's gradients: dense, as large as the model. */
  gradients(): { vectors: Float32Array; weights: Float32Array };
  /** Sparse Adagrad on the rows the last batch touched; clears its gradients. */
  step(learningRate: number): void;
  /** The unit vectors of texts, one row each in a flat matrix (a new array). */
  encodeAll(texts: number[][]): Float32Array;
  close(): void;
};

export function trainer(initial: Params, kernels: Kernels = serialKernels): Trainer {
  const d = initial.dimensions;
  // Rows of vectors; token ids (weights) are as many, or twice as many with query weights.
  const V = initial.vectors.length / d;
  const ids = initial.weights.length;
  const copy = (a: Float32Array) => {
    const b = kernels.f32(a.length);
    b.set(a);
    return b;
  };
  const texts = (): Texts => ({ ids: kernels.i32(0), starts: kernels.i32(1) });
  const s: TrainState = {
    version: 0,
    d,
    vectors: copy(initial.vectors),
    weights: copy(initial.weights),
    gradV: kernels.f32(V * d),
    gradW: kernels.f32(ids),
    accV: kernels.f32(V),
    accW: kernels.f32(ids),
    rows: kernels.i32(V),
    queries: texts(),
    docs: texts(),
    q: kernels.f32(0),
    dv: kernels.f32(0),
    qLength: kernels.f64(0),
    dLength: kernels.f64(0),
    gq: kernels.f32(0),
    gd: kernels.f32(0),
    g: kernels.f64(0),
    loss: kernels.f64(0),
    texts: texts(),
    out: kernels.f32(0),
    outLength: kernels.f64(0),
    sizes: kernels.f64(5),
  };
  // The batch a row was last marked touched in (no clearing between batches).
  const touched = new Int32Array(V).fill(-1);
  let batch = 0;

  /** Token lists into flat arrays, grown (never shrunk) as needed: memory stays flat however long training runs. */
  const flatten = (lists: number[][], into: Texts): Texts => {
    let total = 0;
    for (const l of lists) total += l.length;
    let t = into;
    if (t.ids.length < total || t.starts.length < lists.length + 1) {
      t = { ids: kernels.i32(Math.max(total, t.ids.length)), starts: kernels.i32(Math.max(lists.length + 1, t.starts.length)) };
      s.version++;
    }
    let at = 0;
    for (const [k, l] of lists.entries()) {
      t.starts[k] = at;
      t.ids.set(l, at);
      at += l.length;
    }
    t.starts[lists.length] = at;
    return t;
  };
  /** Replaces the batch's arrays when a larger batch comes. */
  const fit = (n: number) => {
    if (s.loss.length >= n) return;
    Object.assign(s, {
      q: kernels.f32(n * d),
      dv: kernels.f32(n * d),
      qLength: kernels.f64(n),
      dLength: kernels.f64(n),
      gq: kernels.f32(n * d),
      gd: kernels.f32(n * d),
      g: kernels.f64(n * n),
      loss: kernels.f64(n),
    });
    s.version++;
  };

  return {
    params: { dimensions: d, vectors: s.vectors, weights: s.weights },
    loss(queries, docs, temperature) {
      const n = queries.length;
      fit(n);
      s.queries = flatten(queries, s.queries);
      s.docs = flatten(docs, s.docs);
      s.sizes[N] = n;
      s.sizes[TEMPERATURE] = temperature;
      batch++;
      let rows = 0;
      for (const lists of [queries, docs]) {
        for (const l of lists) {
          for (const t of l) {
            const r = rowOfId(t, V);
            if (touched[r] === batch) continue;
            touched[r] = batch;
            s.rows[rows++] = r;
          }
        }
      }
      s.sizes[ROWS] = rows;
      s.gq.fill(0, 0, n * d);
      s.gd.fill(0, 0, n * d);
      kernels.run(Op.forward, s);
      kernels.run(Op.similarities, s);
      // gq_i = sum_j g_ij d_j and gd_j = sum_i g_ij q_i, then back to the token rows.
      kernels.run(Op.gradients, s);
      kernels.run(Op.backward, s);
      let loss = 0;
      for (let i = 0; i < n; i++) loss += s.loss[i]!;
      return loss;
    },
    gradients: () => ({ vectors: s.gradV, weights: s.gradW }),
    step(learningRate) {
      s.sizes[LEARNING_RATE] = learningRate;
      kernels.run(Op.update, s);
      s.sizes[ROWS] = 0;
    },
    encodeAll(lists) {
      s.texts = flatten(lists, s.texts);
      if (s.out.length < lists.length * d) {
        s.out = kernels.f32(lists.length * d);
        s.outLength = kernels.f64(lists.length);
        s.version++;
      }
      s.sizes[COUNT] = lists.length;
      kernels.run(Op.encode, s);
      return s.out.slice(0, lists.length * d);
    },
    close: () => kernels.close(),
  };
}

/** Loss of one batch and its gradients with respect to E and w (a trainer used once). */
export function batchLoss(
  p: Params,
  queries: number[][],
  docs: number[][],
  temperature: number,
): { loss: number; grads: { vectors: Float32Array; weights: Float32Array } } {
  const t = trainer(p);
  return { loss: t.loss(queries, docs, temperature), grads: t.gradients() };
}
