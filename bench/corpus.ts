// Shared by the benchmarks: where the arxiv-sample corpus is, and loading it into a store.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type IngestOptions, ingest, type IngestReport } from '../src/ingest/ingest.ts';
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

/** Loads every sample file as `paperboy ingest` does; returns the reports. */
export async function loadSample(store: Store, adjust?: IngestOptions['adjust']): Promise<IngestReport[]> {
  const reports: IngestReport[] = [];
  for (const f of sampleFiles()) {
    const r = await ingest(store, f, parseFile(f), { now: () => new Date(), adjust });
    if (r.problems.length) throw new Error(`${f}: ${JSON.stringify(r.problems[0])}`);
    reports.push(r);
  }
  return reports;
}
