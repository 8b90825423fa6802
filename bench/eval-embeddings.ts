// npm run eval:embeddings [-- --epochs N --test N --related N --vocab N --reuse]
// The trained static embedding model, measured (issue 8). On the arxiv-sample:
//   1. A test slice (--test papers, seeded) is set aside; the model is trained on the rest exactly as
//      `paperboy embeddings train` trains (its own validation slice inside, for early stopping), timed,
//      with peak memory. It is saved as int8 and read back: every figure below is of the saved model.
//   2. Title -> abstract retrieval among all 74,728 abstracts, Recall@1/10 and MRR@10, for BM25 (SQLite
//      FTS5 over the abstracts, the title's words OR'd as the site's query parser reads them, without
//      stop words), the model alone, and the hybrid (the site's fusion, given
//      the cosine of every BM25 candidate as site search computes it).
//      The hybrid's weight is chosen on the validation slice, then reported on the test slice. The
//      same with the words taken in the site's order (src/search/words.ts: every word first) and the
//      papers found by meaning scored on the words they have, as site search takes them, and on
//      test queries whose title shares no word stem (stop words aside) with their abstract.
//   3. Vocabulary pruning: the same test figures for the model cut to its most frequent N words.
//   4. Related papers: success@10 on "shares an author" (a related paper has an author of the paper),
//      lexical, by meaning and blended, the blend chosen on validation papers, reported on test ones.
//   5. SciFact (out of domain): nDCG@10 of the site's lexical search and of the hybrid.
// Prints; asserts nothing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { embedPending } from '../src/embed/backfill.ts';
import { exactTopK } from '../src/embed/scan.ts';
import type { Embedder } from '../src/embed/embedder.ts';
import { baseVectors, keepWords, loadStaticEmbedder, type ModelRows, readStaticModel, saveStaticModel } from '../src/embed/static.ts';
import { rng, type TrainedModel, TRAIN_DEFAULTS, train } from '../src/embed/train.ts';
import { fuse, type Scored } from '../src/search/fusion.ts';
import { joinedCompounds } from '../src/domain/compounds.ts';
import { parseQuery } from '../src/search/query.ts';
import { createSearch } from '../src/search/search.ts';
import { type WordIndex, type WordMode, wordsFirst } from '../src/search/words.ts';
import { createSemantic } from '../src/search/semantic.ts';
import { openStore } from '../src/store/store.ts';
import { OPTIONS } from '../src/config.ts';
import { matchExpression, TOKENIZER } from '../src/store/dialect/sqlite.ts';
import { loadBeir, SCIFACT_PATHS, scoreRun, siteRun } from './beir.ts';
import { loadSample, samplePapers } from './corpus.ts';

const GLOVE = join(import.meta.dirname, '..', '..', 'shared', 'models', 'glove-100d-wink-int8');
const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: String(TRAIN_DEFAULTS.epochs) },
    vocab: { type: 'string', default: String(TRAIN_DEFAULTS.vocabSize) },
    test: { type: 'string', default: '4000' },
    related: { type: 'string', default: '1000' },
    prune: { type: 'string', default: '20000,30000,50000' },
    reuse: { type: 'boolean', default: false },
  },
});
const TOP = 100;
const WEIGHTS = Array.from({ length: 21 }, (_, i) => i / 20);
const STOP = new Set(
  'a an and are as at be by for from has have in into is it its of on or our that the their this to using via we with without new towards toward based how what when which why can do does not vs versus'.split(' '),
);
const fmt = (x: number) => x.toFixed(4);
const dir = mkdtempSync(join(tmpdir(), 'paperboy-eval-embeddings-'));

// ---- corpus and split
const recs = samplePapers();
const random = rng(7);
const order = recs.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
const testIdx = order.slice(0, Number(values.test));
const trainIdx = order.slice(Number(values.test)).sort((a, b) => a - b);
console.log(`${recs.length} papers: ${testIdx.length} set aside for testing, ${trainIdx.length} to train on (of which ${TRAIN_DEFAULTS.validationSize} held out for validation)`);

