import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trendingScore } from './trending.ts';

const now = Date.parse('2026-07-02T00:00:00Z');

describe('trendingScore', () => {
  it('follows the documented formula', () => {
    // Featured 2026-07-01: 24 hours old.
    assert.equal(trendingScore(10, '2026-07-01', now), 11 / 26 ** 1.5);
    assert.equal(trendingScore(0, '2026-07-02', now), 1 / 2 ** 1.5);
  });
  it('rises with votes and falls with age', () => {
    assert.ok(trendingScore(5, '2026-07-01', now) > trendingScore(4, '2026-07-01', now));
    assert.ok(trendingScore(5, '2026-07-01', now) > trendingScore(5, '2026-06-30', now));
  });
  it('lets a fresh paper with a few votes pass an old one with many', () => {
    assert.ok(trendingScore(5, '2026-07-01', now) > trendingScore(50, '2026-06-24', now));
  });
  it('orders unvoted papers newest first and never goes negative', () => {
    assert.ok(trendingScore(0, '2026-07-01', now) > trendingScore(0, '2026-06-30', now));
    assert.ok(trendingScore(-3, '2026-07-01', now) > 0);
    // A featured day in the future counts as age 0, not negative.
    assert.equal(trendingScore(0, '2026-07-05', now), 1 / 2 ** 1.5);
  });
});
