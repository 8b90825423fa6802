import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bm25, folded, idf, phraseCount, varints } from './fts5-bm25.ts';

// A toy stemmer with Porter's habits: drops -s, -ing, -ion; y -> i; splits nothing.
const stem = (w: string) => [w.replace(/(ing|ion|s)$/, '').replace(/y$/, 'i')];
/** The toy stemmer behind a cache that starts empty, as the store's: counts the words it is asked to learn, and how often. */
function cached() {
  const known = new Map<string, readonly string[]>();
  const asked: string[][] = [];
  return {
    asked,
    known: (w: string) => known.get(w),
    learn(words: string[]) {
      asked.push(words);
      for (const w of words) known.set(w, stem(w));
    },
  };
}

describe('fts5-bm25', () => {
  it('folds text as unicode61 with remove_diacritics: lower case, no combining marks', () => {
    assert.equal(folded('Schrödinger’s CAFÉ'), 'schrodinger’s cafe');
    assert.equal(folded('plain ascii'), 'plain ascii');
  });

  it('counts a word at the start of tokens only, by its stem', () => {
    const table: [string, string[], number][] = [
      ['models model modelling', ['model'], 2], // "modelling" stems to "modell" here
      ['remodel the model', ['model'], 1], // inside a token: not counted
      ['the happy and happiest', ['happi'], 1], // "happy" -> "happi": found by the prefix "ha"
      ['x-model, (model) model.', ['model'], 3], // punctuation separates
      ['diffusion diffusing diffuse', ['diffus'], 2],
      ['', ['model'], 0],
      ['théorie', ['theori'], 0], // unfolded text: the caller folds
      [folded('Théories'), ['theorie'], 1],
    ];
    for (const [text, phrase, n] of table) assert.equal(phraseCount(text, phrase, stem), n, `${text} / ${phrase}`);
  });

  it('counts a phrase as consecutive tokens, whatever separates them', () => {
    const table: [string, string[], number][] = [
      ['long documents and long, documents', ['long', 'document'], 2],
      ['long and documents', ['long', 'document'], 0],
      ['long', ['long', 'document'], 0],
      ['gpt-4 and gpt 4 and gpt4', ['gpt', '4'], 2],
      ['a b c a b', ['a', 'b', 'c'], 1],
    ];
    for (const [text, phrase, n] of table) assert.equal(phraseCount(text, phrase, stem), n, `${text} / ${phrase}`);
  });

  it('reads SQLite varints', () => {
    assert.deepEqual(varints(new Uint8Array([0x05, 0x7f, 0x81, 0x00, 0x82, 0x80, 0x01])), [5, 127, 128, 32769]);
    assert.deepEqual(varints(new Uint8Array([])), []);
  });

  it("scores as FTS5's bm25(): idf, weighted frequency, saturation by length", () => {
    assert.equal(idf(100, 10), Math.log(90.5 / 10.5));
    assert.equal(idf(10, 9), 1e-6); // never below
    const stats = { rows: 100, tokens: 1000 }; // mean length 10
    const papers = [
      { id: 'a', columns: ['model', 'a model of models'], length: 10 },
      { id: 'b', columns: ['other', 'nothing here'], length: 10 },
    ];
    const s = bm25(papers, [['model']], [10], stats, [3, 1], cached());
    const f = 3 + 2; // once in the title (weight 3), twice in the abstract
    assert.deepEqual([...s.keys()], ['a']);
    assert.ok(Math.abs(s.get('a')! - (idf(100, 10) * f * 2.2) / (f + 1.2)) < 1e-12);
    // A longer paper scores lower for the same occurrences.
    const long = bm25([{ ...papers[0]!, length: 40 }], [['model']], [10], stats, [3, 1], cached());
    assert.ok(long.get('a')! < s.get('a')!);
    assert.equal(bm25(papers, [['model']], [10], { rows: 0, tokens: 0 }, [3, 1], cached()).size, 0);
  });

  it('stems the words it meets at once, a scan at a time, and scores as if it knew them all', () => {
    const stemmer = cached();
    const papers = [
      { id: 'a', columns: ['Long documents', 'long documents, modelling long documents'], length: 8 },
      { id: 'b', columns: ['Longer', 'long and documents'], length: 5 },
    ];
    const s = bm25(papers, [['long', 'document'], ['model']], [3, 7], { rows: 50, tokens: 500 }, [2, 1], stemmer);
    // Scan 1 meets the words at each phrase's prefix ("lo", "m"); scan 2 the words after "long"; scan 3 none.
    assert.deepEqual(stemmer.asked.map((w) => [...w].sort()), [['long', 'longer', 'modelling'], ['and', 'documents']]);
    const eager = { known: (w: string) => stem(w), learn: () => assert.fail('knows every word') };
    assert.deepEqual(s, bm25(papers, [['long', 'document'], ['model']], [3, 7], { rows: 50, tokens: 500 }, [2, 1], eager));
    assert.deepEqual([...s.keys()], ['a']); // b has "long" and "documents", never in a row; "modelling" is not "model"
  });
});
