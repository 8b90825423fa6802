// ingest(): writes the chunks of one parsed source in one transaction. A source with any bad record
// writes nothing: the whole transaction is rolled back and every problem (up to MAX_PROBLEMS) is
// reported with its line and field.
import type { PaperInput } from '../domain/paper.ts';
import type { Store } from '../store/store.ts';
import type { IngestProblem, ParsedChunk } from './parse.ts';

export type { IngestProblem } from './parse.ts';
export type IngestReport = {
  source: string;
  read: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Non-empty means nothing from this source was written. */
  problems: IngestProblem[];
};

export type IngestOptions = {
  now: () => Date;
  /** Applied to each valid record before it is stored (the demo loader derives upvotes here). */
  adjust?: (p: PaperInput) => PaperInput;
  onProgress?: (read: number) => void;
};

class Rollback extends Error {}

export async function ingest(store: Store, source: string, chunks: AsyncIterable<ParsedChunk>, opts: IngestOptions): Promise<IngestReport> {
  const report: IngestReport = { source, read: 0, added: 0, updated: 0, unchanged: 0, problems: [] };
  const nowIso = opts.now().toISOString();
  try {
    await store.transaction(async (tx) => {
      for await (const chunk of chunks) {
        report.read += chunk.read;
        report.problems.push(...chunk.problems);
        if (report.problems.length === 0 && chunk.papers.length > 0) {
          const r = await tx.papers.upsertMany(opts.adjust ? chunk.papers.map(opts.adjust) : chunk.papers, nowIso);
          report.added += r.added;
          report.updated += r.updated;
          report.unchanged += r.unchanged;
        }
        opts.onProgress?.(report.read);
      }
      if (report.problems.length > 0) throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    report.added = report.updated = report.unchanged = 0;
  }
  return report;
}

export function formatProblem(source: string, p: IngestProblem): string {
  return `${source}:${p.line}: ${p.field}: ${p.message}`;
}
