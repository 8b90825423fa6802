import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completions, corrected, createSpeller, editDistance, maxEdits, wordBeingTyped } from './spelling.ts';

describe('editDistance', () => {
  const cases: [string, string, number, number][] = [
    ['diffusion', 'diffusion', 2, 0],
    ['difusion', 'diffusion', 2, 1], // an insertion
    ['diffusoin', 'diffusion', 2, 1], // two neighbours swapped
    ['transfromer', 'transformer', 2, 1],
    ['difussion', 'diffusion', 2, 2], // a deletion and an insertion
    ['kitten', 'sitting', 3, 3],
    ['kitten', 'sitting', 2, 3], // over the limit: max + 1
    ['ab', 'abcdef', 2, 3], // lengths too far apart
    ['', 'abc', 3, 3],
  ];
  for (const [a, b, max, want] of cases) {
    it(`${a} -> ${b} within ${max}: ${want}`, () => {
      assert.equal(editDistance(a, b, max), want);
      assert.equal(editDistance(b, a, max), want, 'symmetric');
    });
  }
});

describe('createSpeller', () => {
  // Frequency order: the first word is the most frequent.
  const speller = createSpeller(['model', 'models', 'diffusion', 'transformer', 'fusion', 'modal', 'graph', 'gra2ph', 'diffusions']);

  const cases: [string, string[], string][] = [
    ['difusion', ['diffusion', 'diffusions'], 'one edit first, then two'],
    ['ransformer', ['transformer'], 'the first letter dropped'],
    ['rtansformer', ['transformer'], 'the first two letters swapped'],
    ['xtransformer', ['transformer'], 'a letter added in front'],
    ['ftransformer', ['transformer'], 'a letter added in front'],
    ['iffusion', ['diffusion', 'fusion', 'diffusions'], 'the first letter dropped (and "fusion" two edits away)'],
    ['rodel', ['model'], 'a wrong first letter'],
    ['kransformer', ['transformer'], 'a wrong first letter'],
    ['tranformer', ['transformer'], 'a letter left out'],
    ['modle', ['model'], 'two neighbours swapped is one edit (modal takes two)'],
    ['modl', ['model', 'modal'], 'equally near: the more frequent first'],
    ['grap', ['graph'], 'four letters allow one edit'],
    ['gra', [], 'under four letters: no guess'],
    ['diffusion', ['diffusions'], 'never the word itself'],
    ['zzzzzzzz', [], 'nothing near'],
    ['2d3d', [], 'words with digits are not spelled'],
  ];
  for (const [word, want, why] of cases) it(`${word}: ${why}`, () => assert.deepEqual(speller(word), want));

  it('guesses a wrong first letter even when a word without the first letter is as near', () => {
    // The corpus's words hold fragments such as "ransformer" (one edit: the first letter dropped).
    assert.deepEqual(createSpeller(['transformer', 'ransformer'])('kransformer'), ['transformer', 'ransformer']);
  });

  it('allows more edits in longer words', () => {
    assert.deepEqual([maxEdits('abc'), maxEdits('abcd'), maxEdits('abcdefg'), maxEdits('abcdefgh')], [0, 1, 1, 2]);
  });

  it('suggests at most three words', () => {
    assert.deepEqual(createSpeller(['mats', 'mate', 'math', 'mat', 'malt'])('matz'), ['mats', 'mate', 'math']);
  });
});

describe('corrected', () => {
  it('replaces whole words in any case and keeps the rest as typed', () => {
    assert.equal(corrected('Difusion models cat:cs.CV -difusiony', new Map([['difusion', 'diffusion']])), 'diffusion models cat:cs.CV -difusiony');
    assert.equal(corrected('"latent difusion" DIFUSION', new Map([['difusion', 'diffusion']])), '"latent diffusion" diffusion');
  });

  it('is undefined when the word is not in the text as typed', () => {
    assert.equal(corrected('models', new Map([['difusion', 'diffusion']])), undefined);
  });
});

describe('completions', () => {
  const words = ['learning', 'language', 'large', 'learn', 'lang', 'l2', 'latent'];
  it('lists the words that begin so, most frequent first, the prefix itself included', () => {
    assert.deepEqual(completions(words, 'lan', 5), ['language', 'lang']);
    assert.deepEqual(completions(words, 'learn', 5), ['learning', 'learn']);
    assert.deepEqual(completions(words, 'la', 2), ['language', 'large']);
    assert.deepEqual(completions(words, 'l', 9), ['learning', 'language', 'large', 'learn', 'lang', 'latent'], 'not words with digits');
    assert.deepEqual(completions(words, 'zebra', 5), []);
  });
});

describe('wordBeingTyped', () => {
  const cases: [string, string | undefined][] = [
    ['diffu', 'diffu'],
    ['gaussian splat', 'splat'],
    ['vision-lang', 'lang'],
    ['cat:cs.CV diffu', 'diffu'],
    ['transformer ', undefined],
    ['author:"Kai', undefined],
    ['author:"Kai Mi', undefined],
    ['"trust reg', undefined],
    ['llm -surv', undefined],
    ['gpt4', undefined],
    ['a', undefined],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => assert.equal(wordBeingTyped(text), want));
});
