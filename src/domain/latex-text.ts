// LaTeX text markup in names and titles -> Unicode: accents ({\"o}, \'e, \v{c}, \c{c} ...), special
// letters (\ss, \o, \l, \aa ...) and grouping braces. Math ($...$) is left to the renderer. Pure.

const ACCENT_MARKS: Record<string, string> = {
  '"': '\u0308', "'": '\u0301', '`': '\u0300', '^': '\u0302', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', k: '\u0328', r: '\u030A', d: '\u0323', b: '\u0331',
};
const LETTERS: Record<string, string> = {
  ss: 'ß', o: 'ø', O: 'Ø', l: 'ł', L: 'Ł', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', i: 'ı', j: 'ȷ',
};

// \"o  \"{o}  {\"o}  \' e  \"\i  (symbol accents need no braces)
const SYMBOL_ACCENT = /\\(["'`^~=.])\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij]|[A-Za-z]))/g;
// \v{c}  \c c  (letter accents need braces or a space)
const LETTER_ACCENT = /\\([uvHckrdb])(?:\s*\{\s*(\\[ij]|[A-Za-z])\s*\}|\s+([A-Za-z]))/g;
const SPECIAL = /\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])\s?/g;

const base = (s: string): string => (s === '\\i' ? 'i' : s === '\\j' ? 'j' : s);

export function latexToUnicode(s: string): string {
  if (!s.includes('\\') && !s.includes('{')) return s;
  return s
    .replace(SYMBOL_ACCENT, (_, acc: string, a?: string, b?: string) => base((a ?? b)!) + ACCENT_MARKS[acc]!)
    .replace(LETTER_ACCENT, (_, acc: string, a?: string, b?: string) => base((a ?? b)!) + ACCENT_MARKS[acc]!)
    .replace(SPECIAL, (_, name: string) => LETTERS[name]!)
    .replace(/[{}]/g, '')
    .normalize('NFC');
}

/** An author name as displayed: LaTeX accents resolved, whitespace collapsed. */
export const cleanName = (s: string): string => latexToUnicode(s).replace(/\s+/g, ' ').trim();
