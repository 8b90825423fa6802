import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digestPeriod, digestWindow, nextDue, weekdayOf, zonedInstant } from './digest.ts';

describe('digest schedule', () => {
  it('finds the local hour in a zone, across daylight saving', () => {
    assert.equal(zonedInstant('2026-07-01', 7, 'Europe/Paris').toISOString(), '2026-07-01T05:00:00.000Z');
    assert.equal(zonedInstant('2026-01-15', 7, 'Europe/Paris').toISOString(), '2026-01-15T06:00:00.000Z');
    assert.equal(zonedInstant('2026-03-08', 7, 'America/New_York').toISOString(), '2026-03-08T11:00:00.000Z'); // the DST day
    assert.equal(zonedInstant('2026-07-01', 7, 'Asia/Kolkata').toISOString(), '2026-07-01T01:30:00.000Z');
    assert.equal(zonedInstant('2026-07-01', 0, 'UTC').toISOString(), '2026-07-01T00:00:00.000Z');
  });

  it('is due next at the local hour: today if still ahead, else tomorrow; weekly on its weekday', () => {
    const daily = { frequency: 'daily' as const, weekday: 1, hour: 7, timeZone: 'Europe/Paris' };
    assert.equal(nextDue(daily, new Date('2026-07-01T04:00:00Z')).toISOString(), '2026-07-01T05:00:00.000Z');
    assert.equal(nextDue(daily, new Date('2026-07-01T05:00:00Z')).toISOString(), '2026-07-02T05:00:00.000Z');
    const weekly = { frequency: 'weekly' as const, weekday: 5, hour: 18, timeZone: 'America/Los_Angeles' };
    assert.equal(weekdayOf('2026-07-03'), 5);
    assert.equal(nextDue(weekly, new Date('2026-07-01T00:00:00Z')).toISOString(), '2026-07-04T01:00:00.000Z'); // Fri 18:00 PDT
    assert.equal(nextDue(weekly, new Date('2026-07-04T01:00:00Z')).toISOString(), '2026-07-11T01:00:00.000Z');
  });

  it('names one period per local day or ISO week, and draws from the days before it', () => {
    const daily = { frequency: 'daily' as const, weekday: 1, hour: 7, timeZone: 'Asia/Tokyo' };
    assert.equal(digestPeriod(daily, new Date('2026-06-30T22:00:00Z')), '2026-07-01');
    assert.deepEqual(digestWindow(daily, new Date('2026-06-30T22:00:00Z')), { start: '2026-06-30', end: '2026-07-02' });
    const weekly = { ...daily, frequency: 'weekly' as const };
    assert.equal(digestPeriod(weekly, new Date('2026-07-01T00:00:00Z')), '2026-W27');
    assert.deepEqual(digestWindow(weekly, new Date('2026-07-01T00:00:00Z')), { start: '2026-06-25', end: '2026-07-02' });
  });
});
