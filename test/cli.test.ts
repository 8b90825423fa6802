// The paperboy command, run as a user runs it: a child process with its own environment.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { simpleParser } from 'mailparser';
import { MIGRATIONS } from '../src/store/migrations/index.ts';
import { FIXTURES, tempDir, writeTinyStaticModel } from './helpers.ts';

const VERSIONS = MIGRATIONS.map((m) => m.version);
const LATEST = VERSIONS.at(-1)!;
const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');

function paperboy(args: string[], env: Record<string, string>, input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', DEMO_DATA: 'false', EMBEDDER: 'none', ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const countPapers = (db: string) => {
  const d = new Database(db, { readonly: true });
  const n = (d.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
  d.close();
  return n;
};

describe('paperboy CLI', () => {
  it('prints help and the configuration table', () => {
    const help = paperboy(['--help'], {});
    assert.equal(help.code, 0);
    for (const cmd of ['serve', 'migrate', 'ingest', 'stats', 'config']) assert.match(help.out, new RegExp(`\\b${cmd}\\b`));
    const config = paperboy(['config'], { PORT: '8080' });
    assert.match(config.out, /PORT\s+8080 \(set\)/);
    assert.match(config.out, /DATABASE_URL\s+sqlite:\.\/data\/paperboy\.db \(default\)/);
    const secret = paperboy(['config'], { EMBEDDER_API_KEY: 'sk-very-secret' });
    assert.match(secret.out, /EMBEDDER_API_KEY\s+\(set, not shown\)/);
    assert.doesNotMatch(secret.out, /sk-very-secret/);
    assert.match(paperboy(['--help'], {}).out, /\bembeddings\b/);
  });

  it('migrates, ingests every format idempotently, and reports stats', () => {
    const dir = tempDir();
    const db = join(dir, 'p.db');
    const env = { DATABASE_URL: `sqlite:${db}` };
    assert.match(paperboy(['migrate'], env).out, new RegExp(`applied migrations ${VERSIONS.join(', ')}; schema at version ${LATEST}`));
    assert.match(paperboy(['migrate'], env).out, new RegExp(`schema already at version ${LATEST}`));

    const gz = join(dir, 'sample.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(FIXTURES, 'arxiv-sample-7.jsonl'))));
    const first = paperboy(['ingest', gz, join(FIXTURES, 'hf-daily-papers.json')], env);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /sample\.jsonl\.gz: 7 read, 7 added, 0 updated, 0 unchanged, 0 rejected/);
    assert.match(first.out, /hf-daily-papers\.json: 3 read, 3 added, 0 updated, 0 unchanged, 0 rejected/);
    assert.match(first.out, /search index compacted after a bulk load \(\d+\.\d s\)/, 'a first load is a bulk load');
    const again = paperboy(['ingest', '-'], env, readFileSync(join(FIXTURES, 'arxiv-sample-7.jsonl'), 'utf8'));
    assert.match(again.out, /-: 7 read, 0 added, 0 updated, 7 unchanged/);
    assert.doesNotMatch(again.out, /compacted/, 'nothing added, nothing to compact');

    const stats = JSON.parse(paperboy(['stats', '--json'], env).out);
    assert.equal(stats.papers, 10);
    assert.equal(stats.lastFeaturedDay, '2026-06-30');
    assert.equal(stats.upvotes, 21, 'the HF items carry 7 upvotes each; JSONL records none');
  });

  it('rejects a file with a malformed line: file:line and field, nothing written, non-zero exit', () => {
    const dir = tempDir();
    const db = join(dir, 'p.db');
    const good = readFileSync(join(FIXTURES, 'arxiv-sample-7.jsonl'), 'utf8').split('\n');
    const bad = join(dir, 'bad.jsonl');
    const wrongDate = JSON.parse(good[1]!);
    wrongDate.date = '2026-06-31';
    writeFileSync(bad, [good[0], JSON.stringify(wrongDate), '{"id": "2606.1"', good[2]].join('\n'));
    const r = paperboy(['ingest', bad], { DATABASE_URL: `sqlite:${db}` });
    assert.equal(r.code, 1);
    assert.match(r.err, /bad\.jsonl:2: date: expected a calendar date YYYY-MM-DD/);
    assert.match(r.err, /bad\.jsonl:3: \(syntax\): /);
    assert.match(r.err, /bad\.jsonl: nothing written/);
    assert.equal(countPapers(db), 0);

    const missing = paperboy(['ingest', join(dir, 'nope.jsonl')], { DATABASE_URL: `sqlite:${db}` });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.jsonl:0: \(file\): ENOENT/);
    assert.equal(paperboy(['ingest', '--format', 'xml', bad], { DATABASE_URL: `sqlite:${db}` }).code, 2);
  });

  it('imports the valid records with --skip-invalid and writes the rest to a rejects file; --dry-run writes nothing', () => {
    const dir = tempDir();
    const db = join(dir, 'p.db');
    const env = { DATABASE_URL: `sqlite:${db}` };
    const lines = readFileSync(join(FIXTURES, 'arxiv-snapshot.jsonl'), 'utf8').trim().split('\n');
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, [lines[0], '{"id": "0704.0002"', lines[1], JSON.stringify({ id: 'nope', title: 'x', versions: [] })].join('\n'));

    const dry = paperboy(['ingest', '--dry-run', join(FIXTURES, 'arxiv-snapshot.jsonl')], env);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /\(dry run, nothing written\) .*: 3 read, 3 added/);
    assert.equal(countPapers(db), 0);

    const r = paperboy(['ingest', '--skip-invalid', file], env);
    assert.equal(r.code, 1, 'exit 1: some records were invalid');
    assert.match(r.out, /mixed\.jsonl: 4 read, 2 added, 0 updated, 0 unchanged, 2 rejected/);
    assert.match(r.err, /2 rejected records written to .*mixed\.jsonl\.rejects\.jsonl/);
    const rejects = readFileSync(`${file}.rejects.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(rejects.map((x) => x.line), [2, 4]);
    assert.equal(rejects[1].record.id, 'nope');
    assert.match(rejects[1].problems[0].message, /not an arXiv id/);
    assert.equal(countPapers(db), 2);

    const xml = paperboy(['ingest', join(FIXTURES, 'oai-arxiv-page1.xml'), join(FIXTURES, 'arxiv-api-query.atom.xml')], env);
    assert.equal(xml.code, 0, xml.err);
    assert.match(xml.out, /oai-arxiv-page1\.xml: 2 read, 2 added/);
    assert.match(xml.out, /arxiv-api-query\.atom\.xml: 3 read, 3 added/);
  });

  it('refuses bad configuration and a newer schema with a message saying what to do', () => {
    const port = paperboy(['serve'], { PORT: 'eighty' });
    assert.equal(port.code, 2);
    assert.match(port.err, /PORT: expected an integer 0-65535, got "eighty"/);
    const url = paperboy(['stats'], { DATABASE_URL: 'mysql://x' });
    assert.equal(url.code, 2);
    assert.match(url.err, /DATABASE_URL: expected sqlite:PATH/);

    const db = join(tempDir(), 'newer.db');
    const env = { DATABASE_URL: `sqlite:${db}` };
    paperboy(['migrate'], env);
    const d = new Database(db);
    d.prepare("INSERT INTO schema_migrations VALUES (70, 'future', '2030-01-01')").run();
    d.close();
    const serve = paperboy(['serve'], { ...env, PORT: '0' });
    assert.equal(serve.code, 2);
    assert.match(serve.err, new RegExp(`schema is at version 70 but this paperboy knows only up to ${LATEST}`));
  });

  it('embeds papers at ingest, reports coverage, and detects and finishes a model change', () => {
    const dir = tempDir();
    const env = { DATABASE_URL: `sqlite:${join(dir, 'e.db')}`, EMBEDDER: 'static', EMBEDDER_MODEL: writeTinyStaticModel(join(dir, 'a')) };
    const none = paperboy(['embeddings', 'status'], { DATABASE_URL: env.DATABASE_URL });
    assert.equal(none.code, 2);
    assert.match(none.err, /no embedder configured: set EMBEDDER/);
    const ingest = paperboy(['ingest', join(FIXTURES, 'arxiv-sample-7.jsonl')], env);
    assert.equal(ingest.code, 0, ingest.err);
    assert.match(ingest.out, /7 papers embedded with static:tiny:4:/);
    const status = JSON.parse(paperboy(['embeddings', 'status', '--json'], env).out);
    assert.equal(status.vectors, 7);
    assert.equal(status.pending, 0);
    assert.equal(status.reindexNeeded, false);

    const changed = { ...env, EMBEDDER_MODEL: writeTinyStaticModel(join(dir, 'b'), 0.5) };
    const stale = paperboy(['embeddings', 'status'], changed);
    assert.match(stale.out, /pending +7/);
    assert.match(stale.out, /other model +static:tiny:4:\w+: 7 vectors, unused/);
    assert.match(stale.out, /reindex needed/);
    const backfill = paperboy(['embeddings', 'backfill'], changed);
    assert.equal(backfill.code, 0, backfill.err);
    assert.match(backfill.out, /7 papers embedded/);
    const clean = JSON.parse(paperboy(['embeddings', 'status', '--json'], changed).out);
    assert.deepEqual([clean.vectors, clean.pending, clean.reindexNeeded, clean.otherModels], [7, 0, false, {}]);
  });

  it('trains a static model on the store, writes its folder, and serves semantic search with it', () => {
    const dir = tempDir();
    const topics = [
      ['solar panel', 'photovoltaic cells convert sunlight'],
      ['protein folding', 'amino acid chains fold into structures'],
      ['graph network', 'nodes and edges carry messages'],
      ['speech recognition', 'audio waveforms become transcripts'],
    ];
    const lines = Array.from({ length: 240 }, (_, i) => {
      const [t, a] = topics[i % topics.length]!;
      return JSON.stringify({ id: `2606.${String(20000 + i)}`, title: `${t} study ${i}`, abstract: `${a} variant ${i % 9}`, authors: ['A B'], categories: ['cs.LG'], primary_category: 'cs.LG', date: '2026-06-30' });
    });
    const corpus = join(dir, 'corpus.jsonl');
    writeFileSync(corpus, `${lines.join('\n')}\n`);
    const env = { DATABASE_URL: `sqlite:${join(dir, 't.db')}` };
    assert.equal(paperboy(['ingest', corpus], env).code, 0);
    const few = paperboy(['embeddings', 'train', '--out', join(dir, 'm'), '--epochs', 'two'], env);
    assert.equal(few.code, 2);
    assert.match(few.err, /--epochs must be an integer >= 1, got "two"/);
    const many = paperboy(['embeddings', 'train', '--out', join(dir, 'm'), '--threads', '3'], env);
    assert.equal(many.code, 2);
    assert.match(many.err, /--threads must be an integer from 1 to 2, got "3"/);
    const negative = paperboy(['embeddings', 'train', '--out', join(dir, 'm'), '--buckets', '-5'], env);
    assert.equal(negative.code, 2);
    assert.match(negative.err, /--buckets must be an integer from 0 to 1048576, got "-5"/);
    const model = join(dir, 'model');
    const trained = paperboy(['embeddings', 'train', '--out', model, '--epochs', '3', '--dim', '8', '--vocab', '500', '--buckets', '1024', '--threads', '2'], env);
    assert.equal(trained.code, 0, trained.err);
    assert.match(trained.out, /epoch 1: loss [\d.]+, validation R@1 [\d.]+ R@10 [\d.]+ MRR@10 [\d.]+/);
    assert.match(trained.out, /model written to .*model: \d+ words and 1024 hash buckets x 8, validation R@10 [\d.]+ \(untrained [\d.]+\)/);
    const meta = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    assert.equal(meta.format, 'paperboy-static-3');
    assert.equal(meta.hashBuckets, 1024);
    assert.ok(existsSync(join(model, 'query-weights.f32')), 'a weight per word in a query');
    assert.equal(meta.papers, 240);
    assert.ok(meta.validation.recallAt10 >= meta.untrained.recallAt10);
    const status = JSON.parse(paperboy(['embeddings', 'status', '--json'], { ...env, EMBEDDER: 'static', EMBEDDER_MODEL: model }).out);
    assert.match(status.model, /^static:paperboy-\d{4}-\d\d-\d\d:8:/);
    assert.equal(status.pending, 240);
  });
});

describe('paperboy user, mail and digest', () => {
  it('promotes a moderator, previews a digest and sends it to the mail folder, and counts the outbox', async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: `sqlite:${join(dir, 'p.db')}`, MAIL_DIR: join(dir, 'mail') };
    assert.equal(paperboy(['ingest', join(FIXTURES, 'arxiv-sample-7.jsonl')], env).code, 0);
    const missing = paperboy(['user', 'promote', 'nobody@example.org'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no account has the address nobody@example.org/);
    const d = new Database(join(dir, 'p.db'));
    d.prepare("INSERT INTO users (email, handle, display_name, created_at) VALUES ('mod@example.org', 'mod', 'Mod', '2026-07-01')").run();
    d.close();
    const promoted = paperboy(['user', 'promote', 'Mod@Example.org'], env);
    assert.equal(promoted.code, 0, promoted.err);
    assert.match(promoted.out, /mod@example.org \(mod\) is now a moderator/);

    const preview = paperboy(['digest', 'preview', '--to', 'reader@example.org'], env);
    assert.equal(preview.code, 0, preview.err);
    assert.match(preview.out, /no subscription for this address: a daily digest of everything/);
    assert.match(preview.out, /Subject: .*paperboy/);
    assert.match(preview.out, /Unsubscribe: http/);
    assert.match(preview.out, /mailed to reader@example.org \(a file in /);
    const files = readdirSync(join(dir, 'mail')).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    const mail = await simpleParser(readFileSync(join(dir, 'mail', files[0]!)));
    assert.match(mail.subject ?? '', /^\[preview\] \d+ trending papers/);
    assert.match(mail.text ?? '', /Read on the site: http/);
    const status = paperboy(['mail', 'status', '--json'], env);
    assert.deepEqual(JSON.parse(status.out), { sent: 1 });
    const run = paperboy(['digest', 'run'], env);
    assert.match(run.out, /digests: 0 sent, 0 skipped/);
  });
});

describe('paperboy export, import and backup', () => {
  it('copies a database through a gzipped export and an online backup', () => {
    const dir = tempDir();
    const a = { DATABASE_URL: `sqlite:${join(dir, 'a.db')}` };
    const b = { DATABASE_URL: `sqlite:${join(dir, 'b.db')}` };
    assert.equal(paperboy(['ingest', join(FIXTURES, 'arxiv-sample-7.jsonl')], a).code, 0);
    const exp = paperboy(['export', join(dir, 'all.jsonl.gz')], a);
    assert.equal(exp.code, 0, exp.err);
    assert.match(exp.err, /exported \d+ rows to/);
    assert.equal(paperboy(['migrate'], b).code, 0);
    const imp = paperboy(['import', join(dir, 'all.jsonl.gz')], b);
    assert.equal(imp.code, 0, imp.err);
    assert.match(imp.out, /imported \d+ rows: papers 7, paper_authors \d+/);
    const stats = (env: Record<string, string>) => ({ ...JSON.parse(paperboy(['stats', '--json'], env).out), database: undefined });
    assert.deepEqual(stats(b), stats(a));
    const again = paperboy(['import', join(dir, 'all.jsonl.gz')], b);
    assert.equal(again.code, 1);
    assert.match(again.err, /already holds papers: import into an empty database.*nothing was imported/);
    writeFileSync(join(dir, 'bad.jsonl'), '{"format":"paperboy-export","schemaVersion":1}\n');
    assert.match(paperboy(['import', join(dir, 'bad.jsonl')], { DATABASE_URL: `sqlite:${join(dir, 'c.db')}` }).err, /bad\.jsonl:1: exported at schema version 1, this paperboy is at \d+/);
    const backup = paperboy(['backup', join(dir, 'copy.db')], a);
    assert.equal(backup.code, 0, backup.err);
    assert.equal(countPapers(join(dir, 'copy.db')), 7);
  });
});
