import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchLoss, type Params, trainer } from './contrastive.ts';
import { buildVocab, retrievalScores, rng, train, TRAIN_DEFAULTS } from './train.ts';

function tinyParams(): Params {
  const r = rng(3);
  return { dimensions: 3, vectors: Float32Array.from({ length: 15 }, () => r() - 0.5), weights: Float32Array.from({ length: 5 }, () => 0.5 + r()) };
}

describe('contrastive loss', () => {
  it('has gradients that match finite differences', () => {
    const p = tinyParams();
    const queries = [[0, 1], [2], [3, 4, 4]];
    const docs = [[1, 2], [2, 3], [4, 0]];
    const tau = 0.5;
    const { grads } = batchLoss(p, queries, docs, tau);
    const eps = 1e-3;
    const numeric = (arr: Float32Array, i: number) => {
      const keep = arr[i]!;
      arr[i] = keep + eps;
      const up = batchLoss(p, queries, docs, tau).loss;
      arr[i] = keep - eps;
      const down = batchLoss(p, queries, docs, tau).loss;
      arr[i] = keep;
      return (up - down) / (2 * eps);
    };
    for (let t = 0; t < 5; t++) {
      for (let c = 0; c < 3; c++) {
        const analytic = grads.vectors[t * 3 + c]!;
        assert.ok(Math.abs(analytic - numeric(p.vectors, t * 3 + c)) < 2e-3, `dE[${t}][${c}]`);
      }
      assert.ok(Math.abs(grads.weights[t]! - numeric(p.weights, t)) < 2e-3, `dw[${t}]`);
    }
  });

  it('has gradients that match finite differences with query weights (id r + rows: row r weighed as a query word)', () => {
    const r = rng(5);
    const p: Params = { dimensions: 3, vectors: Float32Array.from({ length: 15 }, () => r() - 0.5), weights: Float32Array.from({ length: 10 }, () => 0.5 + r()) };
    // Queries read rows 0, 1, 3, 4 through their query weights and row 2 through its document weight.
    const queries = [[5, 6], [2], [8, 9, 9]];
    const docs = [[1, 2], [2, 3], [4, 0]];
    const { grads } = batchLoss(p, queries, docs, 0.5);
    const eps = 1e-3;
    const numeric = (arr: Float32Array, i: number) => {
      const keep = arr[i]!;
      arr[i] = keep + eps;
      const up = batchLoss(p, queries, docs, 0.5).loss;
      arr[i] = keep - eps;
      const down = batchLoss(p, queries, docs, 0.5).loss;
      arr[i] = keep;
      return (up - down) / (2 * eps);
    };
    for (let i = 0; i < 15; i++) assert.ok(Math.abs(grads.vectors[i]! - numeric(p.vectors, i)) < 2e-3, `dE[${Math.floor(i / 3)}][${i % 3}]`);
    for (let t = 0; t < 10; t++) assert.ok(Math.abs(grads.weights[t]! - numeric(p.weights, t)) < 2e-3, `dw[${t}]`);
    // Row 7 - 5 = 2 is never read as a query word: its query weight gets no gradient.
    assert.equal(grads.weights[7], 0);
    assert.notEqual(grads.weights[5], 0);
  });

  it('is lowest when each query is nearest its own document', () => {
    const p: Params = { dimensions: 2, vectors: Float32Array.from([1, 0, 0, 1]), weights: Float32Array.from([1, 1]) };
    const matched = batchLoss(p, [[0], [1]], [[0], [1]], 0.1).loss;
    const crossed = batchLoss(p, [[0], [1]], [[1], [0]], 0.1).loss;
    assert.ok(matched < 0.01 && crossed > 5, `${matched} ${crossed}`);
  });
});

describe('retrieval scores', () => {
  it('ranks each query against every document', () => {
    const docs = Float32Array.from([1, 0, 0, 1, 0.8, 0.6]);
    const s = retrievalScores(Float32Array.from([1, 0, 1, 0]), [0, 2], docs, 2);
    assert.deepEqual(s, { recallAt1: 0.5, recallAt10: 1, mrrAt10: 0.75 });
    // 129 queries, scanned 64 at a time (the last one alone): each finds its own document.
    const targets = Array.from({ length: 129 }, (_, i) => i % 3);
    const queries = Float32Array.from(targets.flatMap((t) => [...docs.subarray(t * 2, t * 2 + 2)]));
    assert.deepEqual(retrievalScores(queries, targets, docs, 2), { recallAt1: 1, recallAt10: 1, mrrAt10: 1 });
  });
});

