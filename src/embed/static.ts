// The static embedder: a table of word vectors; a text's vector is the weighted mean of its words'
// vectors. No network and no model server; thousands of abstracts a second on one core.
//
// Folder format (version 1; `../shared/models/glove-100d-wink-int8` is one):
//   vocab.txt    one word per line; line i is row i
//   vectors.i8   int8, row-major, rows x D          value = i8 * scale[row]
//   scales.f32   float32 little-endian, one per row
//   weights.f32  optional: float32 per row, how much the word counts (learned, or an IDF).
//                Without it, a word's weight is estimated from its row (vocabularies in frequency
//                order: rarer words count more, as IDF would weigh them).
//   model.json   optional: { "name": ..., metadata }
// Version 2 adds hash buckets: with "hashBuckets": H in model.json, the files hold H rows more than
// vocab.txt has lines, and a word outside the vocabulary takes row (words + bucketOf(word, H)).
// Rare words (model names, acronyms) are often what singles a paper out; sharing a trained row with
// other rare words keeps that signal instead of dropping them.
// Version 3 adds query weights:
//   query-weights.f32  float32 per row, how much the word counts in a query (a search, a title); the
//                      weights above are then a document's. A word's importance differs between a
//                      title and an abstract (trained on arXiv: "the" and "survey" count less in a
//                      title, "benchmark" and "code" more).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { type Embedder, type EmbedPurpose, normalize, words } from './embedder.ts';

export type StaticModel = {
  name: string;
  dimensions: number;
  vocab: string[];
  /** Rows after the vocabulary's, shared by the words outside it (0: such words are ignored). */
  hashBuckets: number;
  row: Map<string, number>;
  vectors: Int8Array;
  scales: Float32Array;
  weights: Float32Array;
  /** How much each row counts in a query: the document weights when the model has no query weights of its own. */
  queryWeights: Float32Array;
  fingerprint: string;
};

/** Weight of the word on `row` when the model has no weights: ~log of its frequency rank (Zipf). */
export const rankWeight = (row: number): number => Math.log(1 + (row + 1) / 100);

/** The bucket of a word outside the vocabulary: FNV-1a (32-bit) of its UTF-16 code units, mod the bucket count. */
export function bucketOf(word: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return (h >>> 0) % buckets;
}

/** The row of a word: its own, else its bucket's, else none. */
export function rowOf(m: Pick<StaticModel, 'row' | 'vocab' | 'hashBuckets'>, word: string): number | undefined {
  const r = m.row.get(word);
  if (r !== undefined || m.hashBuckets === 0) return r;
  return m.vocab.length + bucketOf(word, m.hashBuckets);
}

function floats(buf: Buffer): Float32Array {
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Float32Array(copy.buffer);
}

export function readStaticModel(dir: string): StaticModel {
  const path = resolve(dir);
  const need = (f: string) => {
    const p = join(path, f);
    if (!existsSync(p)) throw new Error(`static embedding model ${path}: ${f} is missing (expected vocab.txt, vectors.i8, scales.f32)`);
    return readFileSync(p);
  };
  const meta = existsSync(join(path, 'model.json'))
    ? (JSON.parse(readFileSync(join(path, 'model.json'), 'utf8')) as { name?: string; hashBuckets?: unknown })
    : {};
  const hashBuckets = meta.hashBuckets ?? 0;
  if (typeof hashBuckets !== 'number' || !Number.isInteger(hashBuckets) || hashBuckets < 0) {
    throw new Error(`static embedding model ${path}: model.json: hashBuckets must be a whole number, got ${JSON.stringify(hashBuckets)}`);
  }
  const vocab = need('vocab.txt').toString('utf8').split('\n');
  if (vocab.at(-1) === '') vocab.pop();
  const vb = need('vectors.i8');
  const sb = need('scales.f32');
  const rows = vocab.length + hashBuckets;
  const what = hashBuckets ? `${vocab.length} words and ${hashBuckets} hash buckets` : `${vocab.length} words`;
  if (vocab.length === 0 || vb.length % rows !== 0) {
    throw new Error(`static embedding model ${path}: vectors.i8 has ${vb.length} bytes, not a multiple of ${what}`);
  }
  const dimensions = vb.length / rows;
  if (sb.length !== rows * 4) throw new Error(`static embedding model ${path}: scales.f32 has ${sb.length / 4} values for ${what}`);
  const vectors = new Int8Array(vb.buffer.slice(vb.byteOffset, vb.byteOffset + vb.byteLength));
  const scales = floats(sb);
  const perRow = (file: string): Float32Array | undefined => {
    if (!existsSync(join(path, file))) return undefined;
    const values = floats(readFileSync(join(path, file)));
    if (values.length !== rows) throw new Error(`static embedding model ${path}: ${file} has ${values.length} values for ${what}`);
    return values;
  };
  let weights = perRow('weights.f32');
  if (!weights) {
    weights = new Float32Array(rows);
    for (let r = 0; r < rows; r++) weights[r] = rankWeight(r);
  }
  const row = new Map<string, number>();
  for (let r = 0; r < vocab.length; r++) if (!row.has(vocab[r]!)) row.set(vocab[r]!, r);
  const queryWeights = perRow('query-weights.f32');
  const hash = createHash('sha1').update(sb).update(weights);
  if (queryWeights) hash.update(queryWeights);
  const fingerprint = hash.update(vb.subarray(0, 65536)).digest('hex').slice(0, 10);
  return { name: meta.name ?? basename(path), dimensions, vocab, hashBuckets, row, vectors, scales, weights, queryWeights: queryWeights ?? weights, fingerprint };
}

