// `paperboy export [FILE]`, `paperboy import FILE` and `paperboy backup FILE`: all data as JSON lines
// (gzip when FILE ends in .gz; "-" = stdout/stdin), loaded into an empty database of either engine;
// and an online SQLite backup (PostgreSQL: pg_dump, see README).
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { openSource } from '../ingest/read.ts';
import { MIGRATIONS } from '../store/migrations/index.ts';
import { type ExportHeader, type ExportLine, ImportError } from '../store/transfer.ts';
import { withStore } from './context.ts';

const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

export async function exportCommand(file = '-'): Promise<void> {
  await withStore(async (store) => {
    const header: ExportHeader = { format: 'paperboy-export', schemaVersion: SCHEMA_VERSION, exportedAt: new Date().toISOString() };
    let rows = 0;
    async function* lines() {
      yield `${JSON.stringify(header)}\n`;
      for await (const line of store.exportRows()) {
        rows++;
        yield `${JSON.stringify(line)}\n`;
      }
    }
    const out: Writable = file === '-' ? process.stdout : createWriteStream(file);
    if (file.endsWith('.gz')) await pipeline(Readable.from(lines()), createGzip(), out);
    else await pipeline(Readable.from(lines()), out);
    console.error(`exported ${rows} rows${file === '-' ? '' : ` to ${file}`}`);
  });
}

export async function importCommand(file: string): Promise<void> {
  await withStore(async (store) => {
    const raw = openSource(file);
    const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let n = 0;
    async function* rows(): AsyncGenerator<ExportLine> {
      for await (const text of rl) {
        n++;
        if (!text.trim()) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new ImportError(`${file}:${n}: not JSON`);
        }
        if (n === 1) {
          const h = parsed as Partial<ExportHeader>;
          if (h.format !== 'paperboy-export') throw new ImportError(`${file}:1: not a paperboy export (no header line)`);
          if (h.schemaVersion !== SCHEMA_VERSION) throw new ImportError(`${file}:1: exported at schema version ${h.schemaVersion}, this paperboy is at ${SCHEMA_VERSION}: import with the same version that exported`);
          continue;
        }
        const line = parsed as ExportLine;
        if (!line || typeof line.table !== 'string' || typeof line.row !== 'object') throw new ImportError(`${file}:${n}: expected {"table": …, "row": {…}}`);
        yield line;
      }
    }
    try {
      const counts = await store.importRows(rows());
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      console.log(`imported ${total} rows: ${Object.entries(counts).map(([t, c]) => `${t} ${c}`).join(', ')}`);
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      console.error(`paperboy: ${e.message}; nothing was imported`);
      process.exitCode = 1;
    }
  });
}

export async function backupCommand(file: string): Promise<void> {
  await withStore(async (store, config) => {
    if (!store.backup) {
      console.error(`paperboy: ${config.database.engine} databases are backed up with their own tools: pg_dump --format=custom "$DATABASE_URL" > paperboy.dump (see README)`);
      process.exitCode = 2;
      return;
    }
    await store.backup(file);
    console.log(`backed up to ${file}`);
  });
}
