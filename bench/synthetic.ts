// A synthetic corpus of N papers for scale benchmarks, generated from the real arxiv-sample: each
// record takes a real paper's title, abstract, authors and categories (so lengths and vocabulary
// are realistic) under a new, unique arXiv id from months no real paper of the sample uses.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { gunzipSync } from 'node:zlib';
import { sampleFiles } from './corpus.ts';

type Sample = { id: string; title: string; abstract: string; authors: string[]; categories: string[]; primary_category: string; comment: string | null; date: string };

/** Writes (once) and returns the path of a gzip'd JSONL file of `n` papers. */
export async function syntheticCorpus(dir: string, n: number): Promise<string> {
  const path = join(dir, `synthetic-${n}.jsonl.gz`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const real: Sample[] = [];
  for (const f of sampleFiles()) {
    for (const line of gunzipSync(readFileSync(f)).toString('utf8').split('\n')) if (line) real.push(JSON.parse(line) as Sample);
  }
  const out = createGzip({ level: 1 });
  const tmp = `${path}.part`;
  const done = new Promise<void>((resolve, reject) => out.pipe(createWriteStream(tmp)).on('finish', resolve).on('error', reject));
  for (let i = 0; i < n; i++) {
    const r = real[i % real.length]!;
    // Months 2701..: 99,999 ids each, beyond every real id of the sample.
    const month = 2701 + Math.floor(i / 99_999);
    const yymm = month % 100 > 12 ? month + 88 : month;
    const id = `${yymm}.${String((i % 99_999) + 1).padStart(5, '0')}`;
    const day = `20${String(yymm).slice(0, 2)}-${String(yymm).slice(2)}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const rec = { ...r, id, date: day, title: i < real.length ? r.title : `${r.title} (${i})` };
    if (!out.write(`${JSON.stringify(rec)}\n`)) await new Promise((res) => out.once('drain', res));
  }
  out.end();
  await done;
  renameSync(tmp, path);
  return path;
}

/** The same, generated in a child process (so its memory is not the caller's peak); cached in .tmp/. */
export function syntheticCorpusInChild(n: number): string {
  const gen = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'synthetic.ts'), join(import.meta.dirname, '..', '.tmp'), String(n)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return gen.stdout.trim();
}

// As a script (run by syntheticCorpusInChild in its own process, so its memory is not counted): tsx bench/synthetic.ts DIR N
if (process.argv[1]?.endsWith('synthetic.ts')) {
  console.log(await syntheticCorpus(process.argv[2]!, Number(process.argv[3])));
}
