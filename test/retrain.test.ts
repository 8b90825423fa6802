// The retrain job on a real SQLite store: it trains in a child process (`paperboy embeddings train`),
// scores the new model and the one in use on the same held-out papers, switches semantic search to
// the new one only when it is at least as good, and records the switch so a restart keeps it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { atLeastAsGood } from '../src/embed/compare.ts';
import { makeCurrent, managedModel } from '../src/embed/models.ts';
import { retrainEmbeddings } from '../src/jobs/retrain.ts';
import { paper, tempDir, testConfig, testDeps, writeTinyStaticModel } from './helpers.ts';

// 50 topics, 10 papers each; a title's words never appear in any abstract: only training links them.
const PAPERS = Array.from({ length: 500 }, (_, i) => {
  const k = i % 50;
  return paper({ title: `t${k}a t${k}b study`, abstract: `d${k}a d${k}b d${k}c results of case ${i % 7}` });
});
const none = { authors: [], categories: [], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined };

describe('retraining the embedding model', () => {
  it('switches to a model trained on the site\'s papers when it beats the one in use, and keeps it after a restart', async () => {
    const db = join(tempDir(), 'site.db');
    const modelsDir = `${db}.models`;
    // The model in use: a tiny one that knows none of these words.
    makeCurrent(modelsDir, writeTinyStaticModel(join(modelsDir, 'model-20260101T000000')));
    const env = { DATABASE_URL: `sqlite:${db}`, EMBEDDER: 'static', RETRAIN_MIN_PAPERS: '100' };
    const deps = await testDeps(env);
    await deps.store.transaction((tx) => tx.papers.upsertMany(PAPERS, '2026-06-15T00:00:00Z'));
    const semantic = deps.search.semantic!;
    await semantic.embedPending();
    const before = semantic.embedder.model;

    const r = await retrainEmbeddings(deps);
    assert.equal(r.outcome, 'switched', JSON.stringify(r));
    if (r.outcome !== 'switched') return;
    assert.ok(r.trained.recallAt10 > r.current.recallAt10 + 0.3, JSON.stringify(r));
    assert.equal(r.embedded, 500);
    assert.notEqual(r.model, before);
    assert.equal(semantic.embedder.model, r.model);
    assert.deepEqual(await deps.store.embeddings.models(), new Map([[r.model, 500]]), 'only the new model\'s vectors are left');
    const hits = (await semantic.search('t7a t7b', 10, none)).hits;
    const ids = new Set(PAPERS.filter((_, i) => i % 50 === 7).map((p) => p.id));
    assert.ok(hits.filter((h) => ids.has(h.id)).length >= 9, 'a title finds its topic\'s abstracts');
    const folder = managedModel(modelsDir);
    assert.match(folder, /model-\d{8}T\d{6}(-\d+)?$/);
    assert.ok(!existsSync(join(modelsDir, 'model-20260101T000000')), 'the superseded model is removed');
    const meta = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { papers: number; comparison: { atLeastAsGood: boolean } };
    assert.equal(meta.papers, 500);
    assert.equal(meta.comparison.atLeastAsGood, true);
    assert.deepEqual(testConfig(env).embedder, { kind: 'static', path: folder, managed: true }, 'a restart serves the new model');

    // Retrained with a vocabulary too small for the topics, the new model is worse: the job keeps the one in use.
    const worse = await retrainEmbeddings(deps, ['--vocab', '100', '--epochs', '1']);
    assert.equal(worse.outcome, 'kept', JSON.stringify(worse));
    assert.equal(semantic.embedder.model, r.model);
    assert.equal(managedModel(modelsDir), folder);
    await semantic.close();
  });

  it('leaves small corpora and models chosen by the operator alone', async () => {
    const small = await testDeps({ EMBEDDER: 'static', RETRAIN_MIN_PAPERS: '100' });
    assert.deepEqual(await retrainEmbeddings(small), { outcome: 'skipped', why: '0 papers, fewer than RETRAIN_MIN_PAPERS=100' });
    await small.search.semantic?.close();
    const own = await testDeps({ EMBEDDER: 'static', EMBEDDER_MODEL: writeTinyStaticModel(join(tempDir(), 'own')) });
    assert.equal((await retrainEmbeddings(own)).outcome, 'skipped');
    await own.search.semantic?.close();
    assert.equal((await retrainEmbeddings(await testDeps())).outcome, 'skipped');
  });

  it('asks a new model to match the one in use on both recall and rank', () => {
    const s = (recallAt10: number, mrrAt10: number) => ({ recallAt1: 0, recallAt10, mrrAt10 });
    assert.equal(atLeastAsGood(s(0.8, 0.6), s(0.8, 0.6)), true);
    assert.equal(atLeastAsGood(s(0.81, 0.59), s(0.8, 0.6)), false);
    assert.equal(atLeastAsGood(s(0.79, 0.7), s(0.8, 0.6)), false);
  });
});
