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
  it('detects math', () => {
    assert.equal(hasMath('plain text'), false);
    assert.equal(hasMath('with $x$'), true);
  });
});
