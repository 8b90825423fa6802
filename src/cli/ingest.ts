import { SingleBar } from 'cli-progress';
import { formatProblem, ingest } from '../ingest/ingest.ts';
import { parseFile } from '../ingest/parse.ts';
import type { SourceFormat } from '../ingest/read.ts';
import { withStore } from './context.ts';

export async function ingestCommand(files: string[], opts: { format: string }): Promise<void> {
  if (!['auto', 'jsonl', 'json'].includes(opts.format)) {
    console.error(`paperboy ingest: --format must be auto, jsonl or json, got "${opts.format}"`);
    process.exit(2);
  }
  let failed = false;
  await withStore(async (store) => {
    for (const file of files) {
      const bar = process.stderr.isTTY
        ? new SingleBar({ format: `${file} | {value} records`, stream: process.stderr, hideCursor: true })
        : undefined;
      bar?.start(0, 0);
      const started = Date.now();
      const report = await ingest(store, file, parseFile(file, opts.format as SourceFormat), {
        now: () => new Date(),
        onProgress: (n) => bar?.update(n),
      }).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES' || e.code === 'Z_DATA_ERROR') {
          return { source: file, read: 0, added: 0, updated: 0, unchanged: 0, problems: [{ line: 0, field: '(file)', message: e.message }] };
        }
        throw e;
      });
      bar?.stop();
      if (report.problems.length > 0) {
        failed = true;
        for (const p of report.problems) console.error(formatProblem(file, p));
        console.error(`${file}: nothing written: fix the ${report.problems.length === 1 ? 'problem' : 'problems'} above and run again`);
        continue;
      }
      const secs = (Date.now() - started) / 1000;
      console.log(
        `${file}: ${report.read} read, ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, 0 rejected (${secs.toFixed(1)} s)`,
      );
    }
  });
  if (failed) process.exitCode = 1;
}
