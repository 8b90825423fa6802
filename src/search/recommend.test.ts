import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Paper } from '../domain/paper.ts';
import { recommend } from './recommend.ts';

const p = (id: string, featuredDate = '2026-06-10') => ({ id, title: id, featuredDate }) as Paper;
/** Related papers of each paper, best first. */
const RELATED: Record<string, Paper[]> = {
  a: [p('x'), p('y'), p('z')],
  b: [p('y'), p('w'), p('a')],
  c: [p('old', '2025-01-01'), p('z')],
};
const related = async (paper: Paper, limit: number) => (RELATED[paper.id] ?? []).slice(0, limit);
const ids = (rs: { paper: Paper }[]) => rs.map((r) => r.paper.id);

describe('recommend', () => {
  it('scores each candidate by the sum of 1/(1+rank) over the upvoted papers that brought it', async () => {
    // y: 1/2 (from a) + 1 (from b) = 1.5; x: 1; w: 1/2; z: 1/3 (a) + 1/2 (c) = 0.83; old: 1 (from c).
    const r = await recommend(related, [p('a'), p('b'), p('c')], { perLiked: 10, limit: 10, keep: (x) => x.id !== 'a' && x.id !== 'b' && x.id !== 'c' });
    assert.deepEqual(ids(r), ['y', 'x', 'old', 'z', 'w']);
    assert.equal(r[0]!.score, 1.5);
    assert.deepEqual(r[0]!.because.map((x) => x.id), ['b', 'a'], 'the closer reason first');
    assert.deepEqual(r.find((x) => x.paper.id === 'z')!.because.map((x) => x.id), ['c', 'a']);
  });

  it('leaves out what keep refuses (an upvoted paper, one featured too long ago), reads perLiked each, and stops at limit', async () => {
    const recent = (x: Paper) => x.featuredDate >= '2026-01-01' && x.id !== 'a';
    assert.deepEqual(ids(await recommend(related, [p('a'), p('b'), p('c')], { perLiked: 10, limit: 10, keep: recent })), ['y', 'x', 'z', 'w']);
    assert.deepEqual(ids(await recommend(related, [p('a'), p('b')], { perLiked: 1, limit: 10, keep: () => true })), ['x', 'y']);
    assert.deepEqual(ids(await recommend(related, [p('a'), p('b')], { perLiked: 10, limit: 2, keep: () => true })), ['y', 'x']);
    assert.deepEqual(await recommend(related, [], { perLiked: 10, limit: 10, keep: () => true }), []);
  });
});
