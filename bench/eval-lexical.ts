// npm run eval:lexical [-- --grid JSON]: BM25 variants beyond what FTS5 offers, measured on SciFact's
// train judgments (nDCG@10), to decide whether a re-ranker of our own would pay for itself (issue 4).
// Documents and queries are tokenised by FTS5 itself (the site's tokenizer, read back through
// fts5vocab), then ranked in memory:
//   fts5   FTS5's bm25(): field weights applied to term frequencies, one saturation over the row length
//   bm25f  BM25F: each field's frequency length-normalised with its own b, weighted, then one saturation
//   prf    RM3-style feedback on top: the best papers' words (frequency x idf) added to the query
// and, on either: abbreviations the corpus defines expanded in the query, query words that are numbers
// or very common left out, BM25+'s delta, Lucene's coordination factor.
// With FTS5's settings the fts5 variant reproduces the site's OR query (0.703). The default grid (the
// README's figures) takes ~20 min on one core; --grid '[{...}]' runs chosen variants. Prints; asserts nothing.
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { TOKENIZER } from '../src/store/dialect/sqlite.ts';
import { ndcg10 as ndcgOf, readBeir, SCIFACT_PATHS } from './beir.ts';

type Variant = {
  mode: 'fts5' | 'bm25f';
  k1: number;
  /** b per field (fts5 uses the first for the whole row). */
  b: [number, number];
  /** Weight per field: title, abstract. */
  w: [number, number];
  /** Each query word once (FTS5's OR query counts a repeated word twice). */
  dedupe: boolean;
  prf?: { docs: number; terms: number; weight: number };
  /** Abbreviations defined in the corpus ("acute myeloid leukemia (AML)"): a query's short form adds its long form's words, a long form adds its short form, at this weight. */
  acronyms?: { weight: number; way?: 'both' | 'short' | 'long' };
  /** Query words that are numbers left out. */
  noNumbers?: boolean;
  /** Query words in more than this share of the documents left out. */
  maxDf?: number;
  /** BM25+: this much added to every matching word's saturated frequency. */
  delta?: number;
  /** Lucene's coordination: a score times (share of the query's words the paper has) to this power. */
  coord?: number;
};
const FTS5: Variant = { mode: 'fts5', k1: 1.2, b: [0.75, 0.75], w: [3, 1], dedupe: false };

const grid: Partial<Variant>[] = [{}, { dedupe: true }];
for (const k1 of [0.9, 1.2, 1.6])
  for (const bt of [0.3, 0.6, 0.9])
    for (const bb of [0.6, 0.75, 0.9]) for (const wt of [2, 3, 4]) grid.push({ mode: 'bm25f', dedupe: true, k1, b: [bt, bb], w: [wt, 1] });
for (const terms of [10, 20, 40]) for (const weight of [0.2, 0.35, 0.5]) grid.push({ dedupe: true, prf: { docs: 3, terms, weight } });
for (const weight of [0.1, 0.25, 0.5, 1])
  for (const way of ['both', 'short', 'long'] as const) grid.push({ dedupe: true, acronyms: { weight, way } });
grid.push({ dedupe: true, noNumbers: true });
for (const maxDf of [0.05, 0.15, 0.3]) grid.push({ dedupe: true, maxDf });
for (const delta of [0.25, 0.5, 1]) grid.push({ dedupe: true, delta });
for (const coord of [0.25, 0.5, 1, 2]) grid.push({ dedupe: true, coord });
const { values } = parseArgs({ options: { grid: { type: 'string' } } });
const variants = values.grid ? (JSON.parse(values.grid) as Partial<Variant>[]) : grid;

const { docs, queries: queryText, qrels } = readBeir(SCIFACT_PATHS);
const inCorpus = new Set(docs.map((d) => d._id));
/** Query id -> its relevant documents that the corpus has (queries with none are left out). */
const relevant = new Map<string, Set<string>>();
for (const [q, ds] of qrels) {
  const found = [...ds].filter((d) => inCorpus.has(d));
  if (found.length > 0) relevant.set(q, new Set(found));
}

