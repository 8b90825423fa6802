// Semantic search end to end on a real SQLite store: embedders (static, openai against a local
// endpoint, onnx with a tiny generated model), embedding backfill, the vector index in step with
// the store, hybrid ranking, filters, reindex detection, and the HNSW index saved and reloaded.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { embedPending } from '../src/embed/backfill.ts';
import { createEmbedder } from '../src/embed/create.ts';
import { HIT_END, HIT_START } from '../src/domain/highlight.ts';
import { dot, type Embedder } from '../src/embed/embedder.ts';
import { BUNDLED_MODEL, makeCurrent } from '../src/embed/models.ts';
import { loadStaticEmbedder, saveStaticModel } from '../src/embed/static.ts';
import { createSearch } from '../src/search/search.ts';
import { createSemantic, type Semantic } from '../src/search/semantic.ts';
import type { Store } from '../src/store/store.ts';
import { startServer } from '../src/main.ts';
import { buildApp } from '../src/web/app.ts';
import { ENGINES, freshStore, NOW, paper, TINY_WORDS, tempDir, testConfig, testDeps, writeTinyStaticModel } from './helpers.ts';
import { writeTinyOnnxModel } from './tiny-onnx-model.ts';

const nowIso = () => NOW;
const upsert = (store: Store, ps: ReturnType<typeof paper>[]) => store.transaction((tx) => tx.papers.upsertMany(ps, NOW));
const opts = { annThreshold: 1_000_000, indexFile: undefined, refreshMs: 0 };

const PAPERS = [
  paper({ id: '2606.00001', title: 'Car crash safety', abstract: 'We study car crash safety.', categories: ['physics.soc-ph'] }),
  paper({ id: '2606.00002', title: 'Automobile collision', abstract: 'An automobile collision analysis.', categories: ['cs.RO'] }),
  paper({ id: '2606.00003', title: 'Vehicle accident', abstract: 'Vehicle accident analysis.', categories: ['physics.soc-ph'] }),
  paper({ id: '2606.00004', title: 'Protein folding', abstract: 'Enzyme and protein folding.', categories: ['q-bio.BM'] }),
  paper({ id: '2606.00005', title: 'Graph network', abstract: 'A graph network.', categories: ['cs.LG'] }),
];

describe('embedding backfill', () => {
  let store: Store;
  let embedder: Embedder;
  before(async () => {
    store = await freshStore();
    await upsert(store, PAPERS);
    embedder = loadStaticEmbedder(writeTinyStaticModel(join(tempDir(), 'tiny')));
  });

  it('embeds every paper once, resumes after an interruption, and redoes papers whose text changed', async () => {
    const stop = new AbortController();
    const first = await embedPending(store, embedder, { nowIso, batchSize: 2, signal: stop.signal, onProgress: (done) => done >= 2 && stop.abort() });
    assert.equal(first.embedded, 2);
    assert.equal(await store.embeddings.countPending(embedder.model), 3);
    assert.equal((await embedPending(store, embedder, { nowIso })).embedded, 3);
    assert.equal((await embedPending(store, embedder, { nowIso })).embedded, 0);
    assert.deepEqual(await store.embeddings.models(), new Map([[embedder.model, 5]]));
    await upsert(store, [{ ...PAPERS[4]!, abstract: 'A graph network, revised.' }]);
    assert.equal(await store.embeddings.countPending(embedder.model), 1);
    assert.equal((await embedPending(store, embedder, { nowIso })).embedded, 1);
    assert.deepEqual(await store.embeddings.models(), new Map([[embedder.model, 5]]));
  });
});

