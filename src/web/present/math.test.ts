import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasMath, markedMathText, mathText } from './math.ts';

describe('mathText', () => {
  it('renders inline and display math with KaTeX and escapes the rest', () => {
    const out = mathText('Loss <b> is $\\mathcal{O}(n^2)$ and $$\\sum_i x_i$$ & \\(a\\) \\[b\\]').value;
    assert.match(out, /^Loss &lt;b&gt; is <span class="katex">/);
    assert.match(out, /<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML">/);
    assert.equal((out.match(/class="katex-display"/g) ?? []).length, 2);
    assert.match(out, / &amp; /);
    assert.doesNotMatch(out, /<b>/);
  });
  it('falls back to the escaped source for malformed math', () => {
    const out = mathText('bad $\\frac{1}{$ and <i>').value;
    assert.match(out, /<span class="tex-error">\$\\frac\{1\}\{\$<\/span>/);
    assert.match(out, /&lt;i&gt;$/);
  });
  it('never emits markup from user text inside math', () => {
    const out = mathText('$\\text{<img src=x onerror=alert(1)>}$ $\\href{javascript:alert(1)}{x}$').value;
    assert.doesNotMatch(out, /<img/);
    assert.doesNotMatch(out, /href="javascript/);
  });
  it('turns paragraph breaks into <br> only when asked', () => {
    assert.equal(mathText('a\nb', true).value, 'a<br>b');
    assert.equal(mathText('a\nb').value, 'a\nb');
  });
  it('renders text-mode LaTeX outside math', () => {
    assert.equal(
      mathText("We close it with the \\emph{capability slice} -- a \\textbf{group} of \\texttt{\\textless EOS\\textgreater} ``tokens'' at 50\\% --- done").value,
      'We close it with the <em>capability slice</em> – a <strong>group</strong> of <code>&lt;EOS&gt;</code> “tokens” at 50% — done',
    );
    assert.equal(mathText('\\emph{<b>x</b>}').value, '<em>&lt;b&gt;x&lt;/b&gt;</em>', 'still escaped');
    assert.equal(mathText('a---b, c--d, e-f').value, 'a—b, c–d, e-f');
  });
  it('detects math', () => {
    assert.equal(hasMath('plain text'), false);
    assert.equal(hasMath('with $x$'), true);
  });
});

describe('markedMathText', () => {
  const S = '\u0002';
  const E = '\u0003';
  const math = (tex: string) => mathText(`$${tex}$`).value;
  it('marks words and renders the math beside them', () => {
    assert.equal(markedMathText(`video-${S}SALMONN${E}-R$^3$ <b>`, S, E).value, `video-<mark>SALMONN</mark>-R${math('^3')} &lt;b&gt;`);
  });
  it('marks math whole when a mark falls in it or it lies inside a marked stretch', () => {
    assert.equal(markedMathText(`$${S}x${E}^2$ y`, S, E).value, `<mark>${math('x^2')}</mark> y`);
    assert.equal(markedMathText(`${S}a $x$ b${E} c`, S, E).value, `<mark>a ${math('x')} b</mark> c`);
    assert.equal(markedMathText(`$${S}x$ b${E} c`, S, E).value, `<mark>${math('x')} b</mark> c`);
    assert.equal(markedMathText(`${S}a $x${E}$ c`, S, E).value, `<mark>a ${math('x')}</mark> c`);
  });
  it('closes a mark left open and renders text-mode LaTeX', () => {
    assert.equal(markedMathText(`\\emph{${S}capability${E}} ${S}slice`, S, E).value, '<em><mark>capability</mark></em> <mark>slice</mark>');
  });
});
