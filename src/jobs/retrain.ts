// The scheduled retrain: trains a new static model on the site's papers, starting from the model in
// use, and switches to it only when it retrieves the held-out papers at least as well as the model
// in use does (both scored as saved, on the same papers). Training runs in a child process
// (`paperboy embeddings train`): minutes of arithmetic must not stall the site. A plain function:
// the scheduler and `paperboy embeddings retrain` both call it.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Deps } from '../deps.ts';
import { makeCurrent, managedModel, newModelFolder } from '../embed/models.ts';
import { loadStaticEmbedder, readStaticModel } from '../embed/static.ts';
import type { Scores } from '../embed/train.ts';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'paperboy.js');

export type RetrainResult =
  | { outcome: 'skipped'; why: string }
  | { outcome: 'kept'; current: Scores; trained: Scores }
  | { outcome: 'switched'; model: string; current: Scores; trained: Scores; embedded: number };

type Comparison = { currentScores: Scores; newScores: Scores; atLeastAsGood: boolean };

export async function retrainEmbeddings(deps: Deps, extraArgs: string[] = []): Promise<RetrainResult> {
  const { config, store, log } = deps;
  const semantic = deps.search.semantic;
  const e = config.embedder;
  if (e.kind !== 'static' || !e.managed) return { outcome: 'skipped', why: 'EMBEDDER_MODEL names a model of its own (only the default model is retrained)' };
  if (!config.modelsDir) return { outcome: 'skipped', why: 'no MODELS_DIR (an in-memory database, or MODELS_DIR=none)' };
  if (!semantic) return { outcome: 'skipped', why: 'semantic search is off' };
  const papers = await store.papers.count();
  if (papers < config.retrainMinPapers) return { outcome: 'skipped', why: `${papers} papers, fewer than RETRAIN_MIN_PAPERS=${config.retrainMinPapers}` };

  const current = managedModel(config.modelsDir); // the pointer moves with every switch
  mkdirSync(config.modelsDir, { recursive: true });
  const out = newModelFolder(config.modelsDir, deps.clock.now());
  // One training thread: the site keeps serving on the other core while the job runs.
  const args = ['embeddings', 'train', '--out', out, '--base', current, '--compare', current, '--dim', String(readStaticModel(current).dimensions), '--threads', '1', ...extraArgs];
  log.info(`retraining the embedding model on ${papers} papers (from ${current})`);
  try {
    await run(args, { ...process.env, DATABASE_URL: config.databaseUrl }, (line) => log.info(`retrain: ${line}`));
    const { comparison } = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { comparison: Comparison };
    const scores = { current: comparison.currentScores, trained: comparison.newScores };
    if (!comparison.atLeastAsGood) {
      rmSync(out, { recursive: true, force: true });
      return { outcome: 'kept', ...scores };
    }
    const next = loadStaticEmbedder(out);
    const { embedded } = await semantic.switchTo(next);
    makeCurrent(config.modelsDir, out);
    log.info(`switched semantic search to ${next.model} (${embedded} papers embedded)`);
    return { outcome: 'switched', model: next.model, embedded, ...scores };
  } catch (err) {
    if (managedModel(config.modelsDir) !== out) rmSync(out, { recursive: true, force: true });
    throw err;
  }
}

function run(args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) if (l.trim()) onLine(l);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done() : fail(new Error(`paperboy ${args.slice(0, 2).join(' ')} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`)),
    );
  });
}

const scores = (s: Scores) => `R@10 ${s.recallAt10.toFixed(3)}, MRR@10 ${s.mrrAt10.toFixed(3)}`;

export function describeRetrain(r: RetrainResult): string {
  switch (r.outcome) {
    case 'skipped':
      return `skipped: ${r.why}`;
    case 'kept':
      return `kept the model in use (${scores(r.current)} on held-out papers; the new one scored ${scores(r.trained)})`;
    case 'switched':
      return `switched to ${r.model} (${scores(r.trained)} on held-out papers, was ${scores(r.current)}; ${r.embedded} papers embedded)`;
  }
}