describe('hybrid search', () => {
  let store: Store;
  let semantic: Semantic;
  before(async () => {
    store = await freshStore();
    await upsert(store, PAPERS);
    const embedder = loadStaticEmbedder(writeTinyStaticModel(join(tempDir(), 'tiny')));
    await embedPending(store, embedder, { nowIso });
    semantic = createSemantic(store, embedder, opts);
  });
  const search = () => createSearch(store, { now: () => Date.parse(NOW), hybrid: { semantic, weight: 0.3, fusion: 'score', similarWeight: 0.5 } });

  it('tells the word matches among the papers nearest in meaning from the others', async () => {
    // A hundred papers nearer the query in meaning than a paper that has its words among many others:
    // that paper is no candidate by meaning (the nearest 100), though it has a cosine like every match.
    const own = await freshStore();
    const near = Array.from({ length: 100 }, (_, i) => paper({ id: `2606.${String(10000 + i)}`, title: `Automobile collision ${i}`, abstract: 'An automobile collision.' }));
    const exact = paper({ id: '2606.20001', title: 'Car crash', abstract: 'A car crash.' });
    const diluted = paper({ id: '2606.20002', title: 'Car crash among proteins', abstract: `A car crash. ${'Protein enzyme folding. '.repeat(20)}` });
    await upsert(own, [...near, exact, diluted]);
    const embedder = loadStaticEmbedder(writeTinyStaticModel(join(tempDir(), 'tiny')));
    await embedPending(own, embedder, { nowIso });
    const s = createSearch(own, { now: () => Date.parse(NOW), hybrid: { semantic: createSemantic(own, embedder, opts), weight: 0.3, fusion: 'score', similarWeight: 0 } });
    const hits = (await s.papers('car crash', { limit: 10, offset: 0 })).hits;
    const of = (id: string) => hits.find((h) => h.paper.id === id)!;
    assert.deepEqual([of(exact.id).words, of(exact.id).near], [true, true]);
    assert.deepEqual([of(diluted.id).words, of(diluted.id).near], [true, false]);
    assert.ok(of(diluted.id).meaning! < of(exact.id).meaning!, 'it still has its cosine');
    for (const h of hits.filter((x) => !x.words)) assert.equal(h.near, true, 'a match by meaning alone is one of the nearest');
    await own.close();
  });

  it('finds papers that share no word with the query, says why, and ranks word matches first', async () => {
    const r = await search().papers('car crash', { limit: 10, offset: 0 });
    assert.equal(r.hybrid, true);
    assert.equal(r.mode, 'all');
    const ids = r.hits.map((h) => h.paper.id);
    assert.equal(ids[0], '2606.00001');
    assert.ok(ids.indexOf('2606.00002') > 0 && ids.indexOf('2606.00002') < ids.indexOf('2606.00004'));
    const auto = r.hits.find((h) => h.paper.id === '2606.00002')!;
    assert.equal(auto.words, false);
    assert.ok(auto.meaning! > 0.9);
    assert.deepEqual(auto.why.sort(), ['car ~ automobile', 'crash ~ collision']);
    assert.equal(r.hits[0]!.words, true);
  });

  it('marks the words a paper found by meaning does have', async () => {
    const r = await search().papers('vehicle analysis', { limit: 10, offset: 0 });
    assert.equal(r.mode, 'all');
    assert.equal(r.hits[0]!.paper.id, '2606.00003');
    const auto = r.hits.find((h) => h.paper.id === '2606.00002')!;
    assert.equal(auto.words, false);
    assert.equal(auto.snippet, `An automobile collision ${HIT_START}analysis${HIT_END}.`);
    assert.equal(auto.titleHighlighted, 'Automobile collision');
    const car = r.hits.find((h) => h.paper.id === '2606.00001')!;
    assert.equal(car.words, false);
    assert.equal(car.snippet, 'We study car crash safety.');
  });

  it('shows only papers close in meaning when no paper has the words', async () => {
    const r = await search().papers('automobile accident', { limit: 10, offset: 0 });
    assert.equal(r.mode, 'any'); // "automobile" and "accident" each match a paper, none both
    // A word no paper has is left out of the word matches (and reported); meaning still takes part.
    const typo = await search().papers('vehicle acident', { limit: 10, offset: 0 });
    assert.deepEqual([typo.mode, typo.missing], ['all', [['acident']]]);
    assert.equal(typo.hits[0]!.paper.id, '2606.00003');
    assert.equal(typo.hits[0]!.titleHighlighted, `${HIT_START}Vehicle${HIT_END} accident`);
    assert.ok(typo.hits.some((h) => !h.words), 'papers close in meaning too');
    const m = await search().papers('enzyme', { limit: 3, offset: 0 });
    assert.equal(m.hits[0]!.paper.id, '2606.00004');
    assert.equal(m.hits[0]!.words, true);
    const meaningOnly = await search().papers('vehicle crash collision accident automobile car safety', { limit: 10, offset: 0 });
    assert.ok(meaningOnly.hits.length >= 3);
  });

  it('suggests the nearest spelling of a word no paper has, if a paper has it', async () => {
    const typo = await search().papers('Vehicle acident', { limit: 10, offset: 0 });
    assert.equal(typo.suggestion, 'Vehicle accident');
    // A word the model cannot read either: nothing close in meaning is made up, but the spelling is offered.
    const one = await search().papers('protien', { limit: 10, offset: 0 });
    assert.deepEqual([one.mode, one.hits.length, one.missing, one.suggestion], ['all', 0, [['protien']], 'protein']);
    // Asked to correct (as the search page does), it searches the suggestion instead, and says so.
    const fixed = await search().papers('protien', { limit: 10, offset: 0 }, { correct: true });
    assert.deepEqual([fixed.correctedFrom, fixed.query.text, fixed.hits[0]!.paper.id], ['protien', 'protein', '2606.00004']);
    const kept = await search().papers('Vehicle acident', { limit: 10, offset: 0 }, { correct: true });
    assert.deepEqual([kept.correctedFrom, kept.suggestion], [undefined, 'Vehicle accident'], 'something matched as typed: only suggested');
    assert.equal((await search().papers('vehicle accident', { limit: 10, offset: 0 })).suggestion, undefined, 'nothing missing');
    assert.equal((await search().papers('vehicle zqxwv', { limit: 10, offset: 0 })).suggestion, undefined, 'nothing near');
    // A word cut short is read as the start of a known word that a paper has; three letters are too few.
    assert.equal((await search().papers('vehicle acci', { limit: 10, offset: 0 })).suggestion, 'vehicle accident');
    assert.equal((await search().papers('Autom', { limit: 10, offset: 0 }, { correct: true })).correctedFrom, 'Autom');
    assert.equal((await search().papers('vehicle acc', { limit: 10, offset: 0 })).suggestion, undefined);
    // The model knows "automobile", but no paper of this store has it.
    const own = await freshStore();
    await upsert(own, [PAPERS[0]!, PAPERS[2]!]);
    const s = createSearch(own, { now: () => Date.parse(NOW), hybrid: { semantic: createSemantic(own, semantic.embedder, opts), weight: 0.3, fusion: 'score', similarWeight: 0 } });
    assert.equal((await s.papers('automobil acident', { limit: 10, offset: 0 })).suggestion, 'automobil accident');
    await own.close();
  });

  it('completes the word being typed as a known word that some paper has', async () => {
    assert.equal(await search().complete('vehicle acc'), 'vehicle accident');
    assert.equal(await search().complete('Prot'), 'protein');
    assert.equal(await search().complete('car'), undefined, 'complete already');
    assert.equal(await search().complete('vehicle '), undefined, 'no word being typed');
    assert.equal(await search().complete('zebr'), undefined, 'no known word begins so');
    const own = await freshStore();
    await upsert(own, [PAPERS[0]!, PAPERS[2]!]); // no paper has "automobile" or "collision"
    const s = createSearch(own, { now: () => Date.parse(NOW), hybrid: { semantic: createSemantic(own, semantic.embedder, opts), weight: 0.3, fusion: 'score', similarWeight: 0 } });
    assert.equal(await s.complete('auto'), undefined);
    assert.equal(await s.complete('coll'), undefined);
    await own.close();
  });

  it('applies filters and exclusions to matches by meaning exactly as to word matches', async () => {
    const inCat = await search().papers('car crash cat:physics.soc-ph', { limit: 10, offset: 0 });
    assert.deepEqual(inCat.hits.map((h) => h.paper.id).sort(), ['2606.00001', '2606.00003']);
    const without = await search().papers('car crash -automobile', { limit: 10, offset: 0 });
    assert.ok(!without.hits.some((h) => h.paper.id === '2606.00002'));
    assert.ok(without.hits.some((h) => h.paper.id === '2606.00003'));
  });

  it('pages through the fused ranking without repeats', async () => {
    const s = search();
    const p1 = await s.papers('car crash', { limit: 2, offset: 0 });
    const p2 = await s.papers('car crash', { limit: 2, offset: 2 });
    assert.equal(p1.hasMore, true);
    const all = [...p1.hits, ...p2.hits].map((h) => h.paper.id);
    assert.equal(new Set(all).size, all.length);
    assert.deepEqual(all, (await s.papers('car crash', { limit: 4, offset: 0 })).hits.map((h) => h.paper.id));
  });

  it('keeps date and trending order lexical, and weight 0 is lexical search exactly', async () => {
    const byDate = await search().papers('car crash sort:date', { limit: 10, offset: 0 });
    assert.equal(byDate.hybrid, false);
    assert.deepEqual(byDate.hits.map((h) => h.paper.id), ['2606.00001']);
    const zero = createSearch(store, { now: () => Date.parse(NOW), hybrid: { semantic, weight: 0, fusion: 'score', similarWeight: 0 } });
    const lexical = createSearch(store, { now: () => Date.parse(NOW) });
    for (const q of ['car crash', 'analysis', 'protein -enzyme']) {
      const a = (await zero.papers(q, { limit: 10, offset: 0 })).hits.map((h) => h.paper.id);
      assert.deepEqual(a, (await lexical.papers(q, { limit: 10, offset: 0 })).hits.map((h) => h.paper.id));
    }
  });

  it('relates papers by meaning too', async () => {
    const [p] = await store.papers.byIds(['2606.00001']);
    const related = (await search().similar(p!, 3)).map((x) => x.id);
    assert.ok(related.includes('2606.00002') && related.includes('2606.00003'), related.join());
    assert.ok(!related.includes('2606.00001'));
  });

  it('picks up vectors written after it started', async () => {
    await upsert(store, [paper({ id: '2606.00006', title: 'Vehicle safety', abstract: 'Vehicle safety.' })]);
    const embedder = semantic.embedder;
    assert.equal((await embedPending(store, embedder, { nowIso })).embedded, 1);
    const r = await semantic.search('automobile', 10, { authors: [], categories: [], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined });
    assert.ok(r.hits.some((h) => h.id === '2606.00006'));
  });
});

