// paperboy embeddings train: trains a static embedding model on the papers in the store and writes
// it as a model folder (the `static` embedder's format), with its validation scores in model.json.
import { SingleBar } from 'cli-progress';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { atLeastAsGood, heldOutScores } from '../embed/compare.ts';
import { readStaticModel, baseVectors, saveStaticModel, type StaticModel } from '../embed/static.ts';
import { type Pair, TRAIN_DEFAULTS, train } from '../embed/train.ts';
import { describeRetrain, retrainEmbeddings } from '../jobs/retrain.ts';
import { configOrExit, exitOnSchemaError, type Runtime, withStore } from './context.ts';

export type TrainFlags = { out: string; base?: string; compare?: string; epochs: string; dim: string; vocab: string; buckets: string; seed: string; threads: string };

const PAGE = 20_000;

export async function trainCommand(opts: TrainFlags): Promise<void> {
  const int = (name: string, v: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      console.error(`paperboy embeddings train: --${name} must be an integer ${range}, got "${v}"`);
      process.exit(2);
    }
    return n;
  };
  const settings = { ...TRAIN_DEFAULTS, epochs: int('epochs', opts.epochs, 1), dimensions: int('dim', opts.dim, 2), vocabSize: int('vocab', opts.vocab, 100), hashBuckets: int('buckets', opts.buckets, 0, 1 << 20), seed: int('seed', opts.seed, 0), threads: int('threads', opts.threads, 1, 2) };
  let base: ReturnType<typeof baseVectors> | undefined;
  if (opts.base) {
    try {
      base = baseVectors(readStaticModel(opts.base));
    } catch (e) {
      console.error(`paperboy embeddings train: --base: ${(e as Error).message}`);
      process.exit(2);
    }
    if (base.dimensions > settings.dimensions) {
      console.error(`paperboy embeddings train: --base has ${base.dimensions} dimensions, more than --dim ${settings.dimensions}`);
      process.exit(2);
    }
  }
  let compareWith: StaticModel | undefined;
  if (opts.compare) {
    try {
      compareWith = readStaticModel(opts.compare);
    } catch (e) {
      console.error(`paperboy embeddings train: --compare: ${(e as Error).message}`);
      process.exit(2);
    }
  }
  await withStore(async (store) => {
    const pairs: Pair[] = [];
    for (let after = 0; ; ) {
      const page = await store.papers.texts(after, PAGE);
      pairs.push(...page);
      if (page.length < PAGE) break;
      after = page.at(-1)!.seq;
    }
    if (pairs.length < 100) {
      console.error(`paperboy embeddings train: the store has ${pairs.length} papers; training needs at least 100`);
      process.exitCode = 2;
      return;
    }
    const started = Date.now();
    const bar = process.stderr.isTTY ? new SingleBar({ format: 'epoch {epoch} |{bar}| {value}/{total} batches | ETA {eta_formatted}', stream: process.stderr }) : undefined;
    let epoch = 1;
    const model = train(
      pairs,
      settings,
      base,
      (r) => {
        bar?.stop();
        const v = r.validation;
        console.log(`epoch ${r.epoch}: loss ${r.loss.toFixed(3)}, validation R@1 ${v.recallAt1.toFixed(3)} R@10 ${v.recallAt10.toFixed(3)} MRR@10 ${v.mrrAt10.toFixed(3)} (${r.seconds.toFixed(0)} s)`);
        epoch = r.epoch + 1;
      },
      (done, total) => {
        if (done === 1) bar?.start(total, 0, { epoch });
        bar?.update(done, { epoch });
      },
    );
    bar?.stop();
    saveStaticModel(opts.out, {
      ...model,
      meta: {
        name: `paperboy-${new Date().toISOString().slice(0, 10)}`,
        trainedAt: new Date().toISOString(),
        papers: pairs.length,
        vocabulary: model.vocab.length,
        dimensions: model.dimensions,
        base: opts.base ?? null,
        settings,
        validation: model.validation,
        untrained: model.initial,
        epochs: model.epochs,
      },
    });
    if (compareWith && opts.compare) {
      // Both as saved (int8), on this run's held-out papers: the retrain job reads the verdict.
      const next = heldOutScores(readStaticModel(opts.out), pairs, model.heldOut);
      const current = heldOutScores(compareWith, pairs, model.heldOut);
      const comparison = { current: opts.compare, currentScores: current, newScores: next, atLeastAsGood: atLeastAsGood(next, current) };
      const metaFile = join(opts.out, 'model.json');
      writeFileSync(metaFile, `${JSON.stringify({ ...JSON.parse(readFileSync(metaFile, 'utf8')), comparison }, null, 2)}\n`);
      console.log(
        `held out, as saved: new R@10 ${next.recallAt10.toFixed(3)} MRR@10 ${next.mrrAt10.toFixed(3)}; ` +
          `${opts.compare}: R@10 ${current.recallAt10.toFixed(3)} MRR@10 ${current.mrrAt10.toFixed(3)} -> ${comparison.atLeastAsGood ? 'at least as good' : 'worse'}`,
      );
    }
    const v = model.validation;
    console.log(
      `model written to ${opts.out}: ${model.vocab.length} words${model.hashBuckets ? ` and ${model.hashBuckets} hash buckets` : ''} x ${model.dimensions}, validation R@10 ${v.recallAt10.toFixed(3)} ` +
        `(untrained ${model.initial.recallAt10.toFixed(3)}), MRR@10 ${v.mrrAt10.toFixed(3)}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  });
}

export async function retrainCommand(runtime: Runtime): Promise<void> {
  const deps = await runtime.deps(configOrExit()).catch(exitOnSchemaError);
  try {
    const r = await retrainEmbeddings(deps);
    console.log(`retrain: ${describeRetrain(r)}`);
  } finally {
    await deps.search.semantic?.close();
    await deps.store.close();
  }
}
