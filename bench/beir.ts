// Shared by eval:search and eval:embeddings: a BEIR-format benchmark (default ../shared/data/scifact)
// loaded into a fresh store through the same code paths as papers, and scoring a ranking function
// on its judged queries (nDCG@10, Recall@100).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { PaperInput } from '../src/domain/paper.ts';
import type { Search } from '../src/search/search.ts';
import { openStore, type Store } from '../src/store/store.ts';

export const SCIFACT = join(import.meta.dirname, '..', '..', 'shared', 'data', 'scifact');
export const SCIFACT_PATHS = {
  qrels: join(SCIFACT, 'qrels', 'train.tsv'),
  corpus: join(SCIFACT, 'corpus.jsonl.gz'),
  queries: join(SCIFACT, 'queries.jsonl'),
};

export type Beir = { store: Store; docs: number; queries: Map<string, string>; qrels: Map<string, Set<string>>; close(): Promise<void> };
/** A ranking: paper ids best first. */
export type Run = (text: string) => Promise<string[]>;

const read = (p: string) => {
  const b = readFileSync(resolve(p));
  return (b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b).toString('utf8');
};

export type BeirFiles = {
  docs: { _id: string; title: string; text: string }[];
  queries: Map<string, string>;
  /** Query id -> ids of the documents judged relevant (score > 0). */
  qrels: Map<string, Set<string>>;
};

/** A BEIR benchmark's three files as they are (gzip read transparently). */
export function readBeir(paths: typeof SCIFACT_PATHS): BeirFiles {
  const docs = read(paths.corpus).split('\n').filter(Boolean).map((l) => JSON.parse(l) as BeirFiles['docs'][number]);
  const queries = new Map(
    read(paths.queries)
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const q = JSON.parse(l) as { _id: string; text: string };
        return [q._id, q.text] as const;
      }),
  );
  const qrels = new Map<string, Set<string>>();
  for (const line of read(paths.qrels).split('\n').slice(1)) {
    const [q, d, score] = line.split('\t');
    if (!q || !d || Number(score) <= 0) continue;
    if (!qrels.has(q)) qrels.set(q, new Set());
    qrels.get(q)!.add(d);
  }
  return { docs, queries, qrels };
}

/** The benchmark loaded into a fresh SQLite store as papers (ids `bench-<doc id>`). */
export async function loadBeir(paths: typeof SCIFACT_PATHS): Promise<Beir> {
  const files = readBeir(paths);
  const { docs, queries } = files;
  const qrels = new Map([...files.qrels].map(([q, ds]) => [q, new Set([...ds].map((d) => `bench-${d}`))]));
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
  return {
    store,
    docs: docs.length,
    queries,
    qrels,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** nDCG@10 of a ranking with binary judgments. */
export function ndcg10(ranked: string[], relevant: Set<string>): number {
  let dcg = 0;
  ranked.slice(0, 10).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(10, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}
const recall100 = (ranked: string[], relevant: Set<string>) => ranked.slice(0, 100).filter((id) => relevant.has(id)).length / relevant.size;

export async function scoreRun(b: Beir, run: Run): Promise<{ ndcg10: number; recall100: number; msPerQuery: number }> {
  let n = 0;
  let r = 0;
  const t = performance.now();
  for (const [qid, relevant] of b.qrels) {
    const ranked = await run(b.queries.get(qid) ?? '');
    n += ndcg10(ranked, relevant);
    r += recall100(ranked, relevant);
  }
  const q = Math.max(1, b.qrels.size);
  return { ndcg10: n / q, recall100: r / q, msPerQuery: (performance.now() - t) / q };
}

/** The site's search as a run: its first 100 results. */
export const siteRun =
  (s: Search): Run =>
  async (t) =>
    (await s.papers(t, { limit: 100, offset: 0 })).hits.map((h) => h.paper.id);