for (const { engine, skip } of ENGINES) {
  describe(`hybrid search: words a paper found by meaning has (${engine})`, { skip }, () => {
    it('ranks a paper close in meaning higher for having some of the words', async () => {
      const store = await freshStore(engine);
      const all = paper({ id: '2606.00011', title: 'Car crash', abstract: 'Car crash analysis.' });
      const some = paper({ id: '2606.00012', title: 'Automobile crash', abstract: 'An automobile crash.' });
      const none = paper({ id: '2606.00013', title: 'Automobile collision', abstract: 'An automobile collision.' });
      await upsert(store, [all, some, none, PAPERS[3]!, PAPERS[4]!]);
      const embedder = loadStaticEmbedder(writeTinyStaticModel(join(tempDir(), 'tiny')));
      await embedPending(store, embedder, { nowIso });
      const semantic = createSemantic(store, embedder, opts);
      const s = createSearch(store, { now: () => Date.parse(NOW), hybrid: { semantic, weight: 0.3, fusion: 'score', similarWeight: 0 } });
      const r = await s.papers('car crash', { limit: 10, offset: 0 });
      assert.equal(r.mode, 'all');
      const hit = (id: string) => r.hits.find((h) => h.paper.id === id)!;
      assert.deepEqual([hit(some.id).words, hit(none.id).words], [false, false], 'neither has every word');
      // "none" is the closer in meaning; "some" has "crash", and that counts.
      assert.ok(hit(none.id).meaning! >= hit(some.id).meaning!);
      assert.deepEqual(r.hits.slice(0, 3).map((h) => h.paper.id), [all.id, some.id, none.id]);
      assert.ok(hit(some.id).score > hit(none.id).score);
      await semantic.close();
      await store.close();
    });
  });

  describe(`did you mean (${engine})`, { skip }, () => {
    it('spells a word no paper has as a word some paper of this store has, and searches it when asked', async () => {
      const store = await freshStore(engine);
      await upsert(store, [PAPERS[0]!, PAPERS[2]!, PAPERS[3]!]); // no "automobile"
      const embedder = loadStaticEmbedder(writeTinyStaticModel(join(tempDir(), 'tiny')));
      await embedPending(store, embedder, { nowIso });
      const semantic = createSemantic(store, embedder, opts);
      const s = createSearch(store, { now: () => Date.parse(NOW), hybrid: { semantic, weight: 0.3, fusion: 'score', similarWeight: 0 } });
      const page = { limit: 10, offset: 0 };
      assert.equal((await s.papers('Vehicle acident', page)).suggestion, 'Vehicle accident');
      assert.equal((await s.papers('automobil crash', page)).suggestion, undefined, 'the model knows "automobile", no paper here has it');
      assert.equal((await s.papers('accident acident', page)).suggestion, undefined, 'the query has "accident" already');
      const fixed = await s.papers('protien', page, { correct: true });
      assert.deepEqual([fixed.correctedFrom, fixed.hits[0]?.paper.id], ['protien', '2606.00004']);
      await semantic.close();
      await store.close();
    });
  });
}

