// paperboy embeddings status|backfill: what the configured embedder has covered, and embedding the
// rest (resumable: each batch is committed, so a rerun continues where an interrupted one stopped).
// Each model keeps its own vectors; once the configured one covers every paper, the others' are deleted.
import { SingleBar } from 'cli-progress';
import type { Config } from '../config.ts';
import { coverage, embedPending, retireOtherModels } from '../embed/backfill.ts';
import { createEmbedder } from '../embed/create.ts';
import type { Embedder } from '../embed/embedder.ts';
import type { Store } from '../store/store.ts';
import { withStore } from './context.ts';

export async function embedderOrExit(config: Config): Promise<Embedder> {
  try {
    const e = await createEmbedder(config.embedder);
    if (e) return e;
    console.error('paperboy embeddings: no embedder configured: set EMBEDDER (static, openai or onnx) and EMBEDDER_MODEL');
  } catch (err) {
    console.error(`paperboy embeddings: ${(err as Error).message}`);
  }
  process.exit(2);
}

/** Embeds what is pending, with a progress bar on a terminal; returns how many papers were embedded. */
export async function embedWithProgress(store: Store, embedder: Embedder): Promise<number> {
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'embedding |{bar}| {value}/{total} papers | {speed} papers/s | ETA {eta_formatted}', stream: process.stderr, hideCursor: true })
    : undefined;
  const started = Date.now();
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    const { embedded } = await embedPending(store, embedder, {
      nowIso: () => new Date().toISOString(),
      signal: controller.signal,
      onProgress: (done, total) => {
        if (done === 0) bar?.start(total, 0, { speed: 0 });
        else bar?.update(done, { speed: Math.round(done / Math.max(0.001, (Date.now() - started) / 1000)) });
      },
    });
    bar?.stop();
    const secs = (Date.now() - started) / 1000;
    console.log(`${embedded} papers embedded with ${embedder.model} in ${secs.toFixed(1)} s${controller.signal.aborted ? ' (interrupted: run again to resume)' : ''}`);
    return embedded;
  } finally {
    process.off('SIGINT', stop);
  }
}

export async function embeddingsStatusCommand(opts: { json?: boolean }): Promise<void> {
  await withStore(async (store, config) => {
    const embedder = await embedderOrExit(config);
    const { vectors, pending, otherModels, reindexNeeded } = await coverage(store, embedder.model);
    if (opts.json) {
      console.log(JSON.stringify({ model: embedder.model, dimensions: embedder.dimensions, vectors, pending, otherModels: Object.fromEntries(otherModels), reindexNeeded }));
      return;
    }
    console.log(`model        ${embedder.model} (${embedder.dimensions} dimensions)`);
    console.log(`vectors      ${vectors}`);
    console.log(`pending      ${pending}${pending > 0 ? ' (run `paperboy embeddings backfill`)' : ''}`);
    for (const [m, n] of otherModels) console.log(`other model  ${m}: ${n} vectors, unused`);
    if (reindexNeeded) console.log('reindex needed: vectors of another model are not searched; `paperboy embeddings backfill` embeds every paper with this one and then deletes them');
  });
}

export async function embeddingsBackfillCommand(): Promise<void> {
  await withStore(async (store, config) => {
    const embedder = await embedderOrExit(config);
    await embedWithProgress(store, embedder);
    const retired = await retireOtherModels(store, embedder.model);
    if (retired > 0) console.log(`reindex done: deleted ${retired} vectors of other models`);
    const left = [...(await store.embeddings.models()).keys()].filter((m) => m !== embedder.model);
    if (left.length > 0) console.log(`vectors of ${left.join(', ')} are kept until every paper has one of ${embedder.model}: the run was interrupted; run it again`);
  });
}
