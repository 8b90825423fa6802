// The bundled demo corpus (demo/ at the repository root): loaded into an empty database so a new
// site starts full. Real arXiv metadata carries no community upvotes, so the demo derives them from
// each paper's id (see demoUpvotes); everything else is the papers' own data.
import { join } from 'node:path';
import { hash53, type PaperInput } from '../domain/paper.ts';
import type { Store } from '../store/store.ts';
import { compactAfterBulkLoad, ingest, type IngestReport } from './ingest.ts';
import { parseFile } from './parse.ts';

export const DEMO_DIR = join(import.meta.dirname, '..', '..', 'demo');
export const DEMO_FILES = ['arxiv-recent.jsonl.gz', 'seed-cards.json'] as const;

/** Upvote cap: the Pareto tail below would otherwise give one paper in a few thousand over a thousand. */
const MAX_DEMO_UPVOTES = 999;
const PARETO_ALPHA = 1.2;

/**
 * Deterministic, heavy-tailed upvotes for a paper id, as community votes are: a Pareto draw
 * (P(upvotes >= k) = (k + 1)^-1.2) from a hash of the id. About half the papers get none, one in
 * 18 gets ten or more, one in 250 a hundred or more.
 */
export function demoUpvotes(id: string): number {
  const u = hash53(id, 7) / 2 ** 53; // uniform in [0, 1)
  return Math.min(MAX_DEMO_UPVOTES, Math.floor((1 - u) ** (-1 / PARETO_ALPHA) - 1));
}

const withDemoUpvotes = (p: PaperInput): PaperInput => (p.upvotes === undefined ? { ...p, upvotes: demoUpvotes(p.id) } : p);

/** Loads the demo corpus; the caller decides whether the database is empty enough to want it. */
export async function loadDemo(store: Store, now: () => Date): Promise<IngestReport[]> {
  const reports: IngestReport[] = [];
  for (const f of DEMO_FILES) {
    const path = join(DEMO_DIR, f);
    reports.push(await ingest(store, path, parseFile(path), { now, adjust: withDemoUpvotes }));
  }
  await compactAfterBulkLoad(store, reports.reduce((n, r) => n + r.added, 0));
  return reports;
}
