// Hybrid ranking: one ordering from a lexical and a semantic result list. Pure.
//
// score: each list's scores are scaled to [0, 1] between the score's theoretical floor and the best
//   score returned (BM25: 0 = no match; cosine: -1), the "TM2C2" convex combination of Bruch et al.,
//   "An Analysis of Fusion Functions for Hybrid Retrieval" (2023). A paper missing from the lexical
//   list counts as no match (0); one missing from the semantic list as the floor.
//   fused = (1 - w) * lexical' + w * semantic'. (Per-list z-scores were measured too: a query whose
//   words match one paper only gave that paper z = 0 and let weak semantic hits outrank it.)
// rrf:   reciprocal rank fusion, (1 - w) / (k + rank_lexical) + w / (k + rank_semantic).
// w = 0 is lexical order exactly; w = 1 semantic order exactly.

import type { Scored } from '../store/dialect/dialect.ts';

export type { Scored };
export type FusionMethod = 'score' | 'rrf';
export type Fused = { id: string; score: number; lexical: number | undefined; semantic: number | undefined };

export const RRF_K = 60;

/** Scales scores to [0, 1] between `floor` and the list's best score. */
function scaled(list: Scored[], floor: number): Map<string, number> {
  const top = Math.max(floor, ...list.map((x) => x.score));
  return new Map(list.map((x) => [x.id, top > floor ? (x.score - floor) / (top - floor) : 1]));
}

export const LEXICAL_FLOOR = 0;
export const COSINE_FLOOR = -1;

/** Both lists best first (higher score = better). Ties keep lexical order, then semantic order. */
export function fuse(lexical: Scored[], semantic: Scored[], weight: number, method: FusionMethod = 'score'): Fused[] {
  const w = Math.min(1, Math.max(0, weight));
  const lex = new Map(lexical.map((x, i) => [x.id, { score: x.score, rank: i + 1 }]));
  const sem = new Map(semantic.map((x, i) => [x.id, { score: x.score, rank: i + 1 }]));
  const ids = [...new Set([...lexical.map((x) => x.id), ...semantic.map((x) => x.id)])];
  const order = new Map(ids.map((id, i) => [id, i]));
  let fused: (id: string) => number;
  if (method === 'rrf') {
    fused = (id) => (lex.has(id) ? (1 - w) / (RRF_K + lex.get(id)!.rank) : 0) + (sem.has(id) ? w / (RRF_K + sem.get(id)!.rank) : 0);
  } else {
    const l = scaled(lexical, LEXICAL_FLOOR);
    const s = scaled(semantic, COSINE_FLOOR);
    fused = (id) => (1 - w) * (l.get(id) ?? 0) + w * (s.get(id) ?? 0);
  }
  if (w === 0) return lexical.map((x) => ({ id: x.id, score: x.score, lexical: x.score, semantic: sem.get(x.id)?.score }));
  return ids
    .map((id) => ({ id, score: fused(id), lexical: lex.get(id)?.score, semantic: sem.get(id)?.score }))
    .sort((a, b) => b.score - a.score || order.get(a.id)! - order.get(b.id)!);
}
