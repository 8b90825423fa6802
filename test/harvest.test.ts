// Harvesting against a local server that replays recorded arXiv responses: politeness, Retry-After,
// resumptionToken chains, truncated bodies, resuming after a failure. No test touches the internet.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { retryAfterMs } from '../src/domain/retry.ts';
import { createFetcher, type FetchPolicy } from '../src/ingest/fetch.ts';
import { harvest, harvestKey, type HarvestParams } from '../src/ingest/harvest.ts';
import { harvestDaily } from '../src/jobs/harvest-daily.ts';
import { runScheduled, startScheduler } from '../src/jobs/scheduler.ts';
import { FIXTURES, freshStore, NOW, tempDir, testDeps } from './helpers.ts';
import { startReplay } from './replay-server.ts';

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const policy = (over: Partial<FetchPolicy> = {}): FetchPolicy => ({
  minIntervalMs: 50, retries: 3, backoffMs: 20, maxBackoffMs: 100, maxRetryAfterMs: 5000, timeoutMs: 5000, userAgent: 'paperboy-test', ...over,
});
const oai: HarvestParams = { source: 'arxiv-oai', from: '2026-05-29', until: '2026-06-02', set: 'cs', categories: [] };
const now = () => new Date(NOW);

describe('harvest over OAI-PMH', () => {
  it('follows the resumptionToken chain, honours Retry-After, refetches a truncated page', async () => {
    const page2 = fixture('oai-arxiv-page2.xml');
    const replay = await startReplay([
      {
        match: (u) => u.searchParams.get('metadataPrefix') === 'arXivRaw' && u.searchParams.get('set') === 'cs',
        replies: [{ status: 503, headers: { 'retry-after': '1' }, body: 'busy' }, { body: fixture('oai-arxiv-page1.xml') }],
      },
      {
        match: (u) => u.searchParams.get('resumptionToken') === '7314452|1001',
        replies: [{ body: page2, truncateAt: Math.floor(page2.length / 2) }, { body: page2 }],
      },
    ]);
    try {
      const store = await freshStore();
      const fetcher = createFetcher(policy());
      const r = await harvest(store, fetcher, { oaiUrl: `${replay.url}/oai2`, apiUrl: '', apiPageSize: 100 }, oai, { now });
      assert.equal(r.pages, 2);
      assert.equal(r.added, 3);
      const urls = replay.requests.map((q) => q.url.searchParams.get('resumptionToken') ?? 'first');
      assert.deepEqual(urls, ['first', 'first', '7314452|1001', '7314452|1001']);
      const [busy, after] = replay.requests;
      assert.ok(after!.at - busy!.at >= 950, `waited ${after!.at - busy!.at} ms after Retry-After: 1`);
      for (let i = 1; i < replay.requests.length; i++) {
        assert.ok(replay.requests[i]!.at - replay.requests[i - 1]!.at >= 45, 'at least minIntervalMs between requests');
      }
      const run = await store.harvests.get(r.key);
      assert.equal(run?.status, 'done');
      assert.equal(run?.cursor, undefined);
      assert.equal((await harvest(store, fetcher, { oaiUrl: `${replay.url}/oai2`, apiUrl: '', apiPageSize: 100 }, oai, { now })).alreadyDone, true);
    } finally {
      await replay.close();
    }
  });

  it('keeps its checkpoint when the server fails and resumes from it, not from the start', async () => {
    let healthy = false;
    const page2 = fixture('oai-arxiv-page2.xml');
    const replay = await startReplay([
      { match: (u) => u.searchParams.has('metadataPrefix'), replies: [{ body: fixture('oai-arxiv-page1.xml') }] },
      {
        match: (u) => u.searchParams.has('resumptionToken') && !healthy,
        replies: [{ status: 500, body: 'internal error' }],
      },
      { match: (u) => u.searchParams.has('resumptionToken'), replies: [{ body: page2 }] },
    ]);
    try {
      const store = await freshStore();
      const ep = { oaiUrl: `${replay.url}/oai2`, apiUrl: '', apiPageSize: 100 };
      await assert.rejects(harvest(store, createFetcher(policy({ retries: 1 })), ep, oai, { now }), /gave up after 2 attempts \(last: HTTP 500\)/);
      const checkpoint = await store.harvests.get(harvestKey(oai));
      assert.equal(checkpoint?.status, 'failed');
      assert.equal(checkpoint?.cursor, '7314452|1001');
      assert.equal((await store.papers.stats()).papers, 2, 'the first page is kept');

      healthy = true;
      const before = replay.requests.length;
      const r = await harvest(store, createFetcher(policy()), ep, oai, { now });
      assert.equal(r.resumed, true);
      assert.deepEqual(replay.requests.slice(before).map((q) => q.url.searchParams.has('resumptionToken')), [true]);
      assert.equal((await store.papers.stats()).papers, 3);
    } finally {
      await replay.close();
    }
  });
});

