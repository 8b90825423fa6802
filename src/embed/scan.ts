// The k nearest rows of a flat matrix of unit vectors for each of many queries, by usearch's exact
// SIMD scan (inner product), a few queries per call.
import usearch, { type BatchMatches } from 'usearch';

/** usearch's batch scan holds ~16 bytes per query and row while it runs: 64 queries over 75k rows ~ 80 MB. */
const SCAN_QUERIES = 64;

/** For each query (rows of `queries`), its k nearest rows of `rows`, nearest first, with their dot products. */
export function exactTopK(rows: Float32Array, queries: Float32Array, dimensions: number, k: number): { row: number; score: number }[][] {
  const n = queries.length / dimensions;
  const want = Math.min(k, rows.length / dimensions);
  const out: { row: number; score: number }[][] = [];
  for (let from = 0; from < n; from += SCAN_QUERIES) {
    const to = Math.min(n, from + SCAN_QUERIES);
    // A copy, not a subarray: usearch reads a typed array's buffer from its start, ignoring byteOffset.
    const m = usearch.exactSearch(rows, queries.slice(from * dimensions, to * dimensions), dimensions, want, usearch.MetricKind.IP);
    // One query gets Matches (keys, distances), several get BatchMatches (k per query, and counts).
    const batch = 'counts' in m ? (m as BatchMatches) : undefined;
    for (let i = 0; i < to - from; i++) {
      const at = i * (batch?.k ?? 0);
      const found = batch ? Number(batch.counts[i]) : m.keys.length;
      const hits: { row: number; score: number }[] = [];
      for (let r = 0; r < found; r++) hits.push({ row: Number(m.keys[at + r]), score: 1 - m.distances[at + r]! });
      out.push(hits);
    }
  }
  return out;
}
