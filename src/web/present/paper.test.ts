import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abstractPreview } from './paper.ts';

describe('abstractPreview', () => {
  it('keeps short abstracts whole', () => assert.equal(abstractPreview('Short.', 50), 'Short.'));
  it('cuts at a word boundary with an ellipsis', () => {
    assert.equal(abstractPreview('alpha beta gamma delta epsilon', 18), 'alpha beta gamma…');
  });
  it('never cuts inside inline math', () => {
    assert.equal(abstractPreview('We bound $\\mathcal{O}(n \\log n)$ and $x + y = z$ too', 44), 'We bound $\\mathcal{O}(n \\log n)$ and…');
    assert.equal(abstractPreview('Costs \\$5 and more words here', 16), 'Costs \\$5 and…');
  });
});
