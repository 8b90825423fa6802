import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dot, words } from './embedder.ts';
import { bucketOf, keepWords, loadStaticEmbedder, rankWeight, readStaticModel, rowOf, saveStaticModel } from './static.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-static-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const VOCAB = ['the', 'car', 'automobile', 'crash', 'collision', 'protein'];
const VECTORS = Float32Array.from([
  [0.5, 0.5, 0.5], // the
  [1, 0, 0], // car
  [0.9, 0.1, 0], // automobile
  [0, 1, 0], // crash
  [0.1, 0.9, 0], // collision
  [0, 0, 1], // protein
].flat());

describe('static embedder', () => {
  const path = join(dir, 'tiny');
  saveStaticModel(path, { vocab: VOCAB, dimensions: 3, vectors: VECTORS, weights: Float32Array.from([0.01, 1, 1, 1, 1, 1]), meta: { name: 'tiny' } });

  it('round-trips a model through the int8 folder format', () => {
    const m = readStaticModel(path);
    assert.equal(m.dimensions, 3);
    assert.equal(m.name, 'tiny');
    assert.deepEqual(m.vocab, VOCAB);
    const r = m.row.get('automobile')!;
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(m.vectors[r * 3 + c]! * m.scales[r]! - VECTORS[r * 3 + c]!) < 0.01);
  });

  it('embeds a text as the weighted mean of its known words, unit length', async () => {
    const e = loadStaticEmbedder(path);
    assert.match(e.model, /^static:tiny:3:[0-9a-f]{10}$/);
    const [carCrash, autoCollision, protein, nothing] = await e.embed(['The car crash', 'automobile collision!', 'PROTEIN', 'zzz qqq'], 'document');
    assert.ok(Math.abs(dot(carCrash!, carCrash!) - 1) < 1e-6);
    assert.ok(dot(carCrash!, autoCollision!) > 0.95, 'synonyms are close');
    assert.ok(dot(carCrash!, protein!) < 0.1, 'unrelated words are not');
    assert.deepEqual([...nothing!], [0, 0, 0]);
  });

  it('explains a match by the query words that carried it and their nearest words in the paper', () => {
    const e = loadStaticEmbedder(path);
    assert.deepEqual(e.explain!('car crash', 'an automobile collision', 2).sort(), ['car ~ automobile', 'crash ~ collision']);
  });

  it('explains on the document vector it is given (the stored one) instead of embedding the document again', async () => {
    const e = loadStaticEmbedder(path);
    const [own, collision, automobile] = await e.embed(['an automobile collision', 'collision', 'automobile'], 'document');
    assert.deepEqual(e.explain!('car crash', 'an automobile collision', 2, own).sort(), ['car ~ automobile', 'crash ~ collision']);
    // Which query word carried the match follows the vector given, the words paired follow the text.
    assert.deepEqual(e.explain!('car crash', 'an automobile collision', 1, collision), ['crash ~ collision']);
    assert.deepEqual(e.explain!('car crash', 'an automobile collision', 1, automobile), ['car ~ automobile']);
  });

  it('weighs a query by its own weights when the model has them (format 3), a document by the document weights', async () => {
    const asym = join(dir, 'query-weights');
    // "car" hardly counts in a document, "crash" hardly in a query.
    const weights = Float32Array.from([0.01, 0.01, 1, 1, 1, 1]);
    const queryWeights = Float32Array.from([0.01, 1, 1, 0.01, 1, 1]);
    saveStaticModel(asym, { vocab: VOCAB, dimensions: 3, vectors: VECTORS, weights, queryWeights, meta: { name: 'asym' } });
    assert.equal(JSON.parse(readFileSync(join(asym, 'model.json'), 'utf8')).format, 'paperboy-static-3');
    const m = readStaticModel(asym);
    assert.deepEqual([...m.queryWeights], [...queryWeights]);
    const e = loadStaticEmbedder(asym);
    const [query] = await e.embed(['car crash'], 'query');
    const [doc] = await e.embed(['car crash'], 'document');
    const [car, crash] = await e.embed(['car', 'crash'], 'document');
    assert.ok(dot(query!, car!) > 0.99 && dot(doc!, crash!) > 0.99, 'each side reads the words by its own weights');
    assert.notEqual(e.model, loadStaticEmbedder(path).model);
    // Without query weights a query is weighed as a document; pruning keeps both.
    const plain = readStaticModel(path);
    assert.equal(plain.queryWeights, plain.weights);
    const pruned = keepWords({ vocab: VOCAB, hashBuckets: 0, dimensions: 3, vectors: VECTORS, weights, queryWeights }, 2);
    assert.deepEqual([...pruned.queryWeights!], [0.01, 1].map(Math.fround));
    assert.throws(() => saveStaticModel(join(dir, 'half'), { vocab: VOCAB, dimensions: 3, vectors: VECTORS, queryWeights }), /query weights without document weights/);
  });

  it('weighs words by frequency rank when the model has no weights', async () => {
    const plain = join(dir, 'plain');
    saveStaticModel(plain, { vocab: VOCAB, dimensions: 3, vectors: VECTORS });
    const m = readStaticModel(plain);
    assert.equal(m.weights[0], Math.fround(rankWeight(0)));
    assert.ok(rankWeight(0) < rankWeight(10_000));
    assert.equal(m.name, 'plain');
  });

  it('says which file is missing or inconsistent', () => {
    const broken = join(dir, 'broken');
    saveStaticModel(broken, { vocab: VOCAB, dimensions: 3, vectors: VECTORS });
    writeFileSync(join(broken, 'scales.f32'), new Uint8Array(8));
    assert.throws(() => readStaticModel(broken), /scales\.f32 has 2 values for 6 words/);
    assert.throws(() => readStaticModel(join(dir, 'nowhere')), /vocab\.txt is missing/);
  });

  it('tokenises words with inner hyphens and apostrophes', () => {
    assert.deepEqual(words("Self-attention isn't all; GPT-4o!"), ['self-attention', "isn't", 'all', 'gpt-4o']);
  });
});

