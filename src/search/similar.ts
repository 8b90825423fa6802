// Which words of a paper to look for when finding related papers lexically. Pure.
//
// Querying every title word makes common ones ("learning", "model") pull in half the corpus, which
// is slow to rank and adds nothing. So take the rarest words first and stop once they would match
// more than a small share of the corpus; words found only in this paper itself are skipped.

/** Stop adding words once they would together match this share of all papers. */
export const SIMILAR_MAX_SHARE = 0.03;
export const SIMILAR_MAX_TERMS = 6;
export const SIMILAR_MIN_TERMS = 2;

export function distinctiveTerms(frequencies: Map<string, number>, totalPapers: number): string[] {
  const budget = Math.max(50, totalPapers * SIMILAR_MAX_SHARE);
  const byRarity = [...frequencies].filter(([, df]) => df > 1).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const picked: string[] = [];
  let matched = 0;
  for (const [term, df] of byRarity) {
    if (picked.length >= SIMILAR_MAX_TERMS) break;
    if (picked.length >= SIMILAR_MIN_TERMS && matched + df > budget) break;
    picked.push(term);
    matched += df;
  }
  return picked;
}