// ---- 1. training (or --reuse: the model a previous run trained on this very split, kept in .tmp/)
const KEPT = join(import.meta.dirname, '..', '.tmp', 'eval-embeddings');
const settings = { ...TRAIN_DEFAULTS, epochs: Number(values.epochs), vocabSize: Number(values.vocab) };
const splitKey = `seed 7, test ${values.test}, ${JSON.stringify(settings)}`;
type Kept = ModelRows & { heldOut: number[] };
let model: Kept;
const keptMeta = join(KEPT, 'trained', 'model.json');
if (values.reuse && existsSync(keptMeta) && JSON.parse(readFileSync(keptMeta, 'utf8')).split === splitKey) {
  const m = readStaticModel(join(KEPT, 'trained'));
  const meta = JSON.parse(readFileSync(keptMeta, 'utf8')) as { heldOut: number[]; report: string };
  const vectors = new Float32Array(m.vectors.length);
  for (let i = 0; i < vectors.length; i++) vectors[i] = m.vectors[i]! * m.scales[Math.floor(i / m.dimensions)]!;
  const queryWeights = m.queryWeights !== m.weights ? { queryWeights: m.queryWeights } : {};
  model = { vocab: m.vocab, hashBuckets: m.hashBuckets, dimensions: m.dimensions, vectors, weights: m.weights, ...queryWeights, heldOut: meta.heldOut };
  console.log(`reusing the model trained on this split: ${meta.report}`);
} else {
  const started = performance.now();
  const trained: TrainedModel = train(
    trainIdx.map((i) => recs[i]!),
    settings,
    baseVectors(readStaticModel(GLOVE)),
    (r) => console.log(`  epoch ${r.epoch}: loss ${fmt(r.loss)}, validation R@10 ${fmt(r.validation.recallAt10)} MRR@10 ${fmt(r.validation.mrrAt10)} (${r.seconds.toFixed(0)} s)`),
  );
  const trainSeconds = (performance.now() - started) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const report =
    `trained in ${trainSeconds.toFixed(0)} s (${settings.threads} thread${settings.threads > 1 ? 's' : ''}), peak RSS ${peakMb.toFixed(0)} MB; ${trained.vocab.length} words x ${trained.dimensions}, ` +
    `${trained.epochs.length} epochs; validation R@10 ${fmt(trained.initial.recallAt10)} (GloVe start) -> ${fmt(trained.validation.recallAt10)}`;
  console.log(report);
  model = trained;
  saveStaticModel(join(KEPT, 'trained'), { ...trained, meta: { name: 'trained', split: splitKey, heldOut: trained.heldOut, report } });
}
const validIdx = model.heldOut.map((i) => trainIdx[i]!);
const save = (name: string, rows: number) => {
  const out = join(dir, name);
  saveStaticModel(out, { ...keepWords(model, rows), meta: { name } });
  return out;
};
const sizeMb = (folder: string) => readdirSync(folder).reduce((n, f) => n + statSync(join(folder, f)).size, 0) / 1e6;
const fullDir = save('trained', model.vocab.length);

// ---- 2. title -> abstract retrieval
type Ranked = Scored[];
/** Query texts by paper index: titles of validation and test papers. */
const titles = new Map([...validIdx, ...testIdx].map((q) => [q, recs[q]!.title]));

const fts = new Database(':memory:');
// Indexed as the site indexes an abstract: its words, and the joined form of its hyphenated ones.
fts.exec(`CREATE VIRTUAL TABLE docs USING fts5(abstract, compounds, tokenize='${TOKENIZER}')`);
const put = fts.prepare('INSERT INTO docs(rowid, abstract, compounds) VALUES (?, ?, ?)');
fts.transaction(() => {
  for (const [i, r] of recs.entries()) put.run(i, r.abstract, joinedCompounds(r.abstract));
})();
const ftsQuery = fts.prepare(`SELECT rowid AS i, -bm25(docs) AS s FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ${TOP}`);
const inAbstract = fts.prepare('SELECT 1 FROM docs WHERE rowid = ? AND docs MATCH ?');
/** A text's words as the site's query parser reads them (stop words dropped, each once). */
const queryWords = (text: string) => parseQuery(text).groups.map((g) => g.join(' '));
const orOf = (ws: string[]) => ws.map((w) => `"${w.replaceAll('"', '""')}"`).join(' OR ');
let t = performance.now();
function bm25Runs(texts: Map<number, string>): Map<number, Ranked> {
  const runs = new Map<number, Ranked>();
  for (const [q, text] of texts) {
    const ws = queryWords(text);
    runs.set(q, ws.length ? (ftsQuery.all(orOf(ws)) as { i: number; s: number }[]).map((r) => ({ id: String(r.i), score: r.s })) : []);
  }
  return runs;
}
const bm25 = bm25Runs(titles);
const bm25Ms = (performance.now() - t) / titles.size;
// Meaning-only queries: a test title without every word whose stem its abstract has (and stop
// words), kept when a word is left. BM25 cannot match these to their paper at all.
const reduced = new Map<number, string>();
for (const q of testIdx) {
  const left = queryWords(recs[q]!.title).filter((w) => !STOP.has(w) && !/^\d+$/.test(w) && !inAbstract.get(q, orOf([w])));
  if (left.length >= 1) reduced.set(q, left.join(' '));
}
const bm25Reduced = bm25Runs(reduced);

