import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distinctiveTerms } from './similar.ts';

describe('distinctiveTerms', () => {
  const df = new Map([
    ['nurb', 8],
    ['splat', 1569],
    ['vector', 4000],
    ['render', 2500],
    ['model', 61009],
    ['a', 70000],
    ['uniqueword', 1],
  ]);
  it('takes the rarest words until they would match more than 3% of the corpus', () => {
    // budget = 74,728 * 0.03 = 2,242: nurb (8) + splat (1,569) = 1,577; render would pass it.
    assert.deepEqual(distinctiveTerms(df, 74_728), ['nurb', 'splat']);
  });
  it('always takes at least two words, skipping words only the paper itself has', () => {
    assert.deepEqual(distinctiveTerms(new Map([['model', 61009], ['a', 70000], ['solo', 1]]), 74_728), ['model', 'a']);
  });
  it('takes up to six words in a small corpus', () => {
    const small = new Map(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((t, i) => [t, i + 2] as [string, number]));
    assert.deepEqual(distinctiveTerms(small, 100), ['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
