// Embedders turn text into unit-length vectors whose dot product measures closeness of meaning.
// Three kinds, chosen in config (EMBEDDER), in the manner of Meilisearch's "embedders":
//   static  word vectors averaged with per-word weights, from a local folder (no network, no model server)
//   openai  any OpenAI-compatible POST /v1/embeddings endpoint (self-hosted or hosted)
//   onnx    a sentence-embedding model exported to ONNX in a local folder (@huggingface/transformers)
// A vector is only ever compared with vectors of the same `model` string: switching models means
// re-embedding every paper ("reindex needed"), never a mix.

export type EmbedPurpose = 'query' | 'document';

export type Embedder = {
  /** Names the model exactly (kind, name, dimension, fingerprint): the key vectors are stored under. */
  readonly model: string;
  readonly dimensions: number;
  /** One unit-length vector per text, in order; words in `skip` (lower case) are left out where the model reads words. */
  embed(texts: string[], purpose: EmbedPurpose, skip?: ReadonlySet<string>): Promise<Float32Array[]>;
  /**
   * Words of the text the model has no row of its own for, which it reads through a shared hash
   * bucket. Such a word helps a query only if some paper has it: otherwise its bucket adds nothing but
   * the rare words it shares a row with, so search leaves it out.
   */
  bucketWords?(text: string): string[];
  /**
   * Words of `query` and `doc` that brought them together, most first (where the model can tell).
   * `docVector`: the document's vector from this model, when the caller has it (not embedded again).
   */
  explain?(query: string, doc: string, limit: number, docVector?: Float32Array): string[];
  /** The words the model knows, most frequent first (a static model's vocabulary: the corpus's words). */
  readonly vocabulary?: readonly string[];
};

export type EmbedderConfig =
  | { kind: 'none' }
  /** managed: the default model (bundled or retrained), which the retrain job may replace. */
  | { kind: 'static'; path: string; managed: boolean }
  | { kind: 'openai'; url: string; model: string; apiKey: string | undefined; dimensions: number | undefined; batchSize: number; timeoutMs: number }
  | { kind: 'onnx'; path: string; queryPrefix: string; documentPrefix: string };

/** The text of a paper that gets embedded. */
export const paperText = (p: { title: string; abstract: string }): string => `${p.title}\n${p.abstract}`;

/** Scales v to unit length in place (a zero vector stays zero) and returns it. */
export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Lower-case word tokens (letters and digits, inner hyphens and apostrophes kept). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu) ?? [];
}

/** A vector as bytes for storage (little-endian float32) and back. */
export const vectorToBytes = (v: Float32Array): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
export function bytesToVector(b: Uint8Array): Float32Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}
