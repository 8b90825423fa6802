import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addDays, bounds, dayInZone, formatDay, isoWeekOf, parseDay, parseMonth, parseWeek, periodKey, periodLabel, periodOf, weeksInYear,
} from './period.ts';

describe('parsing periods', () => {
  it('accepts real calendar days only', () => {
    assert.equal(parseDay('2026-06-30').ok, true);
    assert.equal(parseDay('2024-02-29').ok, true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-6-3', '26-06-30', '2026-06-31', '', '2026-06-30T00:00', '1850-01-01']) {
      assert.deepEqual(parseDay(bad), { ok: false, error: 'invalid_date' }, bad);
    }
  });
  it('accepts ISO weeks that exist in their year', () => {
    assert.deepEqual(parseWeek('2026-W27'), { ok: true, value: { kind: 'week', year: 2026, week: 27 } });
    assert.equal(parseWeek('2026-W53').ok, true); // 2026 starts on a Thursday: 53 weeks
    assert.equal(parseWeek('2025-W53').ok, false);
    for (const bad of ['2026-W00', '2026-W54', '2026W27', '2026-w27', '2026-W7']) assert.equal(parseWeek(bad).ok, false, bad);
  });
  it('accepts months', () => {
    assert.deepEqual(parseMonth('2026-06'), { ok: true, value: { kind: 'month', year: 2026, month: 6 } });
    for (const bad of ['2026-13', '2026-00', '2026-6', '2026/06']) assert.equal(parseMonth(bad).ok, false, bad);
  });
});

describe('ISO weeks', () => {
  const cases: [string, number, number][] = [
    ['2026-01-01', 2026, 1], // Thursday
    ['2025-12-29', 2026, 1], // Monday of the same week
    ['2021-01-03', 2020, 53], // Sunday belongs to 2020-W53
    ['2024-12-30', 2025, 1],
    ['2026-06-30', 2026, 27],
    ['2027-01-03', 2026, 53],
  ];
  for (const [day, year, week] of cases) it(`${day} is in ${year}-W${week}`, () => assert.deepEqual(isoWeekOf(day), { year, week }));
  it('counts weeks per year', () => {
    assert.equal(weeksInYear(2020), 53);
    assert.equal(weeksInYear(2025), 52);
    assert.equal(weeksInYear(2026), 53);
  });
});

describe('bounds', () => {
  it('gives half-open ranges of featured days', () => {
    assert.deepEqual(bounds({ kind: 'day', date: '2026-02-28' }), { start: '2026-02-28', end: '2026-03-01' });
    assert.deepEqual(bounds({ kind: 'week', year: 2026, week: 1 }), { start: '2025-12-29', end: '2026-01-05' });
    assert.deepEqual(bounds({ kind: 'week', year: 2020, week: 53 }), { start: '2020-12-28', end: '2021-01-04' });
    assert.deepEqual(bounds({ kind: 'month', year: 2026, month: 12 }), { start: '2026-12-01', end: '2027-01-01' });
  });
  it('round-trips every day of a year through its week and month', () => {
    for (let d = '2025-12-20'; d < '2027-01-10'; d = addDays(d, 1)) {
      for (const kind of ['week', 'month'] as const) {
        const b = bounds(periodOf(kind, d));
        assert.ok(b.start <= d && d < b.end, `${d} in ${kind} ${JSON.stringify(b)}`);
      }
    }
  });
});

describe('labels and zones', () => {
  it('formats', () => {
    assert.equal(formatDay('2026-06-01'), 'Jun 1, 2026');
    assert.equal(periodKey({ kind: 'week', year: 2026, week: 7 }), '2026-W07');
    assert.equal(periodLabel({ kind: 'month', year: 2026, month: 6 }), 'June 2026');
    assert.equal(periodLabel({ kind: 'week', year: 2026, week: 27 }), 'Week 27, 2026 (Jun 29, 2026 – Jul 5, 2026)');
  });
  it('computes today in a time zone', () => {
    const t = new Date('2026-06-30T23:30:00Z');
    assert.equal(dayInZone(t, 'UTC'), '2026-06-30');
    assert.equal(dayInZone(t, 'Europe/Paris'), '2026-07-01');
    assert.equal(dayInZone(t, 'America/Los_Angeles'), '2026-06-30');
  });
});