// ---- tokens, by FTS5 (the site's tokenizer)
const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE d USING fts5(title, body, tokenize='${TOKENIZER}');
  CREATE VIRTUAL TABLE dv USING fts5vocab(d, 'instance');
  CREATE VIRTUAL TABLE q USING fts5(text, tokenize='${TOKENIZER}');
  CREATE VIRTUAL TABLE qv USING fts5vocab(q, 'instance');`);
const putDoc = db.prepare('INSERT INTO d(rowid, title, body) VALUES (?, ?, ?)');
db.transaction(() => {
  for (const [i, d] of docs.entries()) putDoc.run(i, d.title, d.text);
})();
const qids = [...relevant.keys()];
const putQuery = db.prepare('INSERT INTO q(rowid, text) VALUES (?, ?)');
db.transaction(() => {
  for (const [i, id] of qids.entries()) putQuery.run(i, queryText.get(id) ?? '');
})();

// ---- abbreviations the corpus defines, Schwartz-Hearst style: "long form (SF)", the short form's
// letters found in order in the long form's last words, its first letter starting a word.
const defined = new Map<string, Map<string, number>>();
for (const d of docs) {
  const text = `${d.title}. ${d.text}`;
  for (const m of text.matchAll(/\(([A-Za-z0-9][A-Za-z0-9-]{1,9})\)/g)) {
    const sf = m[1]!;
    if ((sf.match(/[A-Z]/g) ?? []).length < 2) continue;
    const words = text.slice(0, m.index).trim().split(/\s+/);
    const s = words.slice(-Math.min(sf.length + 5, sf.length * 2)).join(' ').toLowerCase();
    const letters = sf.toLowerCase().replace(/[^a-z0-9]/g, '');
    let li = letters.length - 1;
    let si = s.length - 1;
    while (li >= 0 && si >= 0) {
      const c = letters[li]!;
      while (si >= 0 && (s[si] !== c || (li === 0 && si > 0 && /[a-z0-9]/.test(s[si - 1]!)))) si--;
      if (si < 0) break;
      li--;
      si--;
    }
    if (li >= 0) continue;
    const lf = s.slice(s.lastIndexOf(' ', si) + 1).trim();
    if (lf.split(' ').length < 2) continue;
    const forms = defined.get(sf) ?? new Map<string, number>();
    forms.set(lf, (forms.get(lf) ?? 0) + 1);
    defined.set(sf, forms);
  }
}
const lowerUses = new Map<string, number>();
for (const d of docs) for (const w of `${d.title} ${d.text}`.match(/[a-z0-9-]+/g) ?? []) lowerUses.set(w, (lowerUses.get(w) ?? 0) + 1);
db.exec(`CREATE VIRTUAL TABLE a USING fts5(sf, lf, tokenize='${TOKENIZER}'); CREATE VIRTUAL TABLE av USING fts5vocab(a, 'instance');`);
const abbreviations: { sf: string; lfText: string }[] = [];
for (const [sf, forms] of defined) {
  if ((lowerUses.get(sf.toLowerCase()) ?? 0) > 2) continue; // "IS", "NET": also a word
  abbreviations.push({ sf, lfText: [...forms].sort((x, y) => y[1] - x[1])[0]![0] });
}
const putAbbr = db.prepare('INSERT INTO a(rowid, sf, lf) VALUES (?, ?, ?)');
db.transaction(() => {
  for (const [i, a] of abbreviations.entries()) putAbbr.run(i, a.sf, a.lfText);
})();
const abbrTokens = abbreviations.map(() => ({ sf: [] as string[], lf: [] as string[] }));
for (const r of db.prepare('SELECT term, doc, col FROM av ORDER BY doc, col, offset').iterate() as Iterable<{ term: string; doc: number; col: string }>)
  abbrTokens[r.doc]![r.col === 'sf' ? 'sf' : 'lf'].push(r.term);
const bySf = new Map(abbreviations.map((a, i) => [a.sf, abbrTokens[i]!]));
console.log(`${abbreviations.length} abbreviations defined in the corpus`);

const N = docs.length;
/** Per document: term -> [frequency in title, in abstract]; and the two lengths. */
const tf = docs.map(() => new Map<string, [number, number]>());
const len = docs.map((): [number, number] => [0, 0]);
for (const r of db.prepare('SELECT term, doc, col FROM dv').iterate() as Iterable<{ term: string; doc: number; col: string }>) {
  const f = r.col === 'title' ? 0 : 1;
  const m = tf[r.doc]!;
  const x = m.get(r.term) ?? [0, 0];
  x[f]++;
  m.set(r.term, x);
  len[r.doc]![f]++;
}
const avg = [0, 1].map((f) => len.reduce((a, l) => a + l[f]!, 0) / N) as [number, number];
const postings = new Map<string, number[]>();
for (const [i, m] of tf.entries()) {
  for (const t of m.keys()) {
    const list = postings.get(t);
    if (list) list.push(i);
    else postings.set(t, [i]);
  }
}
const queryTerms: string[][] = qids.map(() => []);
for (const r of db.prepare('SELECT term, doc FROM qv ORDER BY doc, offset').iterate() as Iterable<{ term: string; doc: number }>) queryTerms[r.doc]!.push(r.term);
/** FTS5's idf (never below 1e-6). */
const idf = (t: string) => {
  const n = postings.get(t)?.length ?? 0;
  return Math.max(1e-6, Math.log((N - n + 0.5) / (n + 0.5)));
};

function rank(terms: Map<string, number>, v: Variant): number[] {
  const score = new Float64Array(N);
  const hit = new Set<number>();
  const matched = new Float64Array(v.coord ? N : 0);
  for (const [t, weight] of terms) {
    const w = idf(t) * weight;
    for (const i of postings.get(t) ?? []) {
      const x = tf[i]!.get(t)!;
      let s: number;
      if (v.mode === 'fts5') {
        const f = v.w[0] * x[0] + v.w[1] * x[1];
        s = (f * (v.k1 + 1)) / (f + v.k1 * (1 - v.b[0] + (v.b[0] * (len[i]![0] + len[i]![1])) / (avg[0] + avg[1])));
      } else {
        let f = 0;
        for (const k of [0, 1] as const) f += (v.w[k] * x[k]) / (1 - v.b[k] + (v.b[k] * len[i]![k]) / avg[k]);
        s = (f * (v.k1 + 1)) / (f + v.k1);
      }
      score[i]! += w * (s + (v.delta ?? 0));
      if (v.coord) matched[i]! += weight;
      hit.add(i);
    }
  }
  if (v.coord) {
    let total = 0;
    for (const w of terms.values()) total += w;
    for (const i of hit) score[i]! *= (matched[i]! / total) ** v.coord;
  }
  return [...hit].sort((a, b) => score[b]! - score[a]! || a - b).slice(0, 100);
}

function ndcg10(v: Variant): number {
  let sum = 0;
  for (const [k, id] of qids.entries()) {
    const terms = new Map<string, number>();
    for (const t of queryTerms[k]!) terms.set(t, v.dedupe ? 1 : (terms.get(t) ?? 0) + 1);
    if (v.noNumbers) for (const t of terms.keys()) if (/^[0-9]+$/.test(t)) terms.delete(t);
    if (v.maxDf) for (const t of terms.keys()) if ((postings.get(t)?.length ?? 0) > v.maxDf * N) terms.delete(t);
    if (v.acronyms) {
      const { weight, way = 'both' } = v.acronyms;
      const add = (ts: string[], w: number) => {
        for (const t of ts) if (!terms.has(t)) terms.set(t, w);
      };
      const raw = queryText.get(id) ?? '';
      if (way !== 'long') for (const w of raw.match(/[A-Za-z0-9][A-Za-z0-9-]*/g) ?? []) { const a = bySf.get(w); if (a) add(a.lf, weight); }
      if (way !== 'short') {
        const q = queryTerms[k]!.join(' ');
        for (const a of abbrTokens) if (a.lf.length > 1 && ` ${q} `.includes(` ${a.lf.join(' ')} `)) add(a.sf, weight);
      }
    }
    let ranked = rank(terms, v);
    if (v.prf) {
      const feedback = new Map<string, number>();
      for (const i of ranked.slice(0, v.prf.docs)) {
        const L = len[i]![0] + len[i]![1];
        for (const [t, x] of tf[i]!) feedback.set(t, (feedback.get(t) ?? 0) + ((x[0] + x[1]) / L) * idf(t));
      }
      const top = [...feedback].sort((a, b) => b[1] - a[1]).slice(0, v.prf.terms);
      const max = top[0]?.[1] ?? 1;
      const expanded = new Map([...terms].map(([t, w]) => [t, w * (1 - v.prf!.weight)]));
      for (const [t, w] of top) expanded.set(t, (expanded.get(t) ?? 0) + (v.prf.weight * w) / max);
      ranked = rank(expanded, v);
    }
    sum += ndcgOf(
      ranked.map((i) => docs[i]!._id),
      relevant.get(id)!,
    );
  }
  return sum / qids.length;
}

console.log(`${N} documents, ${qids.length} judged queries; nDCG@10 (FTS5's settings: the site's OR query)`);
const results = variants.map((g) => {
  const v = { ...FTS5, ...g };
  const s = ndcg10(v);
  console.log(`${s.toFixed(4)}  ${JSON.stringify(g)}`);
  return { s, g };
});
const best = results.sort((a, b) => b.s - a.s)[0]!;
console.log(`best ${best.s.toFixed(4)}: ${JSON.stringify(best.g)}`);
