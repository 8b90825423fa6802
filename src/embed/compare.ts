// Comparing two static models on the same held-out papers, the way the retrain job decides whether
// a newly trained model replaces the one in use. Both are scored as saved (int8), on title ->
// abstract retrieval among all the papers. Pure.
import { words } from './embedder.ts';
import { embedWords, type StaticModel, weightsFor } from './static.ts';
import { type Pair, retrievalScores, type Scores } from './train.ts';

export function heldOutScores(m: StaticModel, pairs: Pair[], heldOut: number[]): Scores {
  const d = m.dimensions;
  const docs = new Float32Array(pairs.length * d);
  for (const [i, p] of pairs.entries()) docs.set(embedWords(m, words(p.abstract), weightsFor(m, 'document')), i * d);
  const queries = new Float32Array(heldOut.length * d);
  for (const [i, q] of heldOut.entries()) queries.set(embedWords(m, words(pairs[q]!.title), weightsFor(m, 'query')), i * d);
  return retrievalScores(queries, heldOut, docs, d);
}

/** A new model replaces the current one only when it is at least as good on both measures. */
export const atLeastAsGood = (next: Scores, current: Scores): boolean => next.recallAt10 >= current.recallAt10 && next.mrrAt10 >= current.mrrAt10;
