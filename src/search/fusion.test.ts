import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuse, RRF_K } from './fusion.ts';

const lex = [
  { id: 'a', score: 10 },
  { id: 'b', score: 8 },
  { id: 'c', score: 2 },
];
const sem = [
  { id: 'x', score: 0.9 },
  { id: 'c', score: 0.8 },
  { id: 'b', score: 0.1 },
];
const ids = (r: { id: string }[]) => r.map((x) => x.id);

describe('fuse', () => {
  it('weight 0 is the lexical ranking exactly, with no paper added', () => {
    assert.deepEqual(ids(fuse(lex, sem, 0)), ['a', 'b', 'c']);
  });

  it('weight 1 is the semantic ranking, then papers only the lexical list had', () => {
    assert.deepEqual(ids(fuse(lex, sem, 1)), ['x', 'c', 'b', 'a']);
  });

  it('scales each list between its floor (BM25 0, cosine -1) and its best score', () => {
    const r = fuse(lex, sem, 0.5);
    const score = (id: string) => r.find((x) => x.id === id)!.score;
    assert.ok(Math.abs(score('a') - 0.5 * 1) < 1e-9); // not in the semantic list: 0 there
    assert.ok(Math.abs(score('x') - 0.5 * 1) < 1e-9); // not in the lexical list: 0 there
    assert.ok(Math.abs(score('c') - (0.5 * 0.2 + 0.5 * (1.8 / 1.9))) < 1e-9);
    assert.deepEqual(r.find((x) => x.id === 'b'), { id: 'b', score: 0.5 * 0.8 + 0.5 * (1.1 / 1.9), lexical: 8, semantic: 0.1 });
  });

  it('keeps a lone word match on top at a small weight (per-list z-scores did not)', () => {
    const r = fuse([{ id: 'only', score: 3 }], [{ id: 'x', score: 0.95 }, { id: 'y', score: 0.9 }, { id: 'only', score: 0.5 }], 0.2);
    assert.equal(r[0]!.id, 'only');
  });

  it('reciprocal rank fusion sums weighted 1/(k + rank)', () => {
    const r = fuse(lex, sem, 0.5, 'rrf');
    const c = r.find((x) => x.id === 'c')!;
    assert.ok(Math.abs(c.score - (0.5 / (RRF_K + 3) + 0.5 / (RRF_K + 2))) < 1e-12);
    // b (ranks 2 and 3) and c (3 and 2) tie; ties keep the lexical order.
    assert.deepEqual(ids(r).slice(0, 2), ['b', 'c']);
  });

  it('clamps the weight to [0, 1] and handles empty lists', () => {
    assert.deepEqual(ids(fuse(lex, sem, -3)), ['a', 'b', 'c']);
    assert.deepEqual(ids(fuse([], sem, 0.5)), ['x', 'c', 'b']);
    assert.deepEqual(fuse([], [], 0.5), []);
  });
});
