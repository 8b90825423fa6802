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
  const out = eachPart(
    text,
    (s) => plain(s, breaks),
    (tex, display) => renderTex(tex, display, output),
  );
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, out);
  return new Html(out);
}

/**
 * mathText for text a search marked: `start` and `end` (characters no text holds) around matched
 * words become <mark>. Math is rendered whole from its source without the marks, and marked whole
 * when a mark falls in it or it lies inside a marked stretch ("R$^3$" of "video-SALMONN-R$^3$").
 */
export function markedMathText(text: string, start: string, end: string): Html {
  let open = false;
  /** The state after the marks in `s`: the last one decides. */
  const after = (s: string, was: boolean) => {
    const i = Math.max(s.lastIndexOf(start), s.lastIndexOf(end));
    return i < 0 ? was : s[i] === start;
  };
  const out = eachPart(
    text,
    (s) => {
      open = after(s, open);
      return plain(s, false).replaceAll(start, '<mark>').replaceAll(end, '</mark>');
    },
    (tex, display) => {
      const was = open;
      const marked = was || tex.includes(start) || tex.includes(end);
      open = after(tex, was);
      const html = renderTex(tex.replaceAll(start, '').replaceAll(end, ''), display, 'htmlAndMathml');
      return `${marked && !was ? '<mark>' : ''}${html}${marked && !open ? '</mark>' : ''}`;
    },
  );
  return new Html(open ? `${out}</mark>` : out);
}

/** Text and its math, each part rendered by its own function, in order. */
function eachPart(text: string, textPart: (s: string) => string, mathPart: (tex: string, display: boolean) => string): string {
  let out = '';
  let last = 0;
  MATH.lastIndex = 0;
  for (let m = MATH.exec(text); m; m = MATH.exec(text)) {
    out += textPart(text.slice(last, m.index));
    const display = m[1] ?? m[2];
    out += display !== undefined ? mathPart(display, true) : mathPart((m[3] ?? m[4])!, false);
    last = m.index + m[0].length;
  }
  return out + textPart(text.slice(last));
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