describe('harvest over the arXiv API', () => {
  it('queries the categories and date window, pages by start, and waits between calls', async () => {
    const empty = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>\n';
    const replay = await startReplay([
      { match: (u) => u.searchParams.get('start') === '0', replies: [{ body: fixture('arxiv-api-query.atom.xml') }] },
      { match: (u) => u.searchParams.get('start') === '3', replies: [{ body: empty }] },
    ]);
    try {
      const store = await freshStore();
      const r = await harvest(
        store,
        createFetcher(policy({ minIntervalMs: 300 })),
        { oaiUrl: '', apiUrl: `${replay.url}/api/query`, apiPageSize: 3 },
        { source: 'arxiv-api', from: '2026-06-01', until: '2026-06-01', set: undefined, categories: ['cs.CV', 'cs.CE'] },
        { now },
      );
      assert.equal(r.pages, 2);
      assert.equal(r.added, 2, 'only papers in the categories asked for');
      const q = replay.requests[0]!.url.searchParams;
      assert.equal(q.get('search_query'), '(cat:cs.CV OR cat:cs.CE) AND submittedDate:[202606010000 TO 202606012359]');
      assert.equal(q.get('max_results'), '3');
      assert.ok(replay.requests[1]!.at - replay.requests[0]!.at >= 290, 'the API interval is kept');
    } finally {
      await replay.close();
    }
  });

  it('parses Retry-After as seconds or a date', () => {
    assert.equal(retryAfterMs('5', 0), 5000);
    assert.equal(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 0), 10_000);
    assert.equal(retryAfterMs('soon', 0), undefined);
  });
});

describe('paperboy harvest', () => {
  it('harvests from the configured endpoint and says when a finished harvest is asked again', async () => {
    const page = fixture('oai-arxivraw.xml');
    const db = join(tempDir(), 'h.db');
    // Asynchronously: the replay server runs in this process and must keep answering.
    const run = (replayUrl: string) =>
      promisify(execFile)(process.execPath, [join(import.meta.dirname, '..', 'bin', 'paperboy.js'), 'harvest', '--from', '2026-06-01', '--set', 'cs'], {
        env: { PATH: process.env.PATH, DATABASE_URL: `sqlite:${db}`, ARXIV_OAI_URL: `${replayUrl}/oai2`, ARXIV_DELAY_MS: '10', LOG_LEVEL: 'warn' },
        encoding: 'utf8',
        timeout: 60_000,
      });
    return startReplay([{ match: () => true, replies: [{ body: page }] }]).then(async (replay) => {
      try {
        const first = await run(replay.url);
        assert.match(first.stdout, /harvest: 1 pages, 1 records: 1 added/);
        const again = await run(replay.url);
        assert.match(again.stdout, /already finished; --force runs it again/);
      } finally {
        await replay.close();
      }
    });
  });
});

