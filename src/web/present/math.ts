// Text with LaTeX math -> safe HTML: $…$, \(…\) inline and $$…$$, \[…\] display math rendered by
// KaTeX on the server (HTML + MathML, so it reads without JavaScript and to screen readers); all
// other text escaped. Malformed math falls back to its escaped source. Results are memoised.
import katex from 'katex';
import { escapeHtml, Html } from '../views/html.ts';

const MATH = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|\$((?:\\\$|[^$\n])+?)\$/g;
const CACHE_SIZE = 20_000;
const cache = new Map<string, string>();

/** htmlAndMathml for pages (KaTeX's stylesheet lays it out); mathml alone where no stylesheet goes (feeds). */
export type MathOutput = 'htmlAndMathml' | 'mathml';

export function renderTex(tex: string, displayMode: boolean, output: MathOutput): string {
  try {
    return katex.renderToString(tex, {
      displayMode,
      throwOnError: true,
      output,
      strict: 'ignore',
      trust: false,
      maxSize: 20,
      maxExpand: 200,
      errorColor: 'currentColor', // commands refused by trust: false read as text, legible in both themes
    });
  } catch {
    return `<span class="tex-error">${escapeHtml(displayMode ? `$$${tex}$$` : `$${tex}$`)}</span>`;
  }
}

export function hasMath(text: string): boolean {
  MATH.lastIndex = 0;
  return MATH.test(text);
}

/** Renders text containing LaTeX math as HTML; paragraphs ("\n") become <br> when `breaks` is set. */
export function mathText(text: string, breaks = false, output: MathOutput = 'htmlAndMathml'): Html {
  const key = `${breaks ? '\u0001' : ''}${output === 'mathml' ? '\u0002' : ''}${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return new Html(hit);
  let out = '';
  let last = 0;
  MATH.lastIndex = 0;
  for (let m = MATH.exec(text); m; m = MATH.exec(text)) {
    out += plain(text.slice(last, m.index), breaks);
    const display = m[1] ?? m[2];
    out += display !== undefined ? renderTex(display, true, output) : renderTex((m[3] ?? m[4])!, false, output);
    last = m.index + m[0].length;
  }
  out += plain(text.slice(last), breaks);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, out);
  return new Html(out);
}

/** Text-mode LaTeX that abstracts use outside math, as HTML (applied to already escaped text). */
const TEXT_COMMANDS: [RegExp, string][] = [
  [/\\(?:emph|textit|textsl)\{([^{}]*)\}/g, '<em>$1</em>'],
  [/\\textbf\{([^{}]*)\}/g, '<strong>$1</strong>'],
  [/\\texttt\{([^{}]*)\}/g, '<code>$1</code>'],
  [/\\(?:textsc|textrm|textsf|textnormal|mbox|text|underline|url)\{([^{}]*)\}/g, '$1'],
  [/\\href\{[^{}]*\}\{([^{}]*)\}/g, '$1'],
  [/\\textless\b\s?/g, '&lt;'],
  [/\\textgreater\b\s?/g, '&gt;'],
  [/\\([%&_#$])/g, '$1'],
  [/``/g, '“'],
  [/&#39;&#39;/g, '”'],
  [/(^|[^-])---(?!-)/g, '$1—'],
  [/(^|[^-])--(?!-)/g, '$1–'],
];

function textMode(escaped: string): string {
  if (!escaped.includes('\\') && !escaped.includes('--') && !escaped.includes('``') && !escaped.includes('&#39;&#39;')) return escaped;
  let out = escaped;
  for (let pass = 0; pass < 3; pass++) {
    const before = out;
    for (const [re, to] of TEXT_COMMANDS) out = out.replace(re, to);
    if (out === before) break; // nested commands resolve inside out, one level a pass
  }
  return out;
}

const plain = (s: string, breaks: boolean): string => {
  const e = textMode(escapeHtml(s));
  return breaks ? e.replaceAll('\n', '<br>') : e;
};
