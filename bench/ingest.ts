// npm run bench:ingest — papers/s loading the whole arxiv-sample (74,728 papers) into an empty SQLite
// database, full-text index included, and the process's peak memory. Prints figures; asserts nothing.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/store.ts';
import { loadSample } from './corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
const path = join(dir, 'bench.db');
const store = openStore({ engine: 'sqlite', path });
await store.migrate(() => new Date().toISOString());

const started = performance.now();
const reports = await loadSample(store);
const secs = (performance.now() - started) / 1000;
const added = reports.reduce((n, r) => n + r.added, 0);

const again = performance.now();
const second = await loadSample(store);
const secs2 = (performance.now() - again) / 1000;
const unchanged = second.reduce((n, r) => n + r.unchanged, 0);
await store.close();

const peakMb = process.resourceUsage().maxRSS / 1024;
const dbMb = (statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0)) / 1048576;
console.log(`files                 ${reports.length}`);
console.log(`papers added          ${added}`);
console.log(`time                  ${secs.toFixed(2)} s`);
console.log(`throughput            ${Math.round(added / secs)} papers/s (target >= 10000)`);
console.log(`re-ingest (unchanged) ${unchanged} papers in ${secs2.toFixed(2)} s = ${Math.round(unchanged / secs2)} papers/s`);
console.log(`peak RSS              ${peakMb.toFixed(0)} MB`);
console.log(`database size         ${dbMb.toFixed(0)} MB`);
rmSync(dir, { recursive: true, force: true });
