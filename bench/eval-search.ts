// npm run eval:search -- --qrels PATH [--corpus PATH] [--queries PATH] [--embedder static --model DIR]
// Retrieval quality on a BEIR-format benchmark (default: ../shared/data/scifact): loads the corpus
// into a fresh store through the same code paths as papers, runs every judged query through the
// site's search (lexical, semantic, hybrid at several weights, RRF), and prints nDCG@10 and
// Recall@100 beside reference figures. Prints; asserts nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { PaperInput } from '../src/domain/paper.ts';
import { embedPending } from '../src/embed/backfill.ts';
import { createEmbedder } from '../src/embed/create.ts';
import type { EmbedderConfig } from '../src/embed/embedder.ts';
import { parseQuery } from '../src/search/query.ts';
import { createSearch, type Search } from '../src/search/search.ts';
import { createSemantic } from '../src/search/semantic.ts';
import { openStore } from '../src/store/store.ts';

const SCIFACT = join(import.meta.dirname, '..', '..', 'shared', 'data', 'scifact');
const GLOVE = join(import.meta.dirname, '..', '..', 'shared', 'models', 'glove-100d-wink-int8');
const { values } = parseArgs({
  options: {
    qrels: { type: 'string', default: join(SCIFACT, 'qrels', 'train.tsv') },
    corpus: { type: 'string', default: join(SCIFACT, 'corpus.jsonl.gz') },
    queries: { type: 'string', default: join(SCIFACT, 'queries.jsonl') },
    embedder: { type: 'string', default: existsSync(GLOVE) ? 'static' : 'none' },
    model: { type: 'string', default: GLOVE },
    url: { type: 'string', default: 'http://127.0.0.1:8080/v1' },
  },
});
const read = (p: string) => {
  const b = readFileSync(resolve(p));
  return (b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b).toString('utf8');
};

type Doc = { _id: string; title: string; text: string };
const docs = read(values.corpus).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Doc);
const queries = new Map(read(values.queries).split('\n').filter(Boolean).map((l) => {
  const q = JSON.parse(l) as { _id: string; text: string };
  return [q._id, q.text] as const;
}));
const qrels = new Map<string, Set<string>>();
for (const line of read(values.qrels).split('\n').slice(1)) {
  const [q, d, score] = line.split('\t');
  if (!q || !d || Number(score) <= 0) continue;
  if (!qrels.has(q)) qrels.set(q, new Set());
  qrels.get(q)!.add(`bench-${d}`);
}

const dir = mkdtempSync(join(tmpdir(), 'paperboy-eval-'));
const store = openStore({ engine: 'sqlite', path: join(dir, 'eval.db') });
await store.migrate(() => new Date().toISOString());
const papers: PaperInput[] = docs.map((d) => ({
  id: `bench-${d._id}`, title: d.title || '(untitled)', abstract: d.text, authors: [], affiliations: [], authorCount: 0,
  categories: [], primaryCategory: undefined, comment: undefined, journalRef: undefined, doi: undefined,
  submittedDate: undefined, updatedDate: undefined, version: undefined, versions: [], announcedDate: undefined,
  featuredDate: '2020-01-01', upvotes: 0, githubRepo: undefined, projectPage: undefined, organization: undefined, withdrawn: false,
}));
await store.transaction((tx) => tx.papers.upsertMany(papers, new Date().toISOString()));

function ndcg10(ranked: string[], relevant: Set<string>): number {
  let dcg = 0;
  ranked.slice(0, 10).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(10, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}
const recall100 = (ranked: string[], relevant: Set<string>) => ranked.slice(0, 100).filter((id) => relevant.has(id)).length / relevant.size;

type Run = (text: string) => Promise<string[]>;
const siteRun = (s: Search): Run => async (t) => (await s.papers(t, { limit: 100, offset: 0 })).hits.map((h) => h.paper.id);
const runs: [string, Run][] = [
  ['lexical: site search (all, else any)', siteRun(createSearch(store))],
  [
    'lexical: any word (OR), BM25',
    async (t) => {
      const q = parseQuery(t);
      if (q.groups.length === 0) return [];
      const none = { authors: [], categories: [], orgs: [], since: undefined, until: undefined };
      const r = await store.papers.search({ required: q.groups, excluded: [], mode: 'any' }, none, 'relevance', { limit: 100, offset: 0 }, 0);
      return r.hits.map((h) => h.paper.id);
    },
  ],
];

const embedderConfig: EmbedderConfig =
  values.embedder === 'static' ? { kind: 'static', path: values.model }
  : values.embedder === 'onnx' ? { kind: 'onnx', path: values.model, queryPrefix: '', documentPrefix: '' }
  : values.embedder === 'openai' ? { kind: 'openai', url: values.url, model: values.model, apiKey: process.env.EMBEDDER_API_KEY, dimensions: undefined, batchSize: 64, timeoutMs: 60_000 }
  : { kind: 'none' };
const embedder = await createEmbedder(embedderConfig);
if (embedder) {
  const t = performance.now();
  await embedPending(store, embedder, { nowIso: () => new Date().toISOString() });
  console.log(`embedded ${docs.length} documents with ${embedder.model} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const semantic = createSemantic(store, embedder, { annThreshold: Number.POSITIVE_INFINITY, indexFile: undefined, refreshMs: 0 });
  const none = { authors: [], categories: [], orgs: [], since: undefined, until: undefined };
  runs.push([`semantic only (${values.embedder})`, async (t) => (await semantic.search(t, 100, none)).hits.map((x) => x.id)]);
  for (const weight of [0.05, 0.1, 0.2, 0.3, 0.5]) {
    runs.push([`hybrid score, weight ${weight}`, siteRun(createSearch(store, Date.now, { semantic, weight, fusion: 'score', similarWeight: 0 }))]);
  }
  runs.push(['hybrid rrf, weight 0.5', siteRun(createSearch(store, Date.now, { semantic, weight: 0.5, fusion: 'rrf', similarWeight: 0 }))]);
}

console.log(`${docs.length} documents, ${qrels.size} judged queries (${values.qrels})\n`);
console.log(`${'run'.padEnd(40)}${'nDCG@10'.padStart(9)}${'R@100'.padStart(8)}${'ms/query'.padStart(10)}`);
for (const [name, run] of runs) {
  let n = 0;
  let r = 0;
  const t = performance.now();
  for (const [qid, relevant] of qrels) {
    const ranked = await run(queries.get(qid) ?? '');
    n += ndcg10(ranked, relevant);
    r += recall100(ranked, relevant);
  }
  const ms = (performance.now() - t) / qrels.size;
  console.log(`${name.padEnd(40)}${(n / qrels.size).toFixed(3).padStart(9)}${(r / qrels.size).toFixed(3).padStart(8)}${ms.toFixed(1).padStart(10)}`);
}
console.log('\nreference: stock FTS5 bm25() OR query, title+body, train split: 0.701 nDCG@10, 0.931 R@100 (shared/data/scifact/README)');
console.log('reference: BEIR BM25 (Anserini multifield), test split: 0.665 nDCG@10 (BEIR paper, Table 2)');
await store.close();
rmSync(dir, { recursive: true, force: true });