// The site's order of words over the same index (src/search/words.ts): the papers with every word
// (else every word some abstract has, else any word), as site search takes its candidates by words.
const rankStmt = fts.prepare('SELECT rowid AS i, -bm25(docs) AS s FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?');
const anyStmt = fts.prepare('SELECT 1 FROM docs WHERE docs MATCH ? LIMIT 1');
const matchOf = (groups: string[][], mode: WordMode, excluded: string[][] = []) => matchExpression({ required: groups, excluded, mode });
const abstractsIndex: WordIndex = {
  rank: async (q, mode, limit) =>
    (rankStmt.all(matchOf(q.groups, mode, q.excluded), limit) as { i: number; s: number }[]).map((r) => ({ id: String(r.i), score: r.s })),
  hasWords: async (g) => anyStmt.get(matchOf([g], 'all')) !== undefined,
};
async function siteOrderRuns(texts: Map<number, string>): Promise<Map<number, Ranked>> {
  const runs = new Map<number, Ranked>();
  for (const [q, text] of texts) {
    const query = parseQuery(text);
    runs.set(q, query.groups.length ? (await wordsFirst(abstractsIndex, query, 0, (x, mode) => abstractsIndex.rank(x, mode, TOP), (r) => r.length)).found : []);
  }
  return runs;
}

type Dense = { search(texts: Map<number, string>, also?: Map<number, Ranked>): Promise<Map<number, Ranked>>; docsPerSecond: number };
async function dense(embedder: Embedder): Promise<Dense> {
  const d = embedder.dimensions;
  t = performance.now();
  const docVecs = await embedder.embed(
    recs.map((r) => r.abstract),
    'document',
  );
  const docsPerSecond = recs.length / ((performance.now() - t) / 1000);
  const flat = new Float32Array(recs.length * d);
  for (const [i, v] of docVecs.entries()) flat.set(v, i * d);
  return {
    docsPerSecond,
    /**
     * The TOP nearest abstracts of each text; with `also` (another ranking's candidates), as the site
     * does, their cosines are added too (below the TOP, since every nearer abstract is already in).
     */
    async search(texts, also) {
      const keys = [...texts.keys()];
      const qv = await embedder.embed([...texts.values()], 'query');
      const qflat = new Float32Array(keys.length * d);
      for (const [i, v] of qv.entries()) qflat.set(v, i * d);
      const runs = new Map<number, Ranked>();
      for (const [i, hits] of exactTopK(flat, qflat, d, TOP).entries()) {
        const run = hits.map((h) => ({ id: String(h.row), score: h.score }));
        const seen = new Set(run.map((x) => x.id));
        for (const c of also?.get(keys[i]!) ?? []) {
          if (seen.has(c.id)) continue;
          const row = Number(c.id);
          let cos = 0;
          for (let j = 0; j < d; j++) cos += qflat[i * d + j]! * flat[row * d + j]!;
          run.push({ id: c.id, score: cos });
        }
        runs.set(keys[i]!, run.sort((a, b) => b.score - a.score));
      }
      return runs;
    },
  };
}