describe('hash buckets in queries', () => {
  it('leaves out a bucket word that no paper has, and keeps one that a paper has', async () => {
    const store = await freshStore();
    await upsert(store, [...PAPERS, paper({ id: '2606.00006', title: 'Zorblax', abstract: 'The zorblax graph.' })]);
    // The tiny model with 8 hash buckets, every one pointing where "graph" does and weighing 5.
    const vocab = Object.keys(TINY_WORDS);
    const vectors = Float32Array.from([...vocab.flatMap((w) => TINY_WORDS[w]!), ...Array.from({ length: 8 }, () => [0, 0, 0, 1]).flat()]);
    const weights = Float32Array.from([...vocab.map(() => 1), ...Array.from({ length: 8 }, () => 5)]);
    const dir = join(tempDir(), 'tiny-buckets');
    saveStaticModel(dir, { vocab, hashBuckets: 8, dimensions: 4, vectors, weights, meta: { name: 'tiny-buckets' } });
    const embedder = loadStaticEmbedder(dir);
    await embedPending(store, embedder, { nowIso });
    const semantic = createSemantic(store, embedder, opts);
    const none = { authors: [], categories: [], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined };
    const [car, carTypo] = await embedder.embed(['car', 'car qwzzv'], 'query');
    assert.ok(dot(car!, carTypo!) < 0.5, 'embedded as is, the unknown word would steer the query');
    const plain = await semantic.search('car', 3, none);
    assert.ok(['2606.00001', '2606.00002', '2606.00003'].includes(plain.hits[0]!.id), 'a paper about cars');
    assert.deepEqual((await semantic.search('car qwzzv', 3, none)).hits, plain.hits, 'a word no paper has changes nothing');
    const alone = await semantic.search('qwzzv', 3, none, ['2606.00001']);
    assert.deepEqual([alone.hits, alone.scores.size], [[], 0], 'with nothing left to read, nothing is close in meaning');
    const known = await semantic.search('car zorblax', 3, none);
    assert.equal(known.hits[0]!.id, '2606.00006', 'a rare word a paper has finds it');
    await semantic.close();
  });
});

