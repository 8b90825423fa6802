// The dense arithmetic of a contrastive training batch: the n x n similarities of its queries and
// documents, and their gradients back to both. Each kernel fills a range of output rows, so two
// threads can share one batch (threads.ts) and still produce exactly the serial result: every
// output element gets its terms in the same order whichever thread computes it.
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

/** gq_i += sum_j g_ij d_j for i in [from, to), terms in j order; zero entries are skipped. */
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
    for (let j = 0; j < n; j++) {
      const x = g[i * n + j]!;
      if (x === 0) continue;
      const b = j * d;
      for (let c = 0; c < d; c++) gq[a + c]! += x * dv[b + c]!;
    }
  }
}

/**
 * gd_j += sum_i g_ij q_i for j in [from, to), terms in i order, four queries at a time (each
 * document's gradient row is read and written once for four; rounded to float32 after each term,
 * as one at a time would be).
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
  const f = Math.fround;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a0 = i * d;
    const a1 = a0 + d;
    const a2 = a1 + d;
    const a3 = a2 + d;
    for (let j = from; j < to; j++) {
      const x0 = g[i * n + j]!;
      const x1 = g[(i + 1) * n + j]!;
      const x2 = g[(i + 2) * n + j]!;
      const x3 = g[(i + 3) * n + j]!;
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      const b = j * d;
      for (let c = 0; c < d; c++) {
        let w = gd[b + c]!;
        if (x0 !== 0) w = f(w + x0 * q[a0 + c]!);
        if (x1 !== 0) w = f(w + x1 * q[a1 + c]!);
        if (x2 !== 0) w = f(w + x2 * q[a2 + c]!);
        if (x3 !== 0) w = f(w + x3 * q[a3 + c]!);
        gd[b + c] = w;
      }
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

/** A batch's arrays, for up to `n` pairs of `d` dimensions: the kernels use their first n x d (or n x n) entries. */
export type Workspace = {
  n: number;
  q: Float32Array;
  dv: Float32Array;
  gq: Float32Array;
  gd: Float32Array;
  g: Float64Array;
};

/** Runs the kernels of a batch, on this thread or shared with another (threads.ts). */
export type Kernels = {
  /** A batch's arrays (in memory the threads share, when there are several). */
  workspace(n: number, d: number): Workspace;
  /** g[i][j] = q_i . d_j for every i, j < n. */
  similarities(w: Workspace, n: number, d: number): void;
  /** gq_i += sum_j g_ij d_j and gd_j += sum_i g_ij q_i. */
  gradients(w: Workspace, n: number, d: number): void;
  close(): void;
};

export function allocateWorkspace(
  n: number,
  d: number,
  f32: (length: number) => Float32Array,
  f64: (length: number) => Float64Array,
): Workspace {
  return { n, q: f32(n * d), dv: f32(n * d), gq: f32(n * d), gd: f32(n * d), g: f64(n * n) };
}

export const serialKernels: Kernels = {
  workspace: (n, d) =>
    allocateWorkspace(
      n,
      d,
      (l) => new Float32Array(l),
      (l) => new Float64Array(l),
    ),
  similarities: (w, n, d) => similarityRows(w.q, w.dv, w.g, n, d, 0, n),
  gradients(w, n, d) {
    queryGradRows(w.g, w.dv, w.gq, n, d, 0, n);
    docGradRows(w.g, w.q, w.gd, n, d, 0, n);
  },
  close() {},
};