/** The weights a text is read with: a query's, or a document's. */
export const weightsFor = (m: StaticModel, purpose: EmbedPurpose): Float32Array => (purpose === 'query' ? m.queryWeights : m.weights);

/** The weighted mean of the words' vectors, unit length (zero when no word has a row); weights: the document's, or the query's. */
export function embedWords(m: StaticModel, tokens: string[], weights = m.weights): Float32Array {
  // Each row is added once, times its count (an abstract's ~190 words are ~110 distinct), into a
  // float64 sum: 30% faster than adding word by word into the float32 vector.
  const counts = new Map<number, number>();
  for (const t of tokens) {
    const r = rowOf(m, t);
    if (r !== undefined) counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  const d = m.dimensions;
  const { vectors, scales } = m;
  const sum = new Float64Array(d);
  for (const [r, n] of counts) {
    const w = n * weights[r]! * scales[r]!;
    const off = r * d;
    for (let c = 0; c < d; c++) sum[c]! += w * vectors[off + c]!;
  }
  return normalize(Float32Array.from(sum));
}

const unitVectors = new WeakMap<StaticModel, Map<number, Float32Array>>();
/** The unit vector of the word on row r (cached: explanations look at the same words again and again). */
function wordVector(m: StaticModel, r: number): Float32Array {
  let cache = unitVectors.get(m);
  if (!cache) {
    cache = new Map();
    unitVectors.set(m, cache);
  }
  const hit = cache.get(r);
  if (hit) return hit;
  if (cache.size > 200_000) cache.clear();
  const v = new Float32Array(m.dimensions);
  cache.set(r, v);
  for (let c = 0; c < m.dimensions; c++) v[c] = m.vectors[r * m.dimensions + c]! * m.scales[r]!;
  return normalize(v);
}

/**
 * Which query words and document words brought the two together: each query word's share of the
 * match (its weight times its closeness to the document), paired with the document word closest to it.
 * A word read through a hash bucket means only itself: it explains a match where the document has
 * the same word, and is never offered as the near word of another.
 */
export function explainMatch(m: StaticModel, query: string, doc: string, limit: number, docVector?: Float32Array): string[] {
  const docTokens = words(doc);
  const inDoc = new Set(docTokens);
  // The most frequent words of a large vocabulary (its first rows: "the", "do", "we") explain nothing.
  const common = m.vocab.length >= 10_000 ? Math.round(m.vocab.length * 0.003) : 0;
  const telling = (w: string) => (rowOf(m, w) ?? -1) >= common;
  const own = (w: string) => m.row.has(w);
  const docWords = [...inDoc].filter((w) => own(w) && telling(w));
  const docVec = docVector ?? embedWords(m, docTokens);
  const scored = [...new Set(words(query))]
    .filter((w) => telling(w) && (own(w) || inDoc.has(w)))
    .map((w) => {
      const r = rowOf(m, w)!;
      const qv = wordVector(m, r);
      let s = 0;
      for (let c = 0; c < m.dimensions; c++) s += qv[c]! * docVec[c]!;
      return { w, r, qv, share: s * m.queryWeights[r]! };
    })
    .sort((a, b) => b.share - a.share)
    .slice(0, limit);
  return scored.map(({ w, qv }) => {
    if (!own(w) || inDoc.has(w)) return w;
    let best = '';
    let bestSim = Number.NEGATIVE_INFINITY;
    for (const dw of docWords) {
      const dv = wordVector(m, m.row.get(dw)!);
      let s = 0;
      for (let c = 0; c < m.dimensions; c++) s += qv[c]! * dv[c]!;
      if (s > bestSim) [best, bestSim] = [dw, s];
    }
    return best === '' ? w : `${w} ~ ${best}`;
  });
}

export function staticEmbedder(m: StaticModel): Embedder {
  return {
    model: `static:${m.name}:${m.dimensions}:${m.fingerprint}`,
    dimensions: m.dimensions,
    async embed(texts, purpose, skip) {
      const weights = weightsFor(m, purpose);
      return texts.map((t) => embedWords(m, skip ? words(t).filter((w) => !skip.has(w)) : words(t), weights));
    },
    bucketWords: (text) => (m.hashBuckets > 0 ? [...new Set(words(text))].filter((w) => !m.row.has(w)) : []),
    explain: (query, doc, limit, docVector) => explainMatch(m, query, doc, limit, docVector),
    vocabulary: m.vocab,
  };
}

export function loadStaticEmbedder(dir: string): Embedder {
  return staticEmbedder(readStaticModel(dir));
}

/** A model as float rows: the vocabulary's words, then its hash buckets. */
export type ModelRows = { vocab: string[]; hashBuckets: number; dimensions: number; vectors: Float32Array; weights: Float32Array; queryWeights?: Float32Array };

/** The model with only its first `words` words (vocabularies are in frequency order); the buckets stay. */
export function keepWords<M extends ModelRows>(m: M, words: number): M {
  const n = Math.min(words, m.vocab.length);
  const d = m.dimensions;
  const rows = (a: Float32Array, width: number) => {
    const out = new Float32Array((n + m.hashBuckets) * width);
    out.set(a.subarray(0, n * width));
    out.set(a.subarray(m.vocab.length * width), n * width);
    return out;
  };
  const queryWeights = m.queryWeights ? { queryWeights: rows(m.queryWeights, 1) } : {};
  return { ...m, vocab: m.vocab.slice(0, n), vectors: rows(m.vectors, d), weights: rows(m.weights, 1), ...queryWeights };
}

/**
 * Writes a model folder in the format above: float vectors (rows x dimensions, row-major) are stored
 * as int8 with a per-row scale (max |value| / 127).
 */
export function saveStaticModel(
  dir: string,
  m: {
    vocab: string[];
    hashBuckets?: number;
    dimensions: number;
    vectors: Float32Array;
    weights?: Float32Array;
    queryWeights?: Float32Array;
    meta?: Record<string, unknown>;
  },
): void {
  const buckets = m.hashBuckets ?? 0;
  const rows = m.vocab.length + buckets;
  if (m.vectors.length !== rows * m.dimensions) throw new Error(`${m.vectors.length} values for ${rows} rows x ${m.dimensions} dimensions`);
  if (m.queryWeights && !m.weights) throw new Error('query weights without document weights');
  for (const [file, a] of [['weights.f32', m.weights], ['query-weights.f32', m.queryWeights]] as const) {
    if (a && a.length !== rows) throw new Error(`${file}: ${a.length} values for ${rows} rows`);
  }
  const q = new Int8Array(rows * m.dimensions);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < m.dimensions; c++) max = Math.max(max, Math.abs(m.vectors[r * m.dimensions + c]!));
    const scale = max / 127 || 1;
    scales[r] = scale;
    for (let c = 0; c < m.dimensions; c++) q[r * m.dimensions + c] = Math.round(m.vectors[r * m.dimensions + c]! / scale);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'vocab.txt'), `${m.vocab.join('\n')}\n`);
  writeFileSync(join(dir, 'vectors.i8'), q);
  writeFileSync(join(dir, 'scales.f32'), new Uint8Array(scales.buffer));
  const floatFile = (file: string, a: Float32Array) => writeFileSync(join(dir, file), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  if (m.weights) floatFile('weights.f32', m.weights);
  if (m.queryWeights) floatFile('query-weights.f32', m.queryWeights);
  if (m.meta || buckets > 0 || m.queryWeights) {
    const version = m.queryWeights ? 3 : buckets > 0 ? 2 : 1;
    const head = buckets > 0 ? { format: `paperboy-static-${version}`, hashBuckets: buckets } : { format: `paperboy-static-${version}` };
    writeFileSync(join(dir, 'model.json'), `${JSON.stringify({ ...head, ...m.meta }, null, 2)}\n`);
  }
}

/** Initial vectors for words that have them (e.g. GloVe): unit or not, any scale. */
export type BaseVectors = {
  dimensions: number;
  vector(word: string): Float32Array | undefined;
  /** Row b of the base's hash buckets, when it has `buckets` of them (a retrain continues them). */
  bucket?(b: number, buckets: number): Float32Array | undefined;
};

/** A model's words (and hash buckets) as starting vectors for training (unit length). */
export function baseVectors(m: StaticModel): BaseVectors {
  return {
    dimensions: m.dimensions,
    vector: (w) => {
      const r = m.row.get(w);
      return r === undefined ? undefined : wordVector(m, r).slice();
    },
    bucket: (b, buckets) => (buckets === m.hashBuckets ? wordVector(m, m.vocab.length + b).slice() : undefined),
  };
}
