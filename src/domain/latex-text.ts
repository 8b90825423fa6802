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

const SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', vartheta: 'ϑ',
  iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ',
  Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '∼', simeq: '≃',
  equiv: '≡', propto: '∝', times: '×', cdot: '·', pm: '±', mp: '∓', div: '÷', infty: '∞', in: '∈', notin: '∉', subset: '⊂',
  subseteq: '⊆', supset: '⊃', cup: '∪', cap: '∩', emptyset: '∅', forall: '∀', exists: '∃', nabla: '∇', partial: '∂', sum: 'Σ',
  prod: 'Π', int: '∫', to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔',
  mapsto: '↦', ll: '≪', gg: '≫', langle: '⟨', rangle: '⟩', ldots: '…', cdots: '⋯', dots: '…', circ: '∘', star: '⋆',
  ell: 'ℓ', hbar: 'ħ', sqrt: '√', log: 'log', exp: 'exp', max: 'max', min: 'min', sin: 'sin', cos: 'cos', lim: 'lim',
  top: '⊤', perp: '⊥', neg: '¬', land: '∧', lor: '∨', oplus: '⊕', otimes: '⊗', mid: '|', vert: '|', quad: ' ', qquad: ' ',
};
const SUP: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '-': '⁻', n: 'ⁿ', i: 'ⁱ', T: 'ᵀ', '*': '*' };
const SUB: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', '+': '₊', '-': '₋', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', n: 'ₙ', t: 'ₜ', x: 'ₓ' };

/** Blackboard bold capitals that have a Unicode letter of their own (ℝ, ℕ, 𝔼); others lose the style. */
const BLACKBOARD: Record<string, string> = { C: 'ℂ', E: '𝔼', H: 'ℍ', N: 'ℕ', P: 'ℙ', Q: 'ℚ', R: 'ℝ', Z: 'ℤ' };

const script = (s: string, table: Record<string, string>, mark: string): string =>
  [...s].every((c) => table[c]) ? [...s].map((c) => table[c]).join('') : `${mark}${s.length > 1 ? `(${s})` : s}`;

/** LaTeX math as readable Unicode text, for places no renderer reaches (mail clients): α ≤ x², O(n log n). */
export function texToText(tex: string): string {
  let s = tex;
  for (let pass = 0; pass < 3; pass++) {
    s = s
      .replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, (_, a: string, b: string) => `${a.length > 1 ? `(${a})` : a}/${b.length > 1 ? `(${b})` : b}`)
      .replace(/\\sqrt\s*\{([^{}]*)\}/g, (_, a: string) => `√${a.length > 1 ? `(${a})` : a}`)
      .replace(/\\(?:mathbb|mathds)\s*\{([A-Z])\}/g, (m, c: string) => BLACKBOARD[c] ?? m)
      .replace(/\\(?:mathbf|mathrm|mathit|mathcal|mathbb|mathds|boldsymbol|text|textbf|textit|operatorname|mathsf|mathtt|bm)\s*\{([^{}]*)\}/g, '$1')
      .replace(/\\(?:hat|bar|tilde|vec|dot|overline|widehat|widetilde)\s*\{([^{}]*)\}/g, '$1');
  }
  return s
    .replace(/\\([A-Za-z]+)(\s?)/g, (m, name: string, space: string) => {
      const sym = SYMBOLS[name];
      if (sym === undefined) return name.length > 1 ? `${name}${space}` : m;
      return /^[a-z]{2,}$/.test(sym) ? ` ${sym} ` : sym; // log, max ... set apart as TeX spaces them
    })
    .replace(/\^\{([^{}]*)\}|\^(\S)/g, (_, a?: string, b?: string) => script((a ?? b)!, SUP, '^'))
    .replace(/_\{([^{}]*)\}|_(\S)/g, (_, a?: string, b?: string) => script((a ?? b)!, SUB, '_'))
    .replace(/\\([{}%$&_#,;: !])/g, (_, c: string) => (',;: !'.includes(c) ? ' ' : c))
    .replace(/[{}]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Text with $…$ math turned into readable Unicode (and text-mode LaTeX resolved), for plain-text and mail. */
export function mathToText(text: string): string {
  return latexToUnicode(
    text
      .replace(/\\(?:textbf|textit|emph|texttt|textsc|textrm|underline|mbox)\s*\{([^{}]*)\}/g, '$1').replace(/\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|\$((?:\\\$|[^$\n])+?)\$/g, (_, a?: string, b?: string, c?: string, d?: string) => texToText((a ?? b ?? c ?? d)!)),
  );
}
