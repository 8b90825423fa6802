// The arithmetic of a contrastive training step, split into parts two threads can share (threads.ts):
// encoding texts, the n x n similarities and softmax of a batch, their gradients back to the text
// vectors and to the token rows, and the Adagrad update. Each part fills outputs no other part
// touches, and every output element gets its terms in the same order whichever thread computes it,
// so one thread or two produce exactly the same model.
//   q, dv: n x d (unit rows)   g: n x n (similarities in, dL/dlogit / tau out)   gq, gd: n x d

/** g[i][j] = q_i . d_j for i in [from, to) and every j, four queries at a time (each document row is read once for four). */
export function similarityRows(
  q: Float32Array,
  dv: Float32Array,
  g: Float64Array,
  n: number,
  d: number,
  from: number,
  to: number,
): void {
  let i = from;
  for (; i + 3 < to; i += 4) {
    const a0 = i * d;
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
      g[i * n + j] = s0;
      g[(i + 1) * n + j] = s1;
      g[(i + 2) * n + j] = s2;
      g[(i + 3) * n + j] = s3;
    }
  }
  for (; i < to; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += q[i * d + c]! * dv[j * d + c]!;
      g[i * n + j] = s;
    }
  }
}

/**
 * out[o + c] += x0 src[s0 + c] + x1 src[s1 + c] + x2 src[s2 + c] + x3 src[s3 + c] for c < d, the
 * terms in that order, rounded to float32 after each (as four separate passes would be), zero
 * weights skipped; the row is read and written once for four.
 */
function addFour(
  out: Float32Array,
  o: number,
  src: Float32Array,
  s0: number,
  s1: number,
  s2: number,
  s3: number,
  x0: number,
  x1: number,
  x2: number,
  x3: number,
  d: number,
): void {
  const f = Math.fround;
  if (x0 !== 0 && x1 !== 0 && x2 !== 0 && x3 !== 0) {
    // The common case, without a test per term.
    for (let c = 0; c < d; c++) out[o + c] = f(f(f(f(out[o + c]! + x0 * src[s0 + c]!) + x1 * src[s1 + c]!) + x2 * src[s2 + c]!) + x3 * src[s3 + c]!);
    return;
  }
  for (let c = 0; c < d; c++) {
    let w = out[o + c]!;
    if (x0 !== 0) w = f(w + x0 * src[s0 + c]!);
    if (x1 !== 0) w = f(w + x1 * src[s1 + c]!);
    if (x2 !== 0) w = f(w + x2 * src[s2 + c]!);
    if (x3 !== 0) w = f(w + x3 * src[s3 + c]!);
    out[o + c] = w;
  }
}

/**
 * gq_i += sum_j g_ij d_j for i in [from, to), terms in j order, four documents at a time; zero
 * entries are skipped.
 */
export function queryGradRows(
  g: Float64Array,
  dv: Float32Array,
  gq: Float32Array,
  n: number,
  d: number,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const a = i * d;
    const r = i * n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const x0 = g[r + j]!;
      const x1 = g[r + j + 1]!;
      const x2 = g[r + j + 2]!;
      const x3 = g[r + j + 3]!;
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      addFour(gq, a, dv, j * d, (j + 1) * d, (j + 2) * d, (j + 3) * d, x0, x1, x2, x3, d);
    }
    for (; j < n; j++) {
      const x = g[r + j]!;
      if (x === 0) continue;
      const b = j * d;
      for (let c = 0; c < d; c++) gq[a + c]! += x * dv[b + c]!;
    }
  }
}

/**
 * gd_j += sum_i g_ij q_i for j in [from, to), terms in i order, four queries at a time; zero
 * entries are skipped.
 */
export function docGradRows(
  g: Float64Array,
  q: Float32Array,
  gd: Float32Array,
  n: number,
  d: number,
  from: number,
  to: number,
): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a0 = i * d;
    for (let j = from; j < to; j++) {
      const x0 = g[i * n + j]!;
      const x1 = g[(i + 1) * n + j]!;
      const x2 = g[(i + 2) * n + j]!;
      const x3 = g[(i + 3) * n + j]!;
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      addFour(gd, j * d, q, a0, a0 + d, a0 + 2 * d, a0 + 3 * d, x0, x1, x2, x3, d);
    }
  }
  for (; i < n; i++) {
    for (let j = from; j < to; j++) {
      const x = g[i * n + j]!;
      if (x === 0) continue;
      for (let c = 0; c < d; c++) gd[j * d + c]! += x * q[i * d + c]!;
    }
  }
}

