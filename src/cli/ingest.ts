// paperboy ingest FILE...: loads papers from files in any supported format. Exit codes: 0 all written;
// 1 a file had invalid records (without --skip-invalid nothing of that file was written) or could not
// be read; 2 bad usage or configuration.
import { createWriteStream, type ReadStream, statSync, type WriteStream } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { compactAfterBulkLoad, formatProblem, ingest, type IngestReport } from '../ingest/ingest.ts';
import { parseStream } from '../ingest/parse.ts';
import { openSource, SOURCE_FORMATS, type SourceFormat } from '../ingest/read.ts';
import { withStore } from './context.ts';
import { embedderOrExit, embedWithProgress } from './embeddings.ts';

export type IngestFlags = { format: string; skipInvalid?: boolean; rejects?: string; dryRun?: boolean };

const failure = (source: string, message: string): IngestReport => ({
  source, read: 0, added: 0, updated: 0, unchanged: 0, rejected: 0, deleted: 0,
  problems: [{ line: 0, field: '(file)', message }], resumptionToken: undefined, written: false,
});

export async function ingestCommand(files: string[], opts: IngestFlags): Promise<void> {
  if (!(SOURCE_FORMATS as readonly string[]).includes(opts.format)) {
    console.error(`paperboy ingest: --format must be one of ${SOURCE_FORMATS.join(', ')}, got "${opts.format}"`);
    process.exit(2);
  }
  let failed = false;
  let added = 0;
  await withStore(async (store, config) => {
    for (const file of files) {
      const size = file === '-' ? 0 : (statSync(file, { throwIfNoEntry: false })?.size ?? 0);
      // The bar tracks bytes read of the file (compressed or not), so it can show an ETA.
      const bar = process.stderr.isTTY
        ? new SingleBar({
            format: `${file} |{bar}| {percentage}% | {records} records | {speed} records/s | ETA {eta_formatted}`,
            stream: process.stderr,
            hideCursor: true,
          })
        : undefined;
      bar?.start(Math.max(size, 1), 0, { records: 0, speed: 0 });
      const started = Date.now();
      const input = openSource(file);
      const bytesRead = () => (input as Partial<ReadStream>).bytesRead ?? 0;
      const chunks = parseStream(input, opts.format as SourceFormat, opts.skipInvalid ? Number.POSITIVE_INFINITY : undefined);
      const rejectsPath = opts.rejects ?? `${file === '-' ? 'stdin' : file}.rejects.jsonl`;
      let rejects: WriteStream | undefined;
      const report = await ingest(store, file, chunks, {
        now: () => new Date(),
        skipInvalid: opts.skipInvalid,
        onRejected: (r) => {
          if (!opts.skipInvalid || opts.dryRun) return;
          rejects ??= createWriteStream(rejectsPath);
          rejects.write(`${JSON.stringify(r)}\n`);
        },
        dryRun: opts.dryRun,
        onProgress: (n) =>
          bar?.update(Math.min(bytesRead(), size), { records: n, speed: Math.round(n / Math.max(0.001, (Date.now() - started) / 1000)) }),
      }).catch((e: NodeJS.ErrnoException) => {
        if (['ENOENT', 'EISDIR', 'EACCES'].includes(e.code ?? '')) return failure(file, e.message);
        throw e;
      });
      bar?.stop();
      const secs = (Date.now() - started) / 1000;
      if (rejects) await new Promise((r) => rejects!.end(r));
      for (const p of report.problems.slice(0, 50)) console.error(formatProblem(file, p));
      if (report.rejected > 50) console.error(`${file}: … ${report.rejected} invalid records in all`);
      if (report.problems.length > 0) failed = true;
      if (!report.written && !opts.dryRun) {
        console.error(`${file}: nothing written: fix the ${report.problems.length === 1 ? 'problem' : 'problems'} above, or import the valid records with --skip-invalid`);
        continue;
      }
      if (rejects) console.error(`${file}: ${report.rejected} rejected records written to ${rejectsPath}`);
      if (!opts.dryRun) added += report.added;
      const rate = Math.round(report.read / Math.max(secs, 0.001));
      console.log(
        `${opts.dryRun ? '(dry run, nothing written) ' : ''}${file}: ${report.read} read, ${report.added} added, ${report.updated} updated, ` +
          `${report.unchanged} unchanged, ${report.rejected} rejected, ${report.deleted} deleted` +
          ` (${secs.toFixed(1)} s, ${rate} records/s${size ? `, ${(size / 1048576).toFixed(1)} MB` : ''})`,
      );
    }
    const compacted = await compactAfterBulkLoad(store, added);
    if (compacted !== undefined) console.log(`search index compacted after a bulk load (${compacted.toFixed(1)} s)`);
    // New papers get their vectors now, so semantic search sees them at once.
    if (config.embedder.kind !== 'none' && !opts.dryRun) await embedWithProgress(store, await embedderOrExit(config));
  });
  if (failed) process.exitCode = 1;
}
