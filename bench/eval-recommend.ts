// npm run eval:recommend: how well "For you" (search/recommend.ts) finds what a reader wants, on the
// arxiv-sample with a proxy for taste: an author who wrote several papers. Each chosen author's first
// LIKED papers (by featured day) play the upvotes; their later papers are what the page should find.
// Scored among every paper of the sample (window "all"), the upvoted ones left out: success@30 (a later
// paper is among the 30 shown), recall@30 (the share of later papers shown) and MRR@30 (the first one's
// rank). Compared: the most upvoted papers (what a reader sees without votes), recommendations from
// words alone, and from words and meaning (the site's default, with the bundled model, which was trained
// on every sample paper's title and abstract but knows nothing of authors); and pooling by best rank
// alone instead of the site's sum. Prints; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { embedPending } from '../src/embed/backfill.ts';
import { BUNDLED_MODEL } from '../src/embed/models.ts';
import { loadStaticEmbedder } from '../src/embed/static.ts';
import { nameKey, type Paper } from '../src/domain/paper.ts';
import { recommend } from '../src/search/recommend.ts';
import { createSearch } from '../src/search/search.ts';
import { createSemantic } from '../src/search/semantic.ts';
import { openStore } from '../src/store/store.ts';
import { loadSample } from './corpus.ts';

const LIKED = 3;
const SHOWN = 30;
const AUTHORS = Number(process.env.EVAL_AUTHORS ?? 1000);

const dir = mkdtempSync(join(tmpdir(), 'paperboy-eval-recommend-'));
const path = join(dir, 'eval.db');
const store = openStore({ engine: 'sqlite', path });
await store.migrate(() => new Date().toISOString());
let t = performance.now();
await loadSample(store);
const embedder = loadStaticEmbedder(BUNDLED_MODEL);
await embedPending(store, embedder, { nowIso: () => new Date().toISOString() });
const semantic = createSemantic(store, embedder, { annThreshold: Number.POSITIVE_INFINITY, indexFile: undefined, refreshMs: 60_000 });
await semantic.refresh();
console.log(`loaded and embedded the sample in ${((performance.now() - t) / 1000).toFixed(0)} s`);

// ---- readers: authors with more than LIKED papers; their first LIKED are the upvotes
const raw = new Database(path, { readonly: true });
const rows = raw.prepare('SELECT id, featured_date AS day, authors_json AS authors FROM papers ORDER BY featured_date, id').all() as { id: string; day: string; authors: string }[];
const popular = (raw.prepare('SELECT id FROM papers WHERE hidden = 0 ORDER BY upvotes DESC, id LIMIT ?').all(SHOWN + LIKED) as { id: string }[]).map((r) => r.id);
raw.close();
const byAuthor = new Map<string, { id: string; day: string }[]>();
for (const r of rows) for (const a of new Set((JSON.parse(r.authors) as string[]).map(nameKey))) byAuthor.set(a, [...(byAuthor.get(a) ?? []), r]);
const eligible = [...byAuthor]
  .map(([name, ps]) => ({ name, liked: ps.slice(0, LIKED), later: ps.slice(LIKED).filter((p) => p.day > ps[LIKED - 1]!.day) }))
  .filter((a) => a.liked.length === LIKED && a.later.length > 0)
  .sort((a, b) => a.name.localeCompare(b.name));
// Every k-th author in name order: a fixed, spread-out choice.
const step = Math.max(1, Math.floor(eligible.length / AUTHORS));
const readers = eligible.filter((_, i) => i % step === 0).slice(0, AUTHORS);
console.log(`${eligible.length} authors have more than ${LIKED} papers, the later ones featured after their ${LIKED}rd; ${readers.length} of them read here`);

type Scores = { success: number; recall: number; mrr: number };
async function score(shown: (liked: Paper[]) => Promise<string[]>): Promise<Scores> {
  const s = { success: 0, recall: 0, mrr: 0 };
  for (const r of readers) {
    const liked = await store.papers.byIds(r.liked.map((p) => p.id));
    const ids = (await shown(liked)).slice(0, SHOWN);
    const later = new Set(r.later.map((p) => p.id));
    const found = ids.filter((id) => later.has(id)).length;
    const first = ids.findIndex((id) => later.has(id));
    s.success += found > 0 ? 1 : 0;
    s.recall += found / later.size;
    s.mrr += first < 0 ? 0 : 1 / (first + 1);
  }
  return { success: s.success / readers.length, recall: s.recall / readers.length, mrr: s.mrr / readers.length };
}
const line = (name: string, s: Scores, secs: number) =>
  console.log(`  ${name.padEnd(44)} ${s.success.toFixed(3)}  ${s.recall.toFixed(3)}  ${s.mrr.toFixed(3)}  (${((secs * 1000) / readers.length).toFixed(0)} ms a reader)`);

console.log(`\n${''.padEnd(46)} success@${SHOWN}  recall@${SHOWN}  MRR@${SHOWN}`);
t = performance.now();
line('most upvoted papers (no personalisation)', await score(async (liked) => popular.filter((id) => !liked.some((p) => p.id === id))), (performance.now() - t) / 1000);
for (const [name, similarWeight] of [['words alone (related papers without meaning)', 0], ['words and meaning (the site)', 0.5], ['words and more meaning (0.75)', 0.75]] as const) {
  for (const perLiked of similarWeight === 0.75 ? [40] : [20, 40, 80]) {
    // A fresh search each run: its related-papers cache would otherwise carry over.
    const search = createSearch(store, { hybrid: similarWeight === 0 ? undefined : { semantic, weight: 0.5, fusion: 'score', similarWeight } });
    t = performance.now();
    const s = await score(async (liked) => {
      const mine = new Set(liked.map((p) => p.id));
      return (await recommend((p, n) => search.similar(p, n), liked, { perLiked, limit: SHOWN, keep: (p) => !mine.has(p.id) })).map((r) => r.paper.id);
    });
    line(`${name}, ${perLiked} related a paper${perLiked === 40 && similarWeight === 0.5 ? ' (site)' : ''}`, s, (performance.now() - t) / 1000);
  }
}
// The same lists pooled by each paper's best rank alone (for comparison: the site sums over them).
{
  const search = createSearch(store, { hybrid: { semantic, weight: 0.5, fusion: 'score', similarWeight: 0.5 } });
  t = performance.now();
  const s = await score(async (liked) => {
    const mine = new Set(liked.map((p) => p.id));
    const best = new Map<string, number>();
    for (const list of await Promise.all(liked.map((p) => search.similar(p, 40)))) {
      for (const [rank, p] of list.entries()) if (!mine.has(p.id) && (best.get(p.id) ?? Number.POSITIVE_INFINITY) > rank) best.set(p.id, rank);
    }
    return [...best].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([id]) => id);
  });
  line('words and meaning, pooled by best rank only', s, (performance.now() - t) / 1000);
}
await semantic.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