/** Token ids of texts, flat: text k is ids[starts[k] .. starts[k + 1]). */
export type Texts = { ids: Int32Array; starts: Int32Array };

/** Indices into TrainState.sizes. */
export const N = 0;
export const ROWS = 1;
export const TEMPERATURE = 2;
export const LEARNING_RATE = 3;
export const COUNT = 4;

/**
 * Everything a training step reads and writes, in memory both threads share when there are two.
 * Sizes that change from call to call are in `sizes` (shared too); an array is replaced only when it
 * must grow, and then `version` goes up so the other thread is sent the new arrays.
 */
export type TrainState = {
  version: number;
  d: number;
  /**
   * The model: d numbers per token row and a weight per token id. A model with query weights has
   * twice as many weights as rows: id r + rows is row r weighed as a query word (see rowOfId).
   */
  vectors: Float32Array;
  weights: Float32Array;
  /** The batch's gradients (dense; only the rows listed in `rows` are non-zero) and Adagrad's sums. */
  gradV: Float32Array;
  gradW: Float32Array;
  accV: Float32Array;
  accW: Float32Array;
  /** The token rows (not ids) the batch touched: the first sizes[ROWS] entries. */
  rows: Int32Array;
  /** The batch: n queries and their n documents, their unit vectors, lengths before scaling, gradients. */
  queries: Texts;
  docs: Texts;
  q: Float32Array;
  dv: Float32Array;
  qLength: Float64Array;
  dLength: Float64Array;
  gq: Float32Array;
  gd: Float32Array;
  g: Float64Array;
  /** Each query's share of the batch loss. */
  loss: Float64Array;
  /** Texts to encode (sizes[COUNT] of them) and their unit vectors. */
  texts: Texts;
  out: Float32Array;
  outLength: Float64Array;
  /** [n, rows, temperature, learning rate, count] */
  sizes: Float64Array;
};

/** The operations, in the order a step runs them (encode is for texts outside a batch). */
export const Op = { encode: 1, forward: 2, similarities: 3, gradients: 4, backward: 5, update: 6 } as const;
export type Op = (typeof Op)[keyof typeof Op];

/** The row of token id `tok` in a model of `rows` rows (an id past them is a row weighed as a query word). */
export const rowOfId = (tok: number, rows: number): number => (tok >= rows ? tok - rows : tok);

/** Unit vectors of texts from, to: u = sum of w[t] E[t] over its tokens, scaled to length 1 (a zero row stays zero). */
function encodeRows(s: TrainState, t: Texts, out: Float32Array, lengths: Float64Array, from: number, to: number): void {
  const { d, vectors, weights } = s;
  const rows = vectors.length / d;
  for (let k = from; k < to; k++) {
    const at = k * d;
    out.fill(0, at, at + d);
    const end = t.starts[k + 1]!;
    for (let x = t.starts[k]!; x < end; x++) {
      const tok = t.ids[x]!;
      const w = weights[tok]!;
      const row = rowOfId(tok, rows) * d;
      for (let c = 0; c < d; c++) out[at + c]! += w * vectors[row + c]!;
    }
    let sq = 0;
    for (let c = 0; c < d; c++) sq += out[at + c]! ** 2;
    const len = Math.sqrt(sq) || 1;
    lengths[k] = len;
    for (let c = 0; c < d; c++) out[at + c]! /= len;
  }
}

/** In-batch negatives whose softmax probability is below this are left out of the gradient. */
const NEGLIGIBLE = 1e-7;

/** Rows [from, to) of g: similarities in, dL/dlogit / tau out; loss[i] = query i's share of the loss. */
function softmaxRows(g: Float64Array, loss: Float64Array, n: number, temperature: number, from: number, to: number): void {
  for (let i = from; i < to; i++) {
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
    loss[i] = -(own - max - Math.log(z)) / n;
    for (let j = 0; j < n; j++) {
      const prob = g[i * n + j]! / z;
      // A negative the softmax all but ignores adds nothing measurable: skipping it (in the
      // gradient kernels) saves most of the work of large batches.
      g[i * n + j] = i !== j && prob < NEGLIGIBLE ? 0 : (prob - (i === j ? 1 : 0)) / n / temperature;
    }
  }
}

/**
 * Gradients of the token rows and weights from those of the text vectors, for the tokens on rows r
 * with r % parts === part (so two threads never write the same row or weight), texts in batch order.
 *   v = u / |u|  =>  du = (gv - v (v . gv)) / |u|;  dE[t] += w[t] du;  dw[t] += E[t] . du
 */