describe('model changes', () => {
  it('reports a reindex as needed, never mixes two models, and is clean after the backfill', async () => {
    const store = await freshStore();
    await upsert(store, PAPERS);
    const dir = tempDir();
    const oldModel = loadStaticEmbedder(writeTinyStaticModel(join(dir, 'a')));
    await embedPending(store, oldModel, { nowIso });
    const newModel = loadStaticEmbedder(writeTinyStaticModel(join(dir, 'b'), 0.5));
    assert.notEqual(newModel.model, oldModel.model);
    const semantic = createSemantic(store, newModel, opts);
    const before = await semantic.status();
    assert.equal(before.reindexNeeded, true);
    assert.equal(before.vectors, 0);
    assert.equal(before.pending, 5);
    assert.deepEqual(before.otherModels, new Map([[oldModel.model, 5]]));
    const none = { authors: [], categories: [], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined };
    assert.deepEqual((await semantic.search('car', 5, none)).hits, [], 'vectors of the old model are not used');
    assert.equal(await semantic.embedPending(), 5);
    const after = await semantic.status();
    assert.equal(after.vectors, 5);
    assert.equal(after.pending, 0);
    assert.equal(after.reindexNeeded, false);
    assert.ok((await semantic.search('car', 5, none)).hits.length > 0);
  });
});

describe('switching models while serving', () => {
  it('embeds every paper with the new model beside the old, switches in one step, then drops the old vectors', async () => {
    const store = await freshStore();
    await upsert(store, PAPERS);
    const dir = tempDir();
    const oldModel = loadStaticEmbedder(writeTinyStaticModel(join(dir, 'a')));
    const newModel = loadStaticEmbedder(writeTinyStaticModel(join(dir, 'b'), 0.5));
    await embedPending(store, oldModel, { nowIso });
    const semantic = createSemantic(store, oldModel, opts);
    const none = { authors: [], categories: [], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined };
    const during: { model: string; hits: number; stored: number }[] = [];
    const pending: Promise<unknown>[] = [];
    const r = await semantic.switchTo(newModel, (done) => {
      if (done === 0) return;
      // Mid-switch: the old model still answers, from its own vectors only.
      const model = semantic.embedder.model;
      pending.push(
        Promise.all([semantic.search('automobile', 5, none), store.embeddings.models()]).then(([s, models]) =>
          during.push({ model, hits: s.hits.length, stored: models.get(oldModel.model) ?? 0 }),
        ),
      );
    });
    await Promise.all(pending);
    assert.deepEqual(r, { embedded: 5, retired: 5 });
    assert.ok(during.length > 0);
    for (const d of during) assert.deepEqual(d, { model: oldModel.model, hits: 5, stored: 5 });
    assert.equal(semantic.embedder.model, newModel.model);
    assert.deepEqual(await store.embeddings.models(), new Map([[newModel.model, 5]]));
    const status = await semantic.status();
    assert.equal(status.model, newModel.model);
    assert.equal(status.reindexNeeded, false);
    assert.equal((await semantic.search('automobile', 1, none)).hits[0]!.id, '2606.00002');
    assert.deepEqual(await semantic.switchTo(newModel), { embedded: 0, retired: 0 }, 'switching to the model in use does nothing');
  });
});

describe('HNSW above the threshold', () => {
  it('switches to an HNSW index, saves it, and loads it back with the vectors added since', async () => {
    const store = await freshStore();
    await upsert(store, PAPERS);
    const embedder = loadStaticEmbedder(writeTinyStaticModel(join(tempDir(), 'tiny')));
    await embedPending(store, embedder, { nowIso });
    const indexFile = join(tempDir(), 'vectors.usearch');
    const none = { authors: [], categories: [], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined };
    const a = createSemantic(store, embedder, { annThreshold: 3, indexFile, refreshMs: 0 });
    assert.equal((await a.status()).index, 'hnsw');
    assert.ok(existsSync(indexFile));
    assert.equal((await a.search('automobile', 1, none)).hits[0]!.id, '2606.00002');
    await upsert(store, [paper({ id: '2606.00007', title: 'Enzyme', abstract: 'Enzyme.' })]);
    await embedPending(store, embedder, { nowIso });
    const b = createSemantic(store, embedder, { annThreshold: 3, indexFile, refreshMs: 0 });
    assert.equal((await b.status()).index, 'hnsw');
    const hits = (await b.search('enzyme', 2, none)).hits.map((h) => h.id).sort();
    assert.deepEqual(hits, ['2606.00004', '2606.00007']);
  });
});