describe('hash buckets (format 2)', () => {
  // Two buckets after the six words: rare words that land in the same bucket share its row.
  const BUCKETS = Float32Array.from([...VECTORS, 0.6, -0.8, 0, -0.6, 0, 0.8]);
  const rare = ['gpt-4o', 'llava', 'qwen3', 'mamba2', 'xlstm', 'flashattention'];
  const [a, b] = [rare.find((w) => bucketOf(w, 2) === 0)!, rare.find((w) => bucketOf(w, 2) === 1)!];
  const path = join(dir, 'buckets');
  saveStaticModel(path, { vocab: VOCAB, hashBuckets: 2, dimensions: 3, vectors: BUCKETS, weights: Float32Array.from([0.01, 1, 1, 1, 1, 1, 2, 2]) });

  it('hashes a word with FNV-1a, stably', () => {
    assert.equal(bucketOf('', 1 << 30), 0x811c9dc5 % (1 << 30));
    assert.equal(bucketOf('a', 2 ** 32), 0xe40c292c); // the published FNV-1a test vector for "a"
  });

  it('gives a word outside the vocabulary its bucket row, and records the buckets in model.json', async () => {
    const m = readStaticModel(path);
    assert.equal(m.hashBuckets, 2);
    assert.equal(rowOf(m, 'car'), 1);
    assert.equal(rowOf(m, a), 6);
    assert.equal(rowOf(m, b), 7);
    const e = loadStaticEmbedder(path);
    const [ra, alsoA, rb, carA] = await e.embed([a, `the ${a}`, b, `car ${a}`], 'query');
    assert.ok(dot(ra!, alsoA!) > 0.99, 'the same rare word meets itself');
    assert.ok(dot(ra!, rb!) < 0, 'another bucket points elsewhere');
    assert.ok(dot(carA!, ra!) > 0.8, 'a rare word weighs as its bucket does (2 here, "car" 1)');
  });

  it('explains by a bucket word only where the paper has that very word, and never pairs a word with one', () => {
    const e = loadStaticEmbedder(path);
    assert.deepEqual(e.explain!(`car ${a}`, `an automobile and ${a}`, 3).sort(), [`car ~ automobile`, a].sort());
    assert.deepEqual(e.explain!(`${b} crash`, `a collision of ${a}`, 3), ['crash ~ collision'], `${b} is not in the paper, ${a} is no near word`);
  });

  it('keeps the buckets when the vocabulary is pruned', () => {
    const pruned = keepWords({ vocab: VOCAB, hashBuckets: 2, dimensions: 3, vectors: BUCKETS, weights: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]) }, 4);
    assert.deepEqual(pruned.vocab, ['the', 'car', 'automobile', 'crash']);
    assert.deepEqual([...pruned.weights], [0, 1, 2, 3, 6, 7]);
    assert.deepEqual([...pruned.vectors.subarray(12)].map((x) => Math.round(x * 10) / 10), [0.6, -0.8, 0, -0.6, 0, 0.8]);
  });

  it('says when the files do not hold the words and the buckets', () => {
    const broken = join(dir, 'broken-buckets');
    saveStaticModel(broken, { vocab: VOCAB, hashBuckets: 2, dimensions: 3, vectors: BUCKETS });
    writeFileSync(join(broken, 'scales.f32'), new Uint8Array(24));
    assert.throws(() => readStaticModel(broken), /scales\.f32 has 6 values for 6 words and 2 hash buckets/);
    writeFileSync(join(broken, 'model.json'), '{"hashBuckets": -1}');
    assert.throws(() => readStaticModel(broken), /model\.json: hashBuckets must be a whole number, got -1/);
  });
});

describe('explanations from a large vocabulary', () => {
  it('never pair a word with one of the most frequent words', () => {
    // 10,000 words: "the" first (most frequent) and pointing exactly where "car" does.
    const vocab = ['the', ...Array.from({ length: 9996 }, (_, i) => `filler${i}`), 'car', 'automobile', 'protein'];
    const vectors = new Float32Array(vocab.length * 3);
    const set = (w: string, v: number[]) => vectors.set(v, vocab.indexOf(w) * 3);
    for (let i = 1; i < 9997; i++) vectors.set([0, 0, 1], i * 3);
    set('the', [1, 0, 0]);
    set('car', [1, 0, 0]);
    set('automobile', [0.9, 0.1, 0]);
    set('protein', [0, 1, 0]);
    const path = join(dir, 'large');
    saveStaticModel(path, { vocab, dimensions: 3, vectors, meta: { name: 'large' } });
    const m = readStaticModel(path);
    assert.deepEqual(loadStaticEmbedder(path).explain!('the car', 'the automobile protein', 3), ['car ~ automobile']);
    assert.equal(m.vocab.length, 10_000);
  });
});
