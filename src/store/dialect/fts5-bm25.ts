// FTS5's bm25() for a few papers, computed from their text and the full index's statistics, without
// evaluating a query over every paper it matches (what bm25() does to count each phrase's papers).
// Pure: the caller passes the stemmer (the index's own tokenizer, behind a cache) and the counts.
//
// bm25() (fts5_aux.c): for each phrase of the query, idf x f (k1 + 1) / (f + k1 (1 - b + b D / avgD)),
// where f sums the column weights of the phrase's occurrences in the row, D is the row's length in
// tokens (all columns), avgD the mean over the index, idf = ln((N - n + 0.5) / (n + 0.5)) (1e-6 when
// not positive) for N rows of which n have the phrase; k1 = 1.2, b = 0.75.
//
// Occurrences are found without splitting every token: unicode61 makes tokens of letters, digits and
// private-use characters, folded to lower case without diacritics, and Porter's stem of a token
// keeps all but at most its last two letters from the token (its rewrites change at most two letters
// at the end: "sensibiliti" -> "sensible"; the rest only cut). So each phrase's first stem is looked
// for by that prefix (indexOf) at the start of a token, the token there is stemmed, and a phrase's
// next tokens are read right after it. 0.2 ms for 100 abstracts, against 3-4 ms to split them all with
// a Unicode regex and ~5 ms to index them apart in FTS5. On the 74,728-paper sample, 2,998 queries of
// title words (299,158 papers scored) gave bm25()'s scores to 6e-16.

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/** What bm25() takes from the whole index. */
export type IndexStats = {
  rows: number;
  /** Tokens in all rows and columns. */
  tokens: number;
};

/** A paper as the index holds it: its columns' text, in the index's column order, and its length in tokens. */
export type IndexedText = { id: string; columns: string[]; length: number };

/** The index's tokens of a word (usually one). */
export type Stem = (word: string) => readonly string[];
/**
 * The index's tokenizer behind a cache: `known` answers for words stemmed before (else undefined),
 * `learn` stems words at once (asking the tokenizer costs a statement, so a scan collects them).
 */
export type Stemmer = { known(word: string): readonly string[] | undefined; learn(words: string[]): void };
/** Scans of a paper set, each learning the words the last one met unknown (a phrase's nth token needs n). */
const MAX_SCANS = 8;

const WORD_CHAR = /[\p{L}\p{N}\p{Co}]/u;
const ASCII = /^[\x00-\x7f]*$/;

/** Text as unicode61 with remove_diacritics folds it: lower case, combining marks dropped. */
export function folded(text: string): string {
  const lower = text.toLowerCase();
  return ASCII.test(lower) ? lower : lower.normalize('NFD').replace(/\p{Mn}/gu, '');
}

function isWordChar(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
  if (c >= 0xdc00 && c <= 0xdfff && at > 0) return WORD_CHAR.test(text.slice(at - 1, at + 1)); // low surrogate
  return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(at)!));
}

/** End of the token starting at `at`. */
function tokenEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && isWordChar(text, i)) i++;
  return i;
}

/** Start of the next token at or after `at`, or -1. */
function nextToken(text: string, at: number): number {
  let i = at;
  while (i < text.length && !isWordChar(text, i)) i++;
  return i < text.length ? i : -1;
}

/**
 * How often the phrase (stems, in order) occurs in a folded text, as consecutive tokens. A token the
 * stemmer splits in several (a Unicode difference between this scan and the tokenizer) counts as its
 * first stem followed by the rest.
 */
export function phraseCount(text: string, phrase: readonly string[], stem: Stem): number {
  const first = phrase[0];
  if (first === undefined) return 0;
  const prefix = first.slice(0, Math.max(1, first.length - 2));
  let count = 0;
  for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
    if (at > 0 && isWordChar(text, at - 1)) continue;
    // The stems read from here on, as many as the phrase has.
    const seen: string[] = [];
    let pos = at;
    while (seen.length < phrase.length && pos >= 0) {
      const end = tokenEnd(text, pos);
      seen.push(...stem(text.slice(pos, end)));
      if (seen[0] !== first) break;
      pos = nextToken(text, end);
    }
    if (seen.length >= phrase.length && phrase.every((t, k) => seen[k] === t)) count++;
  }
  return count;
}

/** The unsigned varints of an FTS5 record, as SQLite writes them: 7 bits a byte, high bits first, a ninth byte whole. */
export function varints(buf: Uint8Array): number[] {
  const out: number[] = [];
  let at = 0;
  while (at < buf.length) {
    let v = 0;
    let i = 0;
    while (i < 8 && at + i < buf.length) {
      const b = buf[at + i]!;
      v = v * 128 + (b & 0x7f);
      i++;
      if ((b & 0x80) === 0) break;
    }
    if (i === 8 && buf[at + 7]! & 0x80) {
      v = v * 256 + buf[at + 8]!;
      i++;
    }
    at += i;
    out.push(v);
  }
  return out;
}

/** bm25()'s idf for a phrase that `hits` of `rows` rows have. */
export function idf(rows: number, hits: number): number {
  const x = Math.log((rows - hits + 0.5) / (hits + 0.5));
  return x <= 0 ? 1e-6 : x;
}

/**
 * Each paper's bm25() for the phrases OR'd (`phraseHits`: rows having each phrase; `weights`: per
 * column, as given to bm25()). Papers with none of the phrases are left out.
 */
export function bm25(papers: IndexedText[], phrases: (readonly string[])[], phraseHits: number[], stats: IndexStats, weights: number[], stemmer: Stemmer): Map<string, number> {
  const scores = new Map<string, number>();
  if (stats.rows === 0) return scores;
  const meanLength = stats.tokens / stats.rows;
  const idfs = phraseHits.map((n) => idf(stats.rows, n));
  const texts = papers.map((p) => p.columns.map(folded));
  // Occurrences by paper, phrase and column; undefined until a scan of that text meets no unknown word.
  const counts = papers.map((p) => phrases.map(() => new Array<number | undefined>(p.columns.length)));
  // Scan, collecting the words met that were never stemmed; stem them at once and scan again the texts
  // that met one, until none does (two scans for words alone; 0.2 ms each for 100 abstracts).
  for (let scan = 1; ; scan++) {
    const unknown = new Set<string>();
    let missed = false;
    const stem = (word: string) => {
      const s = stemmer.known(word);
      if (s) return s;
      unknown.add(word);
      missed = true;
      return [];
    };
    for (const [p, columns] of texts.entries()) {
      for (const [i, phrase] of phrases.entries()) {
        for (const [c, text] of columns.entries()) {
          if (counts[p]![i]![c] !== undefined) continue;
          missed = false;
          const n = phraseCount(text, phrase, stem);
          if (!missed || scan === MAX_SCANS) counts[p]![i]![c] = n;
        }
      }
    }
    if (unknown.size === 0 || scan === MAX_SCANS) break;
    stemmer.learn([...unknown]);
  }
  for (const [p, paper] of papers.entries()) {
    let score = 0;
    for (const [i, byColumn] of counts[p]!.entries()) {
      let f = 0;
      for (const [c, n] of byColumn.entries()) f += (n ?? 0) * (weights[c] ?? 1);
      if (f > 0) score += (idfs[i]! * f * (BM25_K1 + 1)) / (f + BM25_K1 * (1 - BM25_B + (BM25_B * paper.length) / meanLength));
    }
    if (score > 0) scores.set(paper.id, score);
  }
  return scores;
}
