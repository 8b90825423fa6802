import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { normalize } from '../embed/embedder.ts';
import { exactIndex, hnswIndex } from './vectors.ts';

/** Deterministic unit vectors in clusters (like papers on topics), from a seeded generator. */
function clustered(n: number, d: number, clusters: number, seed = 7): Float32Array[] {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: d }, rand));
  return Array.from({ length: n }, (_, i) => normalize(Float32Array.from(centres[i % clusters]!, (x) => x + 0.6 * rand())));
}

describe('exact index', () => {
  it('finds the nearest vectors by dot product and replaces a key in place', () => {
    const idx = exactIndex(2);
    idx.upsert(1, normalize(Float32Array.from([1, 0])));
    idx.upsert(2, normalize(Float32Array.from([0, 1])));
    idx.upsert(3, normalize(Float32Array.from([1, 1])));
    assert.deepEqual(idx.search(Float32Array.from([1, 0]), 2).map((h) => h.key), [1, 3]);
    idx.upsert(1, Float32Array.from([0, -1]));
    assert.equal(idx.size(), 3);
    assert.deepEqual(idx.search(Float32Array.from([1, 0]), 1).map((h) => h.key), [3]);
    assert.deepEqual([...idx.vector(1)!], [0, -1]);
    assert.throws(() => idx.upsert(4, Float32Array.from([1, 2, 3])), /3 dimensions in an index of 2/);
  });

  it('grows past its first allocation', () => {
    const vs = clustered(3000, 16, 10);
    const idx = exactIndex(16);
    for (const [i, v] of vs.entries()) idx.upsert(i, v);
    assert.equal(idx.size(), 3000);
    assert.equal(idx.search(vs[2999]!, 1)[0]!.key, 2999);
  });
});

describe('HNSW index', () => {
  it('agrees with exact search on most neighbours (recall@10 >= 0.9) and survives a save and load', () => {
    const vs = clustered(4000, 32, 40);
    const exact = exactIndex(32);
    const hnsw = hnswIndex(32);
    vs.forEach((v, i) => {
      exact.upsert(i, v);
      hnsw.upsert(i, v);
    });
    const queries = clustered(100, 32, 40, 99);
    let found = 0;
    for (const q of queries) {
      const truth = new Set(exact.search(q, 10).map((h) => h.key));
      found += hnsw.search(q, 10).filter((h) => truth.has(h.key)).length;
    }
    assert.ok(found / 1000 >= 0.9, `recall@10 ${found / 1000}`);
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-hnsw-'));
    try {
      hnsw.save(join(dir, 'i.usearch'));
      const loaded = hnswIndex(32, undefined, join(dir, 'i.usearch'));
      assert.equal(loaded.size(), 4000);
      assert.deepEqual(loaded.search(queries[0]!, 5).map((h) => h.key), hnsw.search(queries[0]!, 5).map((h) => h.key));
      const s = loaded.search(vs[5]!, 1)[0]!;
      assert.equal(s.key, 5);
      assert.ok(Math.abs(s.score - 1) < 1e-4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replaces the vector of a key it already has', () => {
    const h = hnswIndex(2);
    h.upsert(1, Float32Array.from([1, 0]));
    h.upsert(2, Float32Array.from([0, 1]));
    h.upsert(1, Float32Array.from([0, -1]));
    assert.equal(h.size(), 2);
    assert.equal(h.search(Float32Array.from([0, -1]), 1)[0]!.key, 1);
    h.upsertMany([1, 3], [Float32Array.from([1, 0]), Float32Array.from([0.6, 0.8])]);
    assert.equal(h.size(), 3);
    assert.deepEqual(h.search(Float32Array.from([1, 0]), 2).map((x) => x.key), [1, 3]);
  });
});
