import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topUpGroups } from './words.ts';

describe('topUpGroups', () => {
  const groups = [['language'], ['diffusion'], ['splat'], ['gaussian', 'splatting']];
  const counts = [9000, 2500, 40, 300];
  const cases: { budget: number; want: string[][]; why: string }[] = [
    { budget: 100_000, want: groups, why: 'every word fits' },
    { budget: 3000, want: [['diffusion'], ['splat'], ['gaussian', 'splatting']], why: 'rarest first, in query order' },
    { budget: 2839, want: [['splat'], ['gaussian', 'splatting']], why: 'one more would pass the budget' },
    { budget: 40, want: [['splat']], why: 'exactly the budget fits' },
    { budget: 39, want: [], why: 'no word is rare enough' },
  ];
  for (const c of cases) {
    it(`${c.why} (budget ${c.budget})`, () => assert.deepEqual(topUpGroups(groups, counts, c.budget), c.want));
  }

  it('takes words of equal count in query order', () => {
    assert.deepEqual(topUpGroups([['a'], ['b'], ['c']], [5, 3, 5], 8), [['a'], ['b']]);
  });
});