describe('openai embedder', () => {
  let server: Server;
  let url = '';
  const seen: { auth: string | undefined; inputs: number }[] = [];
  let failNext = 0;
  /** While set, a request embedding a text with this word waits for `release`, after calling `arrived`. */
  let hold: { word: string; arrived: () => void; release: Promise<void> } | undefined;
  const tiny = loadStaticEmbedder(writeTinyStaticModel(join(tempDir(), 'endpoint-model')));
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        if (req.url !== '/v1/embeddings' || req.method !== 'POST') return res.writeHead(404).end();
        if (req.headers.authorization !== 'Bearer sekrit') return res.writeHead(401).end('{"error":"bad key"}');
        if (failNext > 0) {
          failNext--;
          return res.writeHead(503, { 'retry-after': '0' }).end('busy');
        }
        const { input, model } = JSON.parse(body) as { input: string[]; model: string };
        const h = hold;
        if (h && input.some((t) => t.includes(h.word))) {
          h.arrived();
          await h.release;
        }
        seen.push({ auth: req.headers.authorization, inputs: input.length });
        if (model === 'short') return res.end(JSON.stringify({ data: [] }));
        const vs = await tiny.embed(input, 'document');
        // Reversed order with explicit indexes, as servers may answer.
        const data = vs.map((v, index) => ({ index, embedding: [...v].map((x) => x * 3) })).reverse();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ object: 'list', data, model }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/v1`;
  });
  after(() => {
    server.closeAllConnections(); // fetch keeps connections alive
    return new Promise((r) => server.close(r));
  });
  const config = (over = {}) => ({ kind: 'openai' as const, url, model: 'tiny', apiKey: 'sekrit', dimensions: undefined, batchSize: 2, timeoutMs: 5000, ...over });

  it('embeds in batches, normalises, keeps order by index, and retries a 503', async () => {
    failNext = 1;
    const e = (await createEmbedder(config()))!;
    assert.equal(e.model, 'openai:tiny:4');
    seen.length = 0;
    const [car, auto, protein, graph, enzyme] = await e.embed(['car', 'automobile', 'protein', 'graph', 'enzyme'], 'document');
    assert.deepEqual(seen.map((s) => s.inputs), [2, 2, 1]);
    assert.ok(Math.abs(dot(car!, car!) - 1) < 1e-6);
    assert.ok(dot(car!, auto!) > 0.95);
    assert.ok(dot(protein!, enzyme!) > 0.9 && dot(car!, graph!) < 0.1);
  });

  it('fails with a message naming the endpoint and the problem', async () => {
    await assert.rejects(createEmbedder(config({ apiKey: 'wrong' })), /embeddings endpoint http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings answered HTTP 401: \{"error":"bad key"\}/);
    await assert.rejects(createEmbedder(config({ model: 'short' })), /returned 0 embeddings for 1 texts/);
    await assert.rejects(createEmbedder(config({ url: 'http://127.0.0.1:9/v1', timeoutMs: 200 })), /could not be reached|did not answer/);
  });

  it('a stopping server lets a search whose client left finish before it closes the store', async () => {
    const errors: string[] = [];
    const log = { info() {}, warn() {}, error: (m: string, e?: unknown) => void errors.push(`${m}: ${String(e)}`) };
    const server = await startServer(testConfig({ EMBEDDER: 'openai', EMBEDDER_URL: url, EMBEDDER_MODEL: 'tiny', EMBEDDER_API_KEY: 'sekrit', PORT: '0' }), log);
    await server.deps.store.transaction((tx) => tx.papers.upsertMany([paper({ title: 'Graph coloring heuristics' })], NOW));
    let arrived!: () => void;
    const embedding = new Promise<void>((r) => (arrived = r));
    let release!: () => void;
    hold = { word: 'zebra', arrived, release: new Promise<void>((r) => (release = r)) };
    try {
      // The search waits on the endpoint for its query's vector; its reader hangs up meanwhile.
      const client = request(`${server.url}/search?q=graph+coloring+zebra`);
      client.on('error', () => {});
      client.end();
      await embedding;
      client.destroy();
      let closed = false;
      const closing = server.close().then(() => (closed = true));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(closed, false, 'the store must stay open while the search is under way');
      release();
      await closing;
      assert.deepEqual(errors, []);
    } finally {
      hold = undefined;
      release();
    }
  });
});

describe('onnx embedder', () => {
  it('runs a sentence-embedding model folder through @huggingface/transformers, offline', async () => {
    const dir = join(tempDir(), 'tiny-onnx');
    writeTinyOnnxModel(dir, TINY_WORDS);
    const e = (await createEmbedder({ kind: 'onnx', path: dir, queryPrefix: '', documentPrefix: '' }))!;
    assert.match(e.model, /^onnx:tiny-onnx:4:[0-9a-f]{10}$/);
    const [a, b, c] = await e.embed(['car crash', 'automobile collision', 'protein folding'], 'document');
    assert.ok(Math.abs(dot(a!, a!) - 1) < 1e-5);
    assert.ok(dot(a!, b!) > 0.95, `${dot(a!, b!)}`);
    assert.ok(dot(a!, c!) < 0.2);
  });

  it('says what a model folder lacks', async () => {
    await assert.rejects(createEmbedder({ kind: 'onnx', path: tempDir(), queryPrefix: '', documentPrefix: '' }), /config\.json is missing/);
  });
});

describe('semantic search on the site', () => {
  it('suggests spellings without an embedder too, from the bundled model\'s words', async () => {
    const deps = await testDeps({ EMBEDDER: 'none', PAGE_CACHE_SECONDS: '0' });
    assert.equal(deps.search.semantic, undefined);
    await upsert(deps.store, PAPERS);
    const app = await buildApp(deps);
    const fixed = await app.inject({ url: '/search?q=protien' });
    assert.match(fixed.body, /No paper matches “protien”: showing results for <q>protein<\/q>\./);
    assert.match(fixed.body, /href="\/papers\/2606\.00004"/);
    const api = await app.inject({ url: `/api/papers/search?q=${encodeURIComponent('Vehicel analysis')}` });
    assert.equal(api.headers['x-did-you-mean'], 'vehicle%20analysis');
    // As the reader types: the word being typed completed from the same words, and its papers.
    const typing = await app.inject({ url: '/search/suggestions?q=vehicle+analy' });
    assert.match(typing.body, /^<li role="option" aria-selected="false" class="completion"><a href="\/search\?q=vehicle%20analysis" tabindex="-1">Search <q>vehicle analysis<\/q><\/a><\/li><li [^>]*><a href="\/papers\/2606\.00003"/);
    const misspelt = await app.inject({ url: '/search/suggestions?q=protien' });
    assert.match(misspelt.body, /^<li [^>]*class="did-you-mean"><a href="\/search\?q=protein" tabindex="-1">Did you mean: protein<\/a><\/li><li [^>]*><a href="\/papers\/2606\.00004"/);
    await app.close();
  });

  it('shows why each result matched, on the page and in the API', async () => {
    const model = writeTinyStaticModel(join(tempDir(), 'tiny'));
    const deps = await testDeps({ EMBEDDER: 'static', EMBEDDER_MODEL: model, PAGE_CACHE_SECONDS: '0' });
    await upsert(deps.store, PAPERS);
    assert.equal(await deps.search.semantic!.embedPending(), 5);
    const app = await buildApp(deps);
    const page = await app.inject({ url: '/search?q=car+crash' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Matched your words/);
    assert.match(page.body, /Close in meaning \(similarity 0\.\d\d\): <q>car ~ automobile<\/q>, <q>crash ~ collision<\/q>/);
    const api = await app.inject({ url: '/api/papers/search?q=car+crash&limit=3' });
    const items = api.json() as { paper: { id: string }; match: { words: boolean; meaning?: number; near: boolean; why: string[] } }[];
    assert.equal(items[0]!.paper.id, '2606.00001');
    assert.equal(items[0]!.match.words, true);
    const auto = items.find((i) => i.paper.id === '2606.00002')!;
    assert.equal(auto.match.words, false);
    assert.equal(auto.match.near, true, 'found by meaning: one of the nearest');
    assert.deepEqual(auto.match.why.sort(), ['car ~ automobile', 'crash ~ collision']);
    const typo = await app.inject({ url: `/search?q=${encodeURIComponent('Vehicel analysis')}` });
    assert.match(typo.body, /Did you mean <a href="\/search\?q=vehicle%20analysis">vehicle analysis<\/a>\?/);
    const typoApi = await app.inject({ url: `/api/papers/search?q=${encodeURIComponent('Vehicel analysis')}` });
    assert.equal(typoApi.headers['x-did-you-mean'], 'vehicle%20analysis');
    assert.equal(api.headers['x-did-you-mean'], undefined, 'every word is in some paper');
    const fixed = await app.inject({ url: '/search?q=protien' });
    assert.match(fixed.body, /No paper matches “protien”: showing results for <q>protein<\/q>\./);
    assert.match(fixed.body, /href="\/papers\/2606\.00004"/);
    assert.match(fixed.body, /<input id="q" type="search" name="q" value="protein"/);
    const asIs = await app.inject({ url: '/api/papers/search?q=protien' });
    assert.deepEqual([asIs.json(), asIs.headers['x-did-you-mean']], [[], 'protein'], 'the API searches as asked');
    await app.close();
  });

  it('refuses to start with a broken embedder configuration, saying what is wrong', async () => {
    await assert.rejects(testDeps({ EMBEDDER: 'static', EMBEDDER_MODEL: tempDir() }), /vocab\.txt is missing/);
    assert.throws(() => testConfig({ EMBEDDER: 'onnx' }), /EMBEDDER_MODEL: EMBEDDER=onnx needs the model folder/);
    assert.throws(() => testConfig({ RETRAIN_CRON: 'weekly' }), /RETRAIN_CRON: expected a cron expression like "0 4 \* \* 0" or off, got "weekly"/);
    assert.throws(() => testConfig({ EMBEDDER: 'bert' }), /EMBEDDER: expected none, static, openai or onnx, got "bert"/);
    assert.throws(() => testConfig({ SEMANTIC_WEIGHT: '2' }), /SEMANTIC_WEIGHT: expected a number from 0 to 1, got "2"/);
  });
});

describe('the bundled model', () => {
  it('gives a default site semantic search and related papers out of the box', async () => {
    const deps = await testDeps({ EMBEDDER: '', PAGE_CACHE_SECONDS: '0' });
    const semantic = deps.search.semantic!;
    assert.match(semantic.embedder.model, /^static:paperboy-arxiv:100:/);
    await upsert(deps.store, [
      paper({ id: '2606.00101', title: 'Autonomous vehicle collision avoidance', abstract: 'Self-driving cars must avoid crashes with pedestrians and other traffic.' }),
      paper({ id: '2606.00102', title: 'Protein structure prediction', abstract: 'We predict the folded structure of amino acid chains.' }),
      paper({ id: '2606.00103', title: 'Large language model reasoning', abstract: 'Chain-of-thought prompting improves multi-step reasoning of LLMs.' }),
    ]);
    assert.equal(await semantic.embedPending(), 3);
    const r = await deps.search.papers('driverless automobile accidents', { limit: 3, offset: 0 });
    assert.equal(r.hybrid, true);
    assert.equal(r.hits[0]!.paper.id, '2606.00101');
    assert.equal(r.hits[0]!.words, false, 'found by meaning: the paper has none of the words');
    const [llm] = await deps.store.papers.byIds(['2606.00103']);
    const near = await semantic.neighbours(llm!.id, 2);
    assert.equal(near.length, 2);
    await semantic.close();
  });
});

describe('semantic search configuration', () => {
  it('uses the bundled model by default, and a retrained one once the retrain job accepted it', () => {
    const db = join(tempDir(), 'site.db');
    const env = { DATABASE_URL: `sqlite:${db}`, EMBEDDER: '' };
    const c = testConfig(env);
    assert.deepEqual(c.embedder, { kind: 'static', path: BUNDLED_MODEL, managed: true });
    assert.equal(c.modelsDir, `${db}.models`);
    assert.equal(c.retrainCron, '0 4 * * 0');
    const trained = writeTinyStaticModel(join(`${db}.models`, 'model-20261201T040000'));
    makeCurrent(`${db}.models`, trained);
    assert.deepEqual(testConfig(env).embedder, { kind: 'static', path: trained, managed: true });
    const own = writeTinyStaticModel(join(tempDir(), 'own'));
    assert.deepEqual(testConfig({ ...env, EMBEDDER_MODEL: own }).embedder, { kind: 'static', path: own, managed: false });
    assert.equal(testConfig({ DATABASE_URL: 'sqlite::memory:' }).modelsDir, undefined);
    assert.equal(testConfig({ ...env, RETRAIN_CRON: 'off' }).retrainCron, undefined);
  });

  it('keeps the HNSW index beside the database unless told otherwise, and never for an in-memory one', () => {
    const db = join(tempDir(), 'site.db');
    assert.equal(testConfig({ DATABASE_URL: `sqlite:${db}` }).vectorIndexFile, `${db}.vectors.usearch`);
    assert.equal(testConfig({ DATABASE_URL: `sqlite:${db}`, VECTOR_INDEX_FILE: 'none' }).vectorIndexFile, undefined);
    assert.equal(testConfig({ DATABASE_URL: 'sqlite::memory:' }).vectorIndexFile, undefined);
  });

  it('reads an openai embedder from the environment and checks its numbers and URL', () => {
    const c = testConfig({ EMBEDDER: 'openai', EMBEDDER_MODEL: 'bge-small', EMBEDDER_URL: 'http://10.0.0.5:8080/v1/', EMBEDDER_BATCH: '16' });
    assert.deepEqual(c.embedder, {
      kind: 'openai', url: 'http://10.0.0.5:8080/v1', model: 'bge-small', apiKey: undefined, dimensions: undefined, batchSize: 16, timeoutMs: 30000,
    });
    assert.throws(() => testConfig({ EMBEDDER: 'openai', EMBEDDER_MODEL: 'm', EMBEDDER_URL: 'not a url' }), /EMBEDDER_URL: not an absolute URL/);
    assert.throws(() => testConfig({ EMBEDDER: 'openai', EMBEDDER_MODEL: 'm', EMBEDDER_BATCH: '0' }), /EMBEDDER_BATCH: expected a number from 1 to 10000, got "0"/);
    assert.throws(() => testConfig({ FUSION: 'max' }), /FUSION: expected score or rrf, got "max"/);
  });
});
