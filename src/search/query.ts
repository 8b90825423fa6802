// The search box's language, parsed into terms the store can match safely. Free text and
// "exact phrases" for now; anything else (operators, stray quotes, symbols) degrades to plain
// words, so no input can produce an engine syntax error. Pure.

export type ParsedQuery = {
  /** What the user typed, trimmed and capped. */
  text: string;
  /** Each group is one word or one phrase (several words in order). */
  groups: string[][];
  /** Words dropped because the query was longer than MAX_TERMS. */
  truncated: boolean;
};

/** Input beyond this many characters is ignored (a pasted abstract is still a fine query). */
export const MAX_QUERY_CHARS = 1000;
/** Words beyond this many are ignored: each adds work to every candidate document. */
export const MAX_TERMS = 24;

export const STOP_WORDS = new Set(
  `a an and are as at be but by for from has have in into is it its of on or that the their then there these
  this those to was were which while will with we our not no can do does how what when where who why all any
  both each more most other some such than too very via using based towards toward`.split(/\s+/),
);

const WORD = /[\p{L}\p{N}]+/gu;

export const words = (s: string): string[] => (s.normalize('NFKC').toLowerCase().match(WORD) ?? []);

export function parseQuery(input: string): ParsedQuery {
  const text = input.slice(0, MAX_QUERY_CHARS).trim();
  const groups: string[][] = [];
  // Split on balanced double quotes: odd-numbered pieces are phrases. An unbalanced quote's text is plain.
  const pieces = text.split('"');
  const balanced = pieces.length % 2 === 1;
  pieces.forEach((piece, i) => {
    const ws = words(piece);
    if (balanced && i % 2 === 1) {
      if (ws.length > 0) groups.push(ws);
    } else {
      for (const w of ws) groups.push([w]);
    }
  });
  const meaningful = groups.filter((g) => g.length > 1 || !STOP_WORDS.has(g[0]!));
  const kept = meaningful.length > 0 ? meaningful : groups;
  const unique = [...new Map(kept.map((g) => [g.join(' '), g])).values()];
  return { text, groups: unique.slice(0, MAX_TERMS), truncated: unique.length > MAX_TERMS };
}
