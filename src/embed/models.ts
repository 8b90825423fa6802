// Which static model serves when EMBEDDER_MODEL is not set (a "managed" model): the newest model the
// retrain job accepted (MODELS_DIR/current names its folder), else the model that ships with
// paperboy (models/arxiv-static, trained by this code on the arxiv-sample). Switching writes the
// pointer atomically; superseded model folders are removed.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

export const BUNDLED_MODEL = resolve(import.meta.dirname, '..', '..', 'models', 'arxiv-static');
const POINTER = 'current';

/** The folder of the managed model in use. */
export function managedModel(modelsDir: string | undefined): string {
  if (modelsDir && existsSync(join(modelsDir, POINTER))) {
    const name = readFileSync(join(modelsDir, POINTER), 'utf8').trim();
    const dir = join(modelsDir, name);
    if (name && existsSync(join(dir, 'vocab.txt'))) return dir;
  }
  return BUNDLED_MODEL;
}

let bundledWords: readonly string[] | undefined;
/**
 * The bundled model's words, most frequent first (74,728 arXiv papers' words), read once: what "did
 * you mean" suggests from when the embedder in use has no vocabulary of its own.
 */
export function bundledVocabulary(): readonly string[] {
  bundledWords ??= readFileSync(join(BUNDLED_MODEL, 'vocab.txt'), 'utf8').split('\n').filter((w) => w !== '');
  return bundledWords;
}

/** A new, unused folder for a model trained now. */
export function newModelFolder(modelsDir: string, now: Date): string {
  const stamp = `model-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`;
  let dir = join(modelsDir, stamp);
  for (let n = 2; existsSync(dir); n++) dir = join(modelsDir, `${stamp}-${n}`);
  return dir;
}

/** Makes `dir` (a folder in modelsDir) the managed model, and removes the other trained models. */
export function makeCurrent(modelsDir: string, dir: string): void {
  const name = basename(dir);
  writeFileSync(join(modelsDir, `${POINTER}.tmp`), `${name}\n`);
  renameSync(join(modelsDir, `${POINTER}.tmp`), join(modelsDir, POINTER));
  for (const f of readdirSync(modelsDir)) {
    if (f.startsWith('model-') && f !== name) rmSync(join(modelsDir, f), { recursive: true, force: true });
  }
}
