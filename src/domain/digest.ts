// Email digests: when one is due, which period it covers, which featured days it draws from. Daily
// digests go out every day at a local hour (skipped when nothing is new), weekly ones on a chosen
// weekday; all in the subscriber's time zone, across daylight-saving changes. Pure: `now` is passed in.
import { addDays, dayInZone, type Day, isoWeekOf } from './period.ts';

export type DigestSchedule = { frequency: 'daily' | 'weekly'; weekday: number; hour: number; timeZone: string };

/** Papers in one digest, at most. */
export const DIGEST_PAPERS = 10;

const pad = (n: number) => String(n).padStart(2, '0');

const formats = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone is ahead of UTC at this instant (e.g. +120 in Paris in summer). */
function offsetMinutes(instant: number, timeZone: string): number {
  let f = formats.get(timeZone);
  if (!f) {
    // A formatter costs ~0.2 ms to build; digests compute thousands of times per run.
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant a local wall-clock time happens in a zone (the later one after a DST gap). */
export function zonedInstant(day: Day, hour: number, timeZone: string): Date {
  const wall = Date.parse(`${day}T${pad(hour)}:00:00Z`);
  let t = wall - offsetMinutes(wall, timeZone) * 60_000;
  t = wall - offsetMinutes(t, timeZone) * 60_000; // once more: the offset at the instant itself
  return new Date(t);
}

/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday. */
export const weekdayOf = (d: Day): number => ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The first delivery time strictly after `after`. */
export function nextDue(s: DigestSchedule, after: Date): Date {
  let day = dayInZone(after, s.timeZone);
  for (let i = 0; i < 9; i++, day = addDays(day, 1)) {
    if (s.frequency === 'weekly' && weekdayOf(day) !== s.weekday) continue;
    const t = zonedInstant(day, s.hour, s.timeZone);
    if (t.getTime() > after.getTime()) return t;
  }
  throw new Error('unreachable: a weekday recurs within 8 days');
}

/** The period a delivery at `due` covers: its local day (daily) or ISO week (weekly): one digest per period. */
export function digestPeriod(s: DigestSchedule, due: Date): string {
  const day = dayInZone(due, s.timeZone);
  if (s.frequency === 'daily') return day;
  const w = isoWeekOf(day);
  return `${w.year}-W${pad(w.week)}`;
}

/**
 * The featured days a digest draws from, [start, end): the last 2 days for a daily one (so a paper
 * featured late yesterday is not missed; papers sent before are left out anyway), the last 7 for a weekly.
 */
export function digestWindow(s: DigestSchedule, due: Date): { start: Day; end: Day } {
  const day = dayInZone(due, s.timeZone);
  return { start: addDays(day, s.frequency === 'daily' ? -1 : -6), end: addDays(day, 1) };
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function describeSchedule(s: DigestSchedule): string {
  const at = `${pad(s.hour)}:00 (${s.timeZone})`;
  return s.frequency === 'daily' ? `daily at ${at}, skipping days with nothing new` : `weekly on ${WEEKDAYS[s.weekday - 1]} at ${at}`;
}
