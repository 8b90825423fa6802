// Hyphenated compounds joined into one word: "pre-trained" -> "pretrained", "X-ray" -> "Xray",
// "GPT-4o" -> "GPT4o". The full-text index (both engines) and the in-memory matcher add these to a
// paper's words, beside the parts the tokenizers already split out, so a search for the closed form
// ("pretrained", "multiview") finds the papers that hyphenate it. Measured on SciFact's train split:
// nDCG@10 0.7086 -> 0.7107 (OR query); joining the query's own hyphenated words instead lost 0.015,
// so queries are left as typed. Pure.

/** Letters and digits joined by hyphens (ASCII, U+2010, U+2011); an en dash marks a range, not a compound. */
const COMPOUND = /[\p{L}\p{N}]+(?:[-\u2010\u2011][\p{L}\p{N}]+)+/gu;
const HYPHENS = /[-\u2010\u2011]/g;
const LETTER = /\p{L}/u;

/**
 * The joined form of every hyphenated compound in the texts, space-separated, in order of
 * appearance (repeats kept, as term frequency counts them). Number-only compounds ("10-20", a
 * range) are left out.
 */
export function joinedCompounds(...texts: string[]): string {
  const out: string[] = [];
  for (const text of texts) {
    for (const m of text.matchAll(COMPOUND)) if (LETTER.test(m[0])) out.push(m[0].replace(HYPHENS, ''));
  }
  return out.join(' ');
}

/**
 * The same rule as a PostgreSQL regular expression, for the engine's own index function: the two
 * must agree (store tests check it on both engines).
 */
export const COMPOUND_PG_REGEX = '[[:alnum:]]+(?:[-\u2010\u2011][[:alnum:]]+)+';
