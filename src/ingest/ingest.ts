// ingest(): reads one source, validates every record, and upserts the papers in one transaction.
// A source with any bad record writes nothing: the whole transaction is rolled back and every
// problem (up to MAX_ERRORS) is reported with its line and field.
import type { Readable } from 'node:stream';
import type { PaperInput } from '../domain/paper.ts';
import type { Store } from '../store/store.ts';
import { readRecords, type SourceFormat } from './read.ts';
import { toPaperInput } from './records.ts';

export type IngestProblem = { line: number; field: string; message: string };
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
  format?: SourceFormat;
  now: () => Date;
  /** Applied to each valid record before it is stored (the demo loader derives upvotes here). */
  adjust?: (p: PaperInput) => PaperInput;
  onProgress?: (read: number) => void;
};

const BATCH = 2000;
const MAX_ERRORS = 20;

class Rollback extends Error {}

export async function ingest(store: Store, source: string, input: Readable, opts: IngestOptions): Promise<IngestReport> {
  const report: IngestReport = { source, read: 0, added: 0, updated: 0, unchanged: 0, problems: [] };
  const nowIso = opts.now().toISOString();
  try {
    await store.transaction(async (tx) => {
      let batch: PaperInput[] = [];
      const flush = async () => {
        if (report.problems.length === 0 && batch.length > 0) {
          const r = await tx.papers.upsertMany(batch, nowIso);
          report.added += r.added;
          report.updated += r.updated;
          report.unchanged += r.unchanged;
        }
        batch = [];
      };
      for await (const item of readRecords(input, opts.format)) {
        report.read++;
        if ('syntaxError' in item) {
          report.problems.push({ line: item.line, field: '(json)', message: item.syntaxError });
        } else {
          const r = toPaperInput(item.value);
          if (r.ok) batch.push(opts.adjust ? opts.adjust(r.paper) : r.paper);
          else for (const e of r.errors) report.problems.push({ line: item.line, ...e });
        }
        if (report.problems.length >= MAX_ERRORS) break;
        if (batch.length >= BATCH) await flush();
        if (opts.onProgress && report.read % 1000 === 0) opts.onProgress(report.read);
      }
      await flush();
      opts.onProgress?.(report.read);
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