describe('scheduled jobs', () => {
  it('the daily harvest fetches the configured categories since the last finished harvest', async () => {
    const replay = await startReplay([{ match: () => true, replies: [{ body: fixture('oai-arxivraw.xml') }] }]);
    try {
      const deps = await testDeps({ ARXIV_OAI_URL: `${replay.url}/oai2`, ARXIV_DELAY_MS: '0', HARVEST_CATEGORIES: 'cs.CV' }, '2026-06-21T03:00:00Z');
      const first = await harvestDaily(deps);
      assert.equal(first?.added, 1);
      const q = replay.requests[0]!.url.searchParams;
      assert.deepEqual([q.get('from'), q.get('until'), q.get('set'), q.get('metadataPrefix')], ['2026-06-19', '2026-06-21', 'cs', 'arXivRaw']);
      await harvestDaily(deps);
      const q2 = replay.requests[1]!.url.searchParams;
      assert.equal(q2.get('from'), '2026-06-19', 'same day: the window is the same, so nothing is skipped');
    } finally {
      await replay.close();
    }
  });

  it('runs enabled jobs on their schedule, never overlapping, and stops', async () => {
    const deps = await testDeps();
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const scheduler = startScheduler(deps, [
      {
        name: 'tick',
        cron: () => '* * * * * *', // every second
        enabled: () => true,
        run: async () => {
          runs++;
          maxConcurrent = Math.max(maxConcurrent, ++concurrent);
          await new Promise((r) => setTimeout(r, 1500)); // longer than the interval
          concurrent--;
        },
      },
      { name: 'off', cron: () => '* * * * * *', enabled: () => false, run: async () => assert.fail('disabled job ran') },
    ]);
    assert.deepEqual(scheduler.jobs, ['tick']);
    await new Promise((r) => setTimeout(r, 3200)); // the second run started at 2-3 s and lasts 1.5 s
    assert.equal(concurrent, 1);
    assert.equal(await scheduler.stop(), true);
    assert.equal(concurrent, 0, 'stop() resolves once the run under way has ended');
    assert.ok(runs >= 1 && runs <= 2, `ran ${runs} times`);
    assert.equal(maxConcurrent, 1);
  });

  it('stops waiting for a run under way after the time it is given', async () => {
    const deps = await testDeps();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    const scheduler = startScheduler(deps, [
      { name: 'slow', cron: () => '* * * * * *', enabled: () => true, quiet: true, run: async () => { started(); await finished; } },
    ]);
    await running;
    const t = Date.now();
    assert.equal(await scheduler.stop(100), false);
    assert.ok(Date.now() - t < 1000);
    finish();
  });

  it('runs each scheduled run once per database, records it, and forgets claims older than a week', async () => {
    let runs = 0;
    const job = { name: 'count', cron: () => '* * * * *', enabled: () => true, run: async () => void runs++, quiet: true };
    const failing = { ...job, name: 'broken', run: async () => Promise.reject(new Error('no route to host')) };
    // Two sites in one process: each store keeps its own claims and prunes on its own schedule.
    for (const deps of [await testDeps(), await testDeps()]) {
      await deps.store.jobs.claim('count', '2026-06-20T12:00:00', 'old-node', '2026-06-20T12:00:00Z');
      await deps.store.jobs.claim('count', '2026-06-30T12:00:00', 'old-node', '2026-06-30T12:00:00Z');
      const at = new Date(NOW);
      assert.equal(await runScheduled(deps, job, at), true);
      assert.equal(await runScheduled(deps, job, at), false, 'the same scheduled run is claimed already');
      await runScheduled(deps, failing, at);
      const kept = await deps.store.jobs.recent('count', 10);
      assert.deepEqual(kept.map((r) => r.scheduledFor), ['2026-07-02T12:00:00', '2026-06-30T12:00:00'], 'the 12-day-old claim is gone');
      assert.ok(kept[0]!.finishedAt !== undefined && kept[0]!.error === undefined);
      assert.equal((await deps.store.jobs.recent('broken', 1))[0]!.error, 'no route to host');
    }
    assert.equal(runs, 2);
  });
});
