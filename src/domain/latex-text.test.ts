import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanName, latexToUnicode, mathToText } from './latex-text.ts';

describe('latexToUnicode', () => {
  const cases: [string, string][] = [
    ['G{\\"o}del', 'Gödel'],
    ['G\\"odel', 'Gödel'],
    ['G\\"{o}del', 'Gödel'],
    ["Bal\\'azs", 'Balázs'],
    ["Bal\\' azs", 'Balázs'],
    ['Fran\\c{c}ois', 'François'],
    ['Fran\\c cois', 'François'],
    ['\\v{S}koda', 'Škoda'],
    ['Erd\\H{o}s', 'Erdős'],
    ['Gau\\ss', 'Gauß'],
    ['{\\O}stergaard', 'Østergaard'],
    ['\\L{}ukasz', 'Łukasz'],
    ['Ca\\~{n}ete', 'Cañete'],
    ['Mu\\~noz', 'Muñoz'],
    ["Ar\\i k", 'Arık'],
    ["Y\\'{\\i}ld\\i z", 'Yíldız'],
    ['{\\AA}ngstr{\\"o}m', 'Ångström'],
    ['No markup at all', 'No markup at all'],
    ['Keeps \\alpha macros', 'Keeps \\alpha macros'],
  ];
  for (const [input, want] of cases) it(`${input} -> ${want}`, () => assert.equal(latexToUnicode(input), want));
  it('cleans names', () => assert.equal(cleanName('  Jos\\\'e \n  Garc\\\'ia '), 'José García'));
});

describe('mathToText', () => {
  const cases: [string, string][] = [
    ['$O(n\\log n)$ time', 'O(n log n) time'],
    ['$\\alpha \\leq 0.5$', 'α≤0.5'],
    ['$x^2 + y_{i}$', 'x² + yᵢ'],
    ['$k=10^{-3}$', 'k=10⁻³'],
    ['$\\frac{a}{b}$', 'a/b'],
    ['$\\mathbf{W}_{q}$ in $\\mathbb{R}^{d}$', 'W_q in ℝ^d'],
    ['$\\mathbb{E}[x]$ over $\\mathbb{N}$, $\\mathbb{A}$', '𝔼[x] over ℕ, A'],
    ['\\textbf{Bold} Schr{\\"o}dinger', 'Bold Schrödinger'],
    ['no math at all', 'no math at all'],
  ];
  for (const [input, want] of cases) it(input, () => assert.equal(mathToText(input), want));
});