describe('training', () => {
  // Titles and abstracts that share no word: only training can connect them.
  const topics = [
    ['solar panel', 'photovoltaic cells convert sunlight'],
    ['protein folding', 'amino acid chains fold into structures'],
    ['graph network', 'nodes and edges carry messages'],
    ['speech recognition', 'audio waveforms become transcripts'],
    ['robot grasping', 'manipulators pick objects with grippers'],
  ];
  const pairs = Array.from({ length: 400 }, (_, i) => {
    const [t, a] = topics[i % topics.length]!;
    return { title: `${t} study ${i % 7}`, abstract: `${a} variant ${i % 11}` };
  });
  const opts = { ...TRAIN_DEFAULTS, dimensions: 8, vocabSize: 100, minCount: 1, epochs: 4, batchSize: 16, validationSize: 50, learningRate: 0.1, temperature: 0.1 };

  it('learns to find an abstract from its title, and is deterministic for a seed', () => {
    const a = train(pairs, opts);
    const b = train(pairs, opts);
    assert.ok(a.validation.recallAt10 > a.initial.recallAt10, `${JSON.stringify(a.initial)} -> ${JSON.stringify(a.validation)}`);
    assert.deepEqual(a.vectors, b.vectors);
    assert.deepEqual(a.epochs.map((e) => e.validation), b.epochs.map((e) => e.validation));
    const p = { dimensions: 8, vectors: a.vectors, weights: a.weights };
    const id = (w: string) => a.vocab.indexOf(w);
    const rows = trainer(p).encodeAll([[id('solar'), id('panel')], [id('photovoltaic'), id('sunlight')], [id('amino'), id('fold')]]);
    const [solar, sun, fold] = [0, 1, 2].map((k) => rows.subarray(k * 8, k * 8 + 8)) as [Float32Array, Float32Array, Float32Array];
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    assert.ok(dot(solar, sun) > dot(solar, fold));
  });

  it('trains the same model on two threads as on one', () => {
    const one = train(pairs, { ...opts, threads: 1 });
    const two = train(pairs, { ...opts, threads: 2 });
    assert.deepEqual(two.vectors, one.vectors);
    assert.deepEqual(two.weights, one.weights);
    assert.deepEqual(two.queryWeights, one.queryWeights);
    assert.ok(one.validation.recallAt10 > one.initial.recallAt10);
  });

  it('learns how much a word counts in a title apart from in an abstract', () => {
    const m = train(pairs, opts);
    const plain = train(pairs, { ...opts, queryWeights: false });
    assert.equal(plain.queryWeights, undefined);
    assert.equal(m.queryWeights!.length, m.weights.length);
    // "study" is in every title and no abstract: its weight in a document keeps its start (IDF over
    // the papers trained on) while its weight in a query is trained; a shared weight moves.
    const study = m.vocab.indexOf('study');
    const trained = pairs.length - opts.validationSize;
    assert.equal(m.weights[study], Math.fround(Math.log(1 + trained / trained)));
    assert.notEqual(m.queryWeights![study], m.weights[study]);
    assert.notEqual(plain.weights[study], m.weights[study]);
  });

  it('starts from base vectors with fewer dimensions than it trains', () => {
    const base = { dimensions: 4, vector: (w: string) => (w === 'solar' ? Float32Array.from([3, 0, 4, 0]) : undefined) };
    // Learning rate 0: the vectors stay as they started.
    const m = train(pairs, { ...opts, epochs: 1, learningRate: 0 }, base);
    const row = (w: string) => [...m.vectors.subarray(m.vocab.indexOf(w) * 8, m.vocab.indexOf(w) * 8 + 8)];
    const solar = row('solar');
    assert.deepEqual(solar.slice(0, 4), [0.6000000238418579, 0, 0.800000011920929, 0]);
    assert.ok(solar.slice(4).every((x) => Math.abs(x) <= 0.01 && x !== 0), `${solar}`);
    assert.ok(row('panel').some((x) => Math.abs(x) > 0.01), 'a word without a base vector starts at random');
  });

  it('lets words outside the vocabulary count through hash buckets', () => {
    // Each paper has a code word of its own (too rare for the vocabulary) in its title and abstract.
    const coded = pairs.map((p, i) => ({ title: `${p.title} zq${i}x`, abstract: `${p.abstract} zq${i}x` }));
    const settings = { ...opts, minCount: 3, epochs: 2 };
    const without = train(coded, { ...settings, hashBuckets: 0 });
    const withBuckets = train(coded, { ...settings, hashBuckets: 4096 });
    assert.equal(withBuckets.hashBuckets, 4096);
    assert.equal(withBuckets.vectors.length, (withBuckets.vocab.length + 4096) * 8);
    assert.equal(withBuckets.weights.length, withBuckets.vocab.length + 4096);
    assert.ok(!withBuckets.vocab.includes('zq1x'));
    assert.ok(
      withBuckets.validation.recallAt1 > without.validation.recallAt1 + 0.3,
      `R@1 ${without.validation.recallAt1} without buckets, ${withBuckets.validation.recallAt1} with`,
    );
  });

  it('continues the hash buckets of a base model that has as many', () => {
    const axis = (b: number) => Float32Array.from({ length: 8 }, (_, c) => (c === b % 8 ? 1 : 0));
    const base = { dimensions: 8, vector: () => undefined, bucket: (b: number, n: number) => (n === 16 ? axis(b) : undefined) };
    const m = train(pairs, { ...opts, epochs: 1, learningRate: 0, hashBuckets: 16 }, base);
    for (let b = 0; b < 16; b++) assert.deepEqual([...m.vectors.subarray((m.vocab.length + b) * 8, (m.vocab.length + b + 1) * 8)], [...axis(b)]);
    const other = train(pairs, { ...opts, epochs: 1, learningRate: 0, hashBuckets: 8 }, base);
    assert.ok(other.vectors.subarray(other.vocab.length * 8).some((x) => x !== 0 && x !== 1), 'other bucket counts start at random');
  });

  it('builds its vocabulary from document frequency, most frequent first', () => {
    const v = buildVocab(['a b c', 'b c', 'c', 'd'], 2, 2);
    assert.deepEqual(v.vocab, ['c', 'b']);
    assert.equal(v.docs, 4);
  });
});