function backward(s: TrainState, part: number, parts: number): void {
  const { d, vectors, weights, gradV, gradW } = s;
  const n = s.sizes[N]!;
  const gu = new Float32Array(d);
  const rows = vectors.length / d;
  const text = (t: Texts, k: number, v: Float32Array, gv: Float32Array, length: number) => {
    const at = k * d;
    let vg = 0;
    for (let c = 0; c < d; c++) vg += v[at + c]! * gv[at + c]!;
    for (let c = 0; c < d; c++) gu[c] = (gv[at + c]! - v[at + c]! * vg) / length;
    for (let x = t.starts[k]!; x < t.starts[k + 1]!; x++) {
      const tok = t.ids[x]!;
      const r = rowOfId(tok, rows);
      if (r % parts !== part) continue;
      const w = weights[tok]!;
      const row = r * d;
      let gw = 0;
      for (let c = 0; c < d; c++) {
        gradV[row + c]! += w * gu[c]!;
        gw += vectors[row + c]! * gu[c]!;
      }
      gradW[tok]! += gw;
    }
  };
  for (let k = 0; k < n; k++) {
    text(s.queries, k, s.q, s.gq, s.qLength[k]!);
    text(s.docs, k, s.dv, s.gd, s.dLength[k]!);
  }
}

/**
 * Sparse Adagrad on the touched rows [from, to) of `rows` (one accumulator per row: its mean squared
 * gradient) and their weights (as a query word too, when the model has query weights), then their
 * gradients cleared.
 */
function update(s: TrainState, from: number, to: number): void {
  const { d, vectors, weights, gradV, gradW, accV, accW } = s;
  const rate = s.sizes[LEARNING_RATE]!;
  const rows = vectors.length / d;
  const weight = (t: number) => {
    const gw = gradW[t]!;
    accW[t]! += gw * gw;
    weights[t] = Math.max(0, weights[t]! - (rate / Math.sqrt(accW[t]! + 1e-8)) * gw);
    gradW[t] = 0;
  };
  for (let r = from; r < to; r++) {
    const t = s.rows[r]!;
    let sq = 0;
    for (let c = 0; c < d; c++) sq += gradV[t * d + c]! ** 2;
    accV[t]! += sq / d;
    const step = rate / Math.sqrt(accV[t]! + 1e-8);
    for (let c = 0; c < d; c++) vectors[t * d + c]! -= step * gradV[t * d + c]!;
    gradV.fill(0, t * d, (t + 1) * d);
    weight(t);
    if (weights.length > rows) weight(t + rows);
  }
}

/** Runs this thread's part (of `parts`) of an operation: rows split in contiguous halves, token rows by parity. */
export function runPart(op: Op, s: TrainState, part: number, parts: number): void {
  const split = (m: number) => [Math.floor((m * part) / parts), Math.floor((m * (part + 1)) / parts)] as const;
  const n = s.sizes[N]!;
  const d = s.d;
  if (op === Op.encode) {
    const [from, to] = split(s.sizes[COUNT]!);
    encodeRows(s, s.texts, s.out, s.outLength, from, to);
  } else if (op === Op.forward) {
    const [from, to] = split(n);
    encodeRows(s, s.queries, s.q, s.qLength, from, to);
    encodeRows(s, s.docs, s.dv, s.dLength, from, to);
  } else if (op === Op.similarities) {
    const [from, to] = split(n);
    similarityRows(s.q, s.dv, s.g, n, d, from, to);
    softmaxRows(s.g, s.loss, n, s.sizes[TEMPERATURE]!, from, to);
  } else if (op === Op.gradients) {
    const [from, to] = split(n);
    queryGradRows(s.g, s.dv, s.gq, n, d, from, to);
    docGradRows(s.g, s.q, s.gd, n, d, from, to);
  } else if (op === Op.backward) {
    backward(s, part, parts);
  } else {
    const [from, to] = split(s.sizes[ROWS]!);
    update(s, from, to);
  }
}

/** Where the operations run: this thread alone, or split with a worker thread (threads.ts). */
export type Kernels = {
  /** Arrays the threads share (plain ones for one thread). */
  f32(length: number): Float32Array;
  f64(length: number): Float64Array;
  i32(length: number): Int32Array;
  run(op: Op, s: TrainState): void;
  close(): void;
};

export const serialKernels: Kernels = {
  f32: (l) => new Float32Array(l),
  f64: (l) => new Float64Array(l),
  i32: (l) => new Int32Array(l),
  run: (op, s) => runPart(op, s, 0, 1),
  close() {},
};
