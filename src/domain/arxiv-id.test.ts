import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arxivIdMonth, isArxivId, parseArxivId } from './arxiv-id.ts';

describe('parseArxivId', () => {
  const valid: [string, string, number | undefined][] = [
    ['2501.01234', '2501.01234', undefined],
    ['2501.01234v2', '2501.01234', 2],
    ['arXiv:2501.01234v12', '2501.01234', 12],
    ['https://arxiv.org/abs/2501.01234v3', '2501.01234', 3],
    ['https://arxiv.org/pdf/2501.01234.pdf', '2501.01234', undefined],
    ['http://export.arxiv.org/abs/2501.01234/', '2501.01234', undefined],
    ['  0704.0001 ', '0704.0001', undefined],
    ['1412.9999v1', '1412.9999', 1],
    ['hep-th/9901001', 'hep-th/9901001', undefined],
    ['HEP-TH/9901001v2', 'hep-th/9901001', 2],
    ['math.gt/0309136', 'math.GT/0309136', undefined],
    ['https://arxiv.org/abs/math.GT/0309136v1', 'math.GT/0309136', 1],
  ];
  for (const [input, id, version] of valid) {
    it(`accepts ${input}`, () => assert.deepEqual(parseArxivId(input), { ok: true, value: { id, version } }));
  }
  const invalid = ['', 'abc', '2513.01234', '2500.01234', '1501.1234', '1412.12345', '0703.0001', '2501.012345', 'hep-th/9913001', '2501.01234vx', '../../etc/passwd', '2501 01234'];
  for (const input of invalid) {
    it(`rejects ${JSON.stringify(input)}`, () => assert.deepEqual(parseArxivId(input), { ok: false, error: 'invalid_arxiv_id' }));
  }
});

describe('isArxivId and arxivIdMonth', () => {
  it('recognises normalised ids only', () => {
    assert.equal(isArxivId('2606.01234'), true);
    assert.equal(isArxivId('hep-th/9901001'), true);
    assert.equal(isArxivId('pb-abc123'), false);
  });
  it('reads the submission month from the id', () => {
    assert.equal(arxivIdMonth('2606.01234'), '2026-06');
    assert.equal(arxivIdMonth('hep-th/9901001'), '1999-01');
    assert.equal(arxivIdMonth('math.GT/0309136'), '2003-09');
    assert.equal(arxivIdMonth('pb-xyz'), undefined);
  });
});
