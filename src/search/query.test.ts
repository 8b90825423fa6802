import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TERMS, parseQuery } from './query.ts';

describe('parseQuery', () => {
  const cases: [string, string[][]][] = [
    ['diffusion transformer', [['diffusion'], ['transformer']]],
    ['"trust region" policy', [['trust', 'region'], ['policy']]],
    ['the attention is all you need', [['attention'], ['you'], ['need']]],
    ['the of and', [['the'], ['of'], ['and']]], // only stop words: keep them
    ['foo AND (bar OR baz*)', [['foo'], ['bar'], ['baz']]], // engine operators become words
    ['"unbalanced quote', [['unbalanced'], ['quote']]],
    ['""', []],
    ['*** --- !!!', []],
    ['Über naïve ПРИВЕТ 日本語', [['über'], ['naïve'], ['привет'], ['日本語']]],
    ['NEAR(a b) title:x', [['near'], ['b'], ['title'], ['x']]], // 'a' is a stop word
    ['GPT-4o  gpt 4o', [['gpt'], ['4o']]],
  ];
  for (const [input, groups] of cases) {
    it(JSON.stringify(input), () => assert.deepEqual(parseQuery(input).groups, groups));
  }
  it('caps long input', () => {
    const q = parseQuery(Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' '));
    assert.equal(q.groups.length, MAX_TERMS);
    assert.equal(q.truncated, true);
    assert.ok(q.text.length <= 1000);
  });
});
