import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasMath, mathText } from './math.ts';

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
