// Shared by the benchmarks: where the arxiv-sample corpus is, and loading it into a store.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { compactAfterBulkLoad, type IngestOptions, ingest, type IngestReport } from '../src/ingest/ingest.ts';
import { parseFile } from '../src/ingest/parse.ts';
import type { Store } from '../src/store/store.ts';

export const SAMPLE_DIR = resolve(process.env.ARXIV_SAMPLE ?? join(import.meta.dirname, '..', '..', 'shared', 'data', 'arxiv-sample'));

export function sampleFiles(): string[] {
  if (!existsSync(SAMPLE_DIR)) {
    console.error(`arxiv-sample not found at ${SAMPLE_DIR}; set ARXIV_SAMPLE to its folder`);
    process.exit(2);
  }
  return readdirSync(SAMPLE_DIR)
    .filter((f) => f.endsWith('.jsonl.gz'))
    .sort()
    .map((f) => join(SAMPLE_DIR, f));
}

/** The id, title and abstract of every sample paper, in file order (for training and evaluating embeddings). */
export function samplePapers(): { id: string; title: string; abstract: string }[] {
  const out: { id: string; title: string; abstract: string }[] = [];
  for (const f of sampleFiles()) {
    for (const line of gunzipSync(readFileSync(f)).toString('utf8').split('\n')) {
      if (!line) continue;
      const j = JSON.parse(line) as { id: string; title: string; abstract: string };
      out.push({ id: j.id, title: j.title, abstract: j.abstract });
    }
  }
  return out;
}

/** Loads every sample file as `paperboy ingest` does (compacting the search index after a bulk load); returns the reports. */
export async function loadSample(store: Store, adjust?: IngestOptions['adjust']): Promise<IngestReport[]> {
  const reports: IngestReport[] = [];
  for (const f of sampleFiles()) {
    const r = await ingest(store, f, parseFile(f), { now: () => new Date(), adjust });
    if (r.problems.length) throw new Error(`${f}: ${JSON.stringify(r.problems[0])}`);
    reports.push(r);
  }
  await compactAfterBulkLoad(store, reports.reduce((n, r) => n + r.added, 0));
  return reports;
}
