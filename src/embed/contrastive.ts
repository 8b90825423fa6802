// The contrastive loss of a static embedding model and its gradients, derived by hand and checked
// against finite differences in train.test.ts. Pure arithmetic over flat typed arrays.
//
//   text vector  v = u / |u|,  u = sum over tokens t of w[t] * E[t]
//   loss         mean over i of  -log softmax_j (q_i . d_j / tau) at j = i   (q: titles, d: abstracts)
import { normalize } from './embedder.ts';
import { type Kernels, serialKernels, type Workspace } from './kernels.ts';

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
export type Grads = {
  rows: number[];
  vectors: Float32Array;
  weights: Float32Array;
  touched: Uint8Array;
  /** Where the batch arithmetic runs (this thread, or two: threads.ts). */
  kernels: Kernels;
  /** Per-batch working arrays, kept from batch to batch: memory stays flat however long training runs. */
  scratch: Workspace | undefined;
};

export function gradBuffers(vocabSize: number, dimensions: number, kernels: Kernels = serialKernels): Grads {
  return {
    rows: [],
    vectors: new Float32Array(vocabSize * dimensions),
    weights: new Float32Array(vocabSize),
    touched: new Uint8Array(vocabSize),
    kernels,
    scratch: undefined,
  };
}

/** The working arrays for a batch of n, the vector parts zeroed. */
function scratch(grads: Grads, n: number, d: number): Workspace {
  let s = grads.scratch;
  if (!s || s.n < n || s.q.length < n * d) {
    s = grads.kernels.workspace(n, d);
    grads.scratch = s;
  }
  for (const a of [s.q, s.dv, s.gq, s.gd]) a.fill(0, 0, n * d);
  return s;
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
  const work = scratch(grads, n, d);
  const { q, dv, gq, gd, g } = work;
  for (let i = 0; i < n; i++) {
    sumInto(p, queries[i]!, q, i * d);
    sumInto(p, docs[i]!, dv, i * d);
  }
  const qn = normalizeRows(q, d);
  const dn = normalizeRows(dv, d);
  grads.kernels.similarities(work, n, d);
  // g[i][j] = dL/dlogit_ij / tau, where logit_ij = q_i . d_j / tau.
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
  // gq_i = sum_j g_ij d_j and gd_j = sum_i g_ij q_i (kernels.ts).
  grads.kernels.gradients(work, n, d);
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

/** Encodes each token list into one row of a flat matrix of unit vectors. */
export function encodeAll(p: Params, texts: number[][]): Float32Array {
  const d = p.dimensions;
  const out = new Float32Array(texts.length * d);
  for (const [i, ids] of texts.entries()) sumInto(p, ids, out, i * d);
  normalizeRows(out, d);
  return out;
}
