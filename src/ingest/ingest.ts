// ingest(): writes the chunks of one parsed source in one transaction. By default a source with any
// bad record writes nothing: the transaction is rolled back and every problem (up to MAX_PROBLEMS)
// is reported with its line and field. With skipInvalid the valid records are written and the bad
// ones handed to onRejected as they come (memory stays bounded however many there are); with dryRun
// everything is written and then rolled back, so the report says exactly what a real run would do.
import type { PaperInput } from '../domain/paper.ts';
import type { Repos, Store } from '../store/store.ts';
import type { IngestProblem, ParsedChunk, Rejected } from './parse.ts';

export type { IngestProblem } from './parse.ts';
export type IngestReport = {
  source: string;
  read: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Records not written because they are invalid. */
  rejected: number;
  /** Known papers marked deleted by the source (OAI-PMH tombstones). */
  deleted: number;
  /** The first REPORTED_PROBLEMS problems; without skipInvalid, any means nothing was written. */
  problems: IngestProblem[];
  /** The last OAI-PMH resumptionToken seen, if any. */
  resumptionToken: string | undefined;
  written: boolean;
};

export type IngestOptions = {
  now: () => Date;
  /** Applied to each valid record before it is stored (the demo loader derives upvotes here). */
  adjust?: (p: PaperInput) => PaperInput;
  onProgress?: (read: number) => void;
  skipInvalid?: boolean;
  /** Each invalid record with its problems, as it is met (for a rejects file). */
  onRejected?: (r: Rejected) => void;
  dryRun?: boolean;
  /** Runs inside the same transaction after the records are written (a harvest saves its checkpoint). */
  afterWrite?: (tx: Repos, report: IngestReport) => Promise<void>;
};

/** Problems kept in a report; a file with more is summarised by the count of rejected records. */
export const REPORTED_PROBLEMS = 100;

class Rollback extends Error {}

export async function ingest(
  store: Store,
  source: string,
  chunks: AsyncIterable<ParsedChunk> | Iterable<ParsedChunk>,
  opts: IngestOptions,
): Promise<IngestReport> {
  const report: IngestReport = {
    source, read: 0, added: 0, updated: 0, unchanged: 0, rejected: 0, deleted: 0,
    problems: [], resumptionToken: undefined, written: false,
  };
  const nowIso = opts.now().toISOString();
  try {
    await store.transaction(async (tx) => {
      for await (const chunk of chunks) {
        report.read += chunk.read;
        report.problems.push(...chunk.problems.slice(0, REPORTED_PROBLEMS - report.problems.length));
        for (const r of chunk.rejected) opts.onRejected?.(r);
        report.rejected += chunk.rejected.length;
        report.resumptionToken = chunk.resumptionToken ?? report.resumptionToken;
        if ((opts.skipInvalid || report.problems.length === 0) && chunk.papers.length > 0) {
          const r = await tx.papers.upsertMany(opts.adjust ? chunk.papers.map(opts.adjust) : chunk.papers, nowIso);
          report.added += r.added;
          report.updated += r.updated;
          report.unchanged += r.unchanged;
        }
        if (chunk.deleted.length > 0) report.deleted += await tx.papers.markDeleted(chunk.deleted, nowIso);
        opts.onProgress?.(report.read);
      }
      if (opts.dryRun || (!opts.skipInvalid && report.problems.length > 0)) throw new Rollback();
      await opts.afterWrite?.(tx, report);
    });
    report.written = true;
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    if (!opts.dryRun) report.added = report.updated = report.unchanged = report.deleted = 0;
  }
  return report;
}

/** A run that added at least this share of all papers is a bulk load, after which the search index is compacted. */
export const BULK_LOAD_SHARE = 0.1;

/**
 * After a run (of any number of sources) that added `added` papers: compacts the search index if that
 * was a bulk load, and returns the seconds it took (undefined when it was not one). Smaller runs, such
 * as a day's harvest into a large corpus, leave the index to the engine's own upkeep: compacting
 * rewrites all of it.
 */
export async function compactAfterBulkLoad(store: Store, added: number): Promise<number | undefined> {
  if (added === 0 || added < BULK_LOAD_SHARE * (await store.papers.count())) return undefined;
  const started = performance.now();
  await store.papers.compactSearchIndex();
  return (performance.now() - started) / 1000;
}

export function formatProblem(source: string, p: IngestProblem): string {
  return `${source}:${p.line}: ${p.field}: ${p.message}`;
}