type Scores = { r1: number; r10: number; mrr: number; n: number };
function score(qs: Iterable<number>, ranking: (q: number) => Ranked): Scores {
  let r1 = 0;
  let r10 = 0;
  let mrr = 0;
  let n = 0;
  for (const q of qs) {
    n++;
    const rank = ranking(q)
      .slice(0, 10)
      .findIndex((h) => h.id === String(q));
    if (rank === 0) r1++;
    if (rank >= 0) {
      r10++;
      mrr += 1 / (rank + 1);
    }
  }
  const per = Math.max(1, n);
  return { r1: r1 / per, r10: r10 / per, mrr: mrr / per, n };
}
const row = (name: string, s: Scores) => console.log(`  ${name.padEnd(40)}${fmt(s.r1).padStart(7)}${fmt(s.r10).padStart(7)}${fmt(s.mrr).padStart(8)}`);
const header = (title: string) => console.log(`\n${title}\n  ${''.padEnd(40)}${'R@1'.padStart(7)}${'R@10'.padStart(7)}${'MRR@10'.padStart(8)}`);

/** Per-list z-scores blended (the prototype's fusion, for comparison; the site uses fuse()). */
function zfuse(lex: Ranked, sem: Ranked, w: number): Ranked {
  const z = (list: Ranked) => {
    const mean = list.reduce((a, x) => a + x.score, 0) / Math.max(1, list.length);
    const sd = Math.sqrt(list.reduce((a, x) => a + (x.score - mean) ** 2, 0) / Math.max(1, list.length)) || 1;
    const m = new Map(list.map((x) => [x.id, (x.score - mean) / sd]));
    return { m, floor: Math.min(0, ...m.values()) };
  };
  const l = z(lex);
  const s = z(sem);
  const ids = new Set([...lex.map((x) => x.id), ...sem.map((x) => x.id)]);
  return [...ids]
    .map((id) => ({ id, score: (1 - w) * (l.m.get(id) ?? l.floor) + w * (s.m.get(id) ?? s.floor) }))
    .sort((a, b) => b.score - a.score);
}

/** The site's fusion but with the semantic list scaled between its own lowest and best score (min-max), not from cosine -1. */
function mmfuse(lex: Ranked, sem: Ranked, w: number): Ranked {
  const lo = Math.min(...sem.map((x) => x.score));
  return fuse(lex, sem.map((x) => ({ id: x.id, score: x.score - lo - 1 })), w).map((x) => ({ id: x.id, score: x.score }));
}

const full = await dense(loadStaticEmbedder(fullDir));
const fullRuns = await full.search(titles, bm25);
const fullReduced = await full.search(reduced, bm25Reduced);
const pick = (f: (w: number) => (q: number) => Ranked) =>
  WEIGHTS.map((w) => ({ w, s: score(validIdx, f(w)) })).sort((a, b) => b.s.mrr - a.s.mrr || a.w - b.w)[0]!;
