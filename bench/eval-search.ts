// npm run eval:search -- --qrels PATH [--corpus PATH] [--queries PATH] [--embedder static --model DIR]
// Retrieval quality on a BEIR-format benchmark (default: ../shared/data/scifact): loads the corpus
// into a fresh store through the same code paths as papers, runs every judged query through the
// site's search (lexical, semantic, hybrid at several weights, RRF), and prints nDCG@10 and
// Recall@100 beside reference figures. Prints; asserts nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { embedPending } from '../src/embed/backfill.ts';
import { createEmbedder } from '../src/embed/create.ts';
import type { EmbedderConfig } from '../src/embed/embedder.ts';
import { parseQuery } from '../src/search/query.ts';
import { createSearch } from '../src/search/search.ts';
import { createSemantic } from '../src/search/semantic.ts';
import { loadBeir, type Run, SCIFACT_PATHS, scoreRun, siteRun } from './beir.ts';

const GLOVE = join(import.meta.dirname, '..', '..', 'shared', 'models', 'glove-100d-wink-int8');
const { values } = parseArgs({
  options: {
    qrels: { type: 'string', default: SCIFACT_PATHS.qrels },
    corpus: { type: 'string', default: SCIFACT_PATHS.corpus },
    queries: { type: 'string', default: SCIFACT_PATHS.queries },
    embedder: { type: 'string', default: existsSync(GLOVE) ? 'static' : 'none' },
    model: { type: 'string', default: GLOVE },
    url: { type: 'string', default: 'http://127.0.0.1:8080/v1' },
  },
});
const beir = await loadBeir(values);
const { store } = beir;

const runs: [string, Run][] = [
  ['lexical: site search (all, known, any)', siteRun(createSearch(store))],
  [
    'lexical: any word (OR), BM25',
    async (t) => {
      const q = parseQuery(t);
      if (q.groups.length === 0) return [];
      const none = { authors: [], categories: [], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined };
      const r = await store.papers.search({ required: q.groups, excluded: [], mode: 'any' }, none, 'relevance', { limit: 100, offset: 0 }, 0);
      return r.hits.map((h) => h.paper.id);
    },
  ],
];

const embedderConfig: EmbedderConfig =
  values.embedder === 'static' ? { kind: 'static', path: values.model, managed: false }
  : values.embedder === 'onnx' ? { kind: 'onnx', path: values.model, queryPrefix: '', documentPrefix: '' }
  : values.embedder === 'openai' ? { kind: 'openai', url: values.url, model: values.model, apiKey: process.env.EMBEDDER_API_KEY, dimensions: undefined, batchSize: 64, timeoutMs: 60_000 }
  : { kind: 'none' };
const embedder = await createEmbedder(embedderConfig);
if (embedder) {
  const t = performance.now();
  await embedPending(store, embedder, { nowIso: () => new Date().toISOString() });
  console.log(`embedded ${beir.docs} documents with ${embedder.model} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const semantic = createSemantic(store, embedder, { annThreshold: Number.POSITIVE_INFINITY, indexFile: undefined, refreshMs: 0 });
  const none = { authors: [], categories: [], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined };
  runs.push([`semantic only (${values.embedder})`, async (t) => (await semantic.search(t, 100, none)).hits.map((x) => x.id)]);
  for (const weight of [0.05, 0.1, 0.15, 0.2, 0.3, 0.35, 0.4, 0.5]) {
    runs.push([`hybrid score, weight ${weight}`, siteRun(createSearch(store, { hybrid: { semantic, weight, fusion: 'score', similarWeight: 0 } }))]);
  }
  runs.push(['hybrid rrf, weight 0.5', siteRun(createSearch(store, { hybrid: { semantic, weight: 0.5, fusion: 'rrf', similarWeight: 0 } }))]);
}

console.log(`${beir.docs} documents, ${beir.qrels.size} judged queries (${values.qrels})\n`);
console.log(`${'run'.padEnd(40)}${'nDCG@10'.padStart(9)}${'R@100'.padStart(8)}${'ms/query'.padStart(10)}`);
for (const [name, run] of runs) {
  const r = await scoreRun(beir, run);
  console.log(`${name.padEnd(40)}${r.ndcg10.toFixed(3).padStart(9)}${r.recall100.toFixed(3).padStart(8)}${r.msPerQuery.toFixed(1).padStart(10)}`);
}
console.log('\nreference: stock FTS5 bm25() OR query, title+body, train split: 0.701 nDCG@10, 0.931 R@100 (shared/data/scifact/README)');
console.log('reference: BEIR BM25 (Anserini multifield), test split: 0.665 nDCG@10 (BEIR paper, Table 2)');
await beir.close();
