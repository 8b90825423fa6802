// Rebuilds the bundled demo corpus in demo/ from ../shared/data (run: npm run demo:build).
//   demo/arxiv-recent.jsonl.gz  every arxiv-sample paper first listed on or after FIRST_DAY
//   demo/seed-cards.json        the 53 seed-page cards as Hugging Face daily_papers items; cards whose
//                               title matches an arxiv-sample paper get its arXiv id and author names
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { titleKey } from '../src/domain/paper.ts';

const SHARED = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'data');
const FIRST_DAY = '2026-06-08';
/** The seed page shows the day "Apr 20" (2026); a card without a date is featured on it. */
const SEED_PAGE_DAY = '2026-04-20';

type SampleRecord = { id: string; title: string; authors: string[]; date: string };
type SeedCard = {
  title: string;
  summary: string;
  publishedAt?: string;
  upvotes?: number;
  numAuthors?: number;
  organization?: { name: string; fullname: string };
  githubRepo?: string;
};

const dir = join(SHARED, 'arxiv-sample');
const byTitle = new Map<string, SampleRecord>();
const recent: string[] = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.jsonl.gz')).sort()) {
  for (const line of gunzipSync(readFileSync(join(dir, f))).toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as SampleRecord;
    byTitle.set(titleKey(r.title), r);
    if (r.date >= FIRST_DAY) recent.push(line);
  }
}
writeFileSync(join('demo', 'arxiv-recent.jsonl.gz'), gzipSync(`${recent.join('\n')}\n`, { level: 9 }));

const cards = readFileSync(join(SHARED, 'seed-page', 'papers.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as SeedCard);
const items = cards.map((c) => {
  const match = byTitle.get(titleKey(c.title));
  const featured = c.publishedAt ?? SEED_PAGE_DAY;
  return {
    publishedAt: `${featured}T00:00:00.000Z`,
    paper: {
      ...(match ? { id: match.id } : {}),
      title: c.title,
      summary: c.summary,
      authors: (match?.authors ?? []).map((name) => ({ name })),
      ...(c.numAuthors !== undefined ? { numAuthors: c.numAuthors } : {}),
      ...(c.publishedAt ? { publishedAt: `${c.publishedAt}T00:00:00.000Z` } : {}),
      upvotes: c.upvotes ?? 0,
      ...(c.githubRepo ? { githubRepo: c.githubRepo.replace(/\.git$/, '') } : {}),
      ...(c.organization ? { organization: c.organization } : {}),
    },
  };
});
writeFileSync(join('demo', 'seed-cards.json'), `${JSON.stringify(items, null, 1)}\n`);
console.log(`demo: ${recent.length} arXiv papers since ${FIRST_DAY}, ${items.length} seed cards (${items.filter((i) => i.paper.id).length} with arXiv ids)`);