const hybrid = (lex: Map<number, Ranked>, runs: Map<number, Ranked>, w: number) => (q: number) => fuse(lex.get(q)!, runs.get(q)!, w);
const zhybrid = (lex: Map<number, Ranked>, runs: Map<number, Ranked>, w: number) => (q: number) => zfuse(lex.get(q)!, runs.get(q)!, w);
const best = pick((w) => hybrid(bm25, fullRuns, w));
const zbest = pick((w) => zhybrid(bm25, fullRuns, w));
const mmhybrid = (lex: Map<number, Ranked>, runs: Map<number, Ranked>, w: number) => (q: number) => mmfuse(lex.get(q)!, runs.get(q)!, w);
const mmbest = pick((w) => mmhybrid(bm25, fullRuns, w));
console.log(`min-max semantic scaling: weight ${mmbest.w} (${fmt(mmbest.s.mrr)} on validation)`);
console.log(`\nblend weights chosen on the ${validIdx.length} validation papers (best MRR@10): site fusion ${best.w} (${fmt(best.s.mrr)}), z-scores ${zbest.w} (${fmt(zbest.s.mrr)})`);
header(`title -> abstract among all ${recs.length} abstracts, ${testIdx.length} test papers`);
row('BM25 (FTS5, abstracts)', score(testIdx, (q) => bm25.get(q)!));
row('trained model alone', score(testIdx, (q) => fullRuns.get(q)!));
row(`hybrid, site fusion (weight ${best.w})`, score(testIdx, hybrid(bm25, fullRuns, best.w)));
const DEFAULT_WEIGHT = Number(OPTIONS.find((o) => o.name === 'SEMANTIC_WEIGHT')!.default);
const defaultValid = score(validIdx, hybrid(bm25, fullRuns, DEFAULT_WEIGHT));
row(`hybrid, site fusion (default ${DEFAULT_WEIGHT})`, score(testIdx, hybrid(bm25, fullRuns, DEFAULT_WEIGHT)));
console.log(`  (SEMANTIC_WEIGHT's default ${DEFAULT_WEIGHT}: validation MRR@10 ${fmt(defaultValid.mrr)}; within noise of the best, and kinder to SciFact, out of domain)`);
row(`hybrid, z-scores (weight ${zbest.w})`, score(testIdx, zhybrid(bm25, fullRuns, zbest.w)));
row(`hybrid, min-max semantic (weight ${mmbest.w})`, score(testIdx, mmhybrid(bm25, fullRuns, mmbest.w)));
const glove = await dense(loadStaticEmbedder(GLOVE));
const gloveRuns = await glove.search(titles);
const gloveReduced = await glove.search(reduced);
row('GloVe alone (untrained)', score(testIdx, (q) => gloveRuns.get(q)!));
// Site search's own candidates by words: the hybrid, its weight chosen on validation again.
const siteLex = await siteOrderRuns(titles);
const siteSem = await full.search(titles, siteLex);
// As site search scores them (store.papers.scoreWords): the papers found by meaning alone, on the
// words they have (their BM25 for the words OR'd, which FTS5 computes as the site's scan does).
const among = fts.prepare('SELECT rowid AS i, -bm25(docs) AS s FROM docs WHERE docs MATCH ? AND +rowid IN (SELECT value FROM json_each(?))');
const siteScored = new Map<number, Ranked>();
for (const [q, text] of titles) {
  const byWords = siteLex.get(q)!;
  const have = new Set(byWords.map((x) => x.id));
  const others = siteSem.get(q)!.filter((x) => !have.has(x.id)).map((x) => Number(x.id));
  const ws = queryWords(text);
  const scored = ws.length && others.length && byWords.length ? (among.all(orOf(ws), JSON.stringify(others)) as { i: number; s: number }[]) : [];
  siteScored.set(q, [...byWords, ...scored.map((r) => ({ id: String(r.i), score: r.s }))].sort((a, b) => b.score - a.score));
}
const siteBest = pick((w) => hybrid(siteScored, siteSem, w));
const siteBefore = pick((w) => hybrid(siteLex, siteSem, w));
header(`the same, with the words taken in the site's order (every word first), ${testIdx.length} test papers`);
row('BM25 (FTS5, abstracts)', score(testIdx, (q) => siteLex.get(q)!));
row(`hybrid, site fusion (weight ${siteBest.w}; ${fmt(siteBest.s.mrr)} on validation)`, score(testIdx, hybrid(siteScored, siteSem, siteBest.w)));
row(`hybrid, site fusion (default ${DEFAULT_WEIGHT})`, score(testIdx, hybrid(siteScored, siteSem, DEFAULT_WEIGHT)));
console.log('  without scoring the papers found by meaning on the words they have (the site until 2026-12-03):');
row(`hybrid, site fusion (weight ${siteBefore.w}; ${fmt(siteBefore.s.mrr)} on validation)`, score(testIdx, hybrid(siteLex, siteSem, siteBefore.w)));
row(`hybrid, site fusion (default ${DEFAULT_WEIGHT})`, score(testIdx, hybrid(siteLex, siteSem, DEFAULT_WEIGHT)));
header(`${reduced.size} test titles without the words their abstract has (meaning only)`);
row('BM25 (FTS5, abstracts)', score(reduced.keys(), (q) => bm25Reduced.get(q)!));
row('trained model alone', score(reduced.keys(), (q) => fullReduced.get(q)!));
row(`hybrid, site fusion (weight ${best.w})`, score(reduced.keys(), hybrid(bm25Reduced, fullReduced, best.w)));
row('GloVe alone (untrained)', score(reduced.keys(), (q) => gloveReduced.get(q)!));
console.log(`  BM25 ${bm25Ms.toFixed(1)} ms/query; static embedding ${Math.round(full.docsPerSecond)} abstracts/s (one core)`);

