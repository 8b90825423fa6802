// Spelling suggestions for a word no paper has ("did you mean"): the known words nearest to it by
// edit distance, the more frequent first. The known words come from the embedding model, whose
// vocabulary is the corpus's words in frequency order; the search checks that a paper has the word
// before suggesting it. Pure.

/** Suggestions looked at for one word, best first. */
export const MAX_SUGGESTIONS = 3;

/** Edits allowed: none for words under 4 letters (too many neighbours), 1 up to 7 letters, 2 from 8. */
export const maxEdits = (word: string): number => (word.length < 4 ? 0 : word.length < 8 ? 1 : 2);

/**
 * The optimal-string-alignment distance of a and b (insertions, deletions, substitutions, and swaps
 * of two neighbouring letters, each 1) when it is at most `max`; otherwise max + 1.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (scratch.length < 3 * (b.length + 1)) scratch = new Int32Array(6 * (b.length + 1));
  const w = b.length + 1;
  // Three rows of the table in one reused buffer (no allocation per word compared): i - 2, i - 1, i.
  let before = 0;
  let prev = w;
  let row = 2 * w;
  for (let j = 0; j <= b.length; j++) scratch[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    scratch[row] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(scratch[prev + j]! + 1, scratch[row + j - 1]! + 1, scratch[prev + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, scratch[before + j - 2]! + 1);
      scratch[row + j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    [before, prev, row] = [prev, row, before];
  }
  return Math.min(scratch[prev + b.length]!, max + 1);
}
let scratch = new Int32Array(96);

/** Known words nearest to a word, best first (fewest edits, then most frequent); never the word itself. */
export type Speller = (word: string) => string[];

const SPELLABLE = /^\p{L}+$/u;

type Known = { word: string; rank: number };
/** Known words by a key letter, then by length. */
type Shelves = Map<string, Map<number, Known[]>>;
const shelve = (shelves: Shelves, key: string, k: Known) => {
  const byLength = shelves.get(key) ?? new Map<number, Known[]>();
  shelves.set(key, byLength);
  const list = byLength.get(k.word.length) ?? [];
  byLength.set(k.word.length, list);
  list.push(k);
};

/**
 * A speller over words in frequency order (most frequent first); words with digits or marks are left
 * out. Only words that could start the way the word does are compared: the same first letter, its
 * second letter first (the first two swapped, or a letter added in front), or its first letter second
 * (the first letter dropped), or the same second letter (a wrong first letter). 50,000 words take
 * 0.1-3.5 ms a word.
 */
export function createSpeller(words: readonly string[]): Speller {
  const byFirst: Shelves = new Map();
  const bySecond: Shelves = new Map();
  words.forEach((word, rank) => {
    if (!SPELLABLE.test(word)) return;
    shelve(byFirst, word[0]!, { word, rank });
    if (word.length > 1) shelve(bySecond, word[1]!, { word, rank });
  });
  return (word) => {
    const max = maxEdits(word);
    if (max === 0 || !SPELLABLE.test(word)) return [];
    const found = new Map<string, { rank: number; d: number }>();
    const look = (byLength: Map<number, Known[]> | undefined) => {
      for (let len = word.length - max; len <= word.length + max; len++) {
        for (const k of byLength?.get(len) ?? []) {
          if (k.word === word || found.has(k.word)) continue;
          const d = editDistance(word, k.word, max);
          if (d <= max) found.set(k.word, { rank: k.rank, d });
        }
      }
    };
    look(byFirst.get(word[0]!));
    look(byFirst.get(word[1]!));
    look(bySecond.get(word[0]!));
    // A wrong first letter. Not only when nothing else is near: the corpus's words hold fragments such
    // as "ransformer", one edit from "kransformer" too, and no paper may have them.
    if (word.length > 1) look(bySecond.get(word[1]!));
    return [...found]
      .sort(([, a], [, b]) => a.d - b.d || a.rank - b.rank)
      .slice(0, MAX_SUGGESTIONS)
      .map(([w]) => w);
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The query as typed with each word replaced by its correction (words matched whole, in any case);
 * undefined when none of them could be found in the text.
 */
export function corrected(text: string, corrections: Map<string, string>): string | undefined {
  let out = text;
  for (const [word, right] of corrections) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'giu'), right);
  }
  return out === text ? undefined : out;
}

/** The words of `words` (most frequent first) that begin with `prefix`, the prefix itself included, up to `limit`, most frequent first. */
export function completions(words: readonly string[], prefix: string, limit: number): string[] {
  const out: string[] = [];
  for (const w of words) {
    if (w.startsWith(prefix) && SPELLABLE.test(w)) out.push(w);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * The word being typed at the end of a query, where it can be completed: a run of letters ending the
 * text, on its own or after a hyphen ("vision-lang"), not inside quotes or a filter (`"trust reg`,
 * `author:"Kai Mi`, `cat:cs`) and not an exclusion (`-surv`); else undefined.
 */
export function wordBeingTyped(text: string): string | undefined {
  const last = /(\S+)$/u.exec(text)?.[1];
  const inQuotes = (text.match(/"/g)?.length ?? 0) % 2 === 1;
  if (!last || inQuotes || /[:"]/.test(last) || last.startsWith('-')) return undefined;
  return /(?:^|-)(\p{L}{2,})$/u.exec(last)?.[1];
}