// ---- 3. pruning
header('vocabulary pruned to the most frequent words (test papers)');
for (const n of [...values.prune.split(',').map(Number), model.vocab.length].filter((n) => n <= model.vocab.length)) {
  const folder = n === model.vocab.length ? fullDir : save(`pruned-${n}`, n);
  const d = n === model.vocab.length ? full : await dense(loadStaticEmbedder(folder));
  const runs = n === model.vocab.length ? fullRuns : await d.search(titles, bm25);
  const red = n === model.vocab.length ? fullReduced : await d.search(reduced, bm25Reduced);
  row(`${n} words, ${sizeMb(folder).toFixed(1)} MB, alone`, score(testIdx, (q) => runs.get(q)!));
  row(`${n} words, hybrid (weight ${best.w})`, score(testIdx, hybrid(bm25, runs, best.w)));
  row(`${n} words, alone, meaning-only queries`, score(reduced.keys(), (q) => red.get(q)!));
}

// ---- 4. related papers: "shares an author"
const store = openStore({ engine: 'sqlite', path: join(dir, 'site.db') });
await store.migrate(() => new Date().toISOString());
await loadSample(store);
const embedder = loadStaticEmbedder(fullDir);
await embedPending(store, embedder, { nowIso: () => new Date().toISOString() });
const semantic = createSemantic(store, embedder, { annThreshold: Number.POSITIVE_INFINITY, indexFile: undefined, refreshMs: 60_000 });
const papers = new Map((await store.papers.byIds(recs.map((r) => r.id))).map((p) => [p.id, p]));
const papersOf = new Map<string, number>();
for (const p of papers.values()) for (const a of new Set(p.authors)) papersOf.set(a, (papersOf.get(a) ?? 0) + 1);
const withCoauthored = (idx: number[]) =>
  idx
    .map((i) => papers.get(recs[i]!.id))
    .filter((p): p is NonNullable<typeof p> => p?.authors.some((a) => papersOf.get(a)! > 1) === true)
    .slice(0, Number(values.related));
const relatedValid = withCoauthored(validIdx);
const relatedTest = withCoauthored(testIdx);
async function successAt10(ps: typeof relatedTest, w: number): Promise<number> {
  const search = createSearch(store, { hybrid: { semantic, weight: 0, fusion: 'score', similarWeight: w } });
  let hits = 0;
  for (const p of ps) {
    const names = new Set(p.authors);
    if ((await search.similar(p, 10)).some((r) => r.authors.some((a) => names.has(a)))) hits++;
  }
  return hits / ps.length;
}
const relWeights = [0, 0.25, 0.5, 0.75, 1];
const relValid = [];
for (const w of relWeights) relValid.push({ w, s: await successAt10(relatedValid, w) });
const relBest = [...relValid].sort((a, b) => b.s - a.s || a.w - b.w)[0]!;
console.log(`\nrelated papers, success@10 on "shares an author" (${relatedValid.length} validation / ${relatedTest.length} test papers that have a co-authored paper)`);
for (const { w, s } of relValid) {
  const name = w === 0 ? 'lexical (BM25, distinctive words)' : w === 1 ? 'trained model alone' : `blend, weight ${w}`;
  console.log(`  ${name.padEnd(34)} validation ${fmt(s)}  test ${fmt(await successAt10(relatedTest, w))}`);
}
console.log(`  chosen on validation: weight ${relBest.w}`);
await semantic.close();
await store.close();

// ---- 5. SciFact
const beir = await loadBeir(SCIFACT_PATHS);
await embedPending(beir.store, embedder, { nowIso: () => new Date().toISOString() });
const sci = createSemantic(beir.store, embedder, { annThreshold: Number.POSITIVE_INFINITY, indexFile: undefined, refreshMs: 60_000 });
console.log(`\nSciFact (out of domain; ${beir.qrels.size} train queries): nDCG@10 / R@100`);
const sciWeights = [...new Set([best.w, DEFAULT_WEIGHT, 0.3])].map((w) => [`hybrid, weight ${w}${w === DEFAULT_WEIGHT ? ' (the default)' : ''}`, w] as const);
for (const [name, w] of [['lexical (site search)', 0] as const, ...sciWeights]) {
  const s = createSearch(beir.store, { hybrid: w === 0 ? undefined : { semantic: sci, weight: w, fusion: 'score', similarWeight: 0 } });
  const r = await scoreRun(beir, siteRun(s));
  console.log(`  ${name.padEnd(34)}${fmt(r.ndcg10).padStart(7)}${fmt(r.recall100).padStart(7)}`);
}
await sci.close();
await beir.close();
rmSync(dir, { recursive: true, force: true });
