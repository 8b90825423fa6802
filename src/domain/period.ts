// Calendar periods of the feed: a day (YYYY-MM-DD), an ISO week (YYYY-Www) or a month (YYYY-MM).
// Papers are listed by their featured day, a calendar date; bounds() gives the half-open range of
// featured days [start, end) that a period covers, so SQL compares plain date strings.
// Pure: no I/O and no clock; "today" is computed from an instant passed in.
import { err, ok, type Result } from './result.ts';

export type Day = string; // YYYY-MM-DD
export type Period =
  | { kind: 'day'; date: Day }
  | { kind: 'week'; year: number; week: number }
  | { kind: 'month'; year: number; month: number };
export type PeriodKind = Period['kind'];
export type PeriodError = 'invalid_date' | 'invalid_week' | 'invalid_month';
export type Bounds = { start: Day; end: Day };

const DAY_MS = 86_400_000;
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const toDay = (ms: number): Day => new Date(ms).toISOString().slice(0, 10);
const dayMs = (d: Day): number => Date.parse(`${d}T00:00:00Z`);

export function parseDay(s: string): Result<Day, PeriodError> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return err('invalid_date');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (y < 1900 || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return err('invalid_date');
  return ok(s);
}

export function parseWeek(s: string): Result<Period & { kind: 'week' }, PeriodError> {
  const m = /^(\d{4})-W(\d{2})$/.exec(s);
  if (!m) return err('invalid_week');
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1900 || week < 1 || week > weeksInYear(year)) return err('invalid_week');
  return ok({ kind: 'week', year, week });
}

export function parseMonth(s: string): Result<Period & { kind: 'month' }, PeriodError> {
  const m = /^(\d{4})-(\d{2})$/.exec(s);
  if (!m) return err('invalid_month');
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < 1900 || month < 1 || month > 12) return err('invalid_month');
  return ok({ kind: 'month', year, month });
}

/** Monday of ISO week 1: the week that holds the year's first Thursday (so Jan 4 is always in it). */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - dow * DAY_MS;
}

export function isoWeekOf(d: Day): { year: number; week: number } {
  const t = dayMs(d);
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  const thursday = t + (3 - dow) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - isoWeekOneMonday(year)) / (7 * DAY_MS));
  return { year, week };
}

export const weeksInYear = (year: number): number => isoWeekOf(`${year}-12-28`).week;

export function periodOf(kind: PeriodKind, d: Day): Period {
  if (kind === 'day') return { kind, date: d };
  if (kind === 'week') return { kind, ...isoWeekOf(d) };
  return { kind, year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)) };
}

export function bounds(p: Period): Bounds {
  switch (p.kind) {
    case 'day':
      return { start: p.date, end: addDays(p.date, 1) };
    case 'week': {
      const start = isoWeekOneMonday(p.year) + (p.week - 1) * 7 * DAY_MS;
      return { start: toDay(start), end: toDay(start + 7 * DAY_MS) };
    }
    case 'month': {
      const next = p.month === 12 ? `${p.year + 1}-01-01` : `${p.year}-${pad(p.month + 1)}-01`;
      return { start: `${p.year}-${pad(p.month)}-01`, end: next };
    }
  }
}

export function periodKey(p: Period): string {
  if (p.kind === 'day') return p.date;
  if (p.kind === 'week') return `${p.year}-W${pad(p.week)}`;
  return `${p.year}-${pad(p.month)}`;
}

export const addDays = (d: Day, n: number): Day => toDay(dayMs(d) + n * DAY_MS);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/** "Jun 30, 2026". */
export function formatDay(d: Day): string {
  return `${MONTHS[Number(d.slice(5, 7)) - 1]} ${Number(d.slice(8, 10))}, ${d.slice(0, 4)}`;
}

/** "June 2026" for a YYYY-MM month. */
export function formatMonth(ym: string): string {
  return `${LONG_MONTHS[Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`;
}

export function periodLabel(p: Period): string {
  if (p.kind === 'day') return formatDay(p.date);
  if (p.kind === 'month') return formatMonth(periodKey(p));
  const b = bounds(p);
  return `Week ${p.week}, ${p.year} (${formatDay(b.start)} – ${formatDay(addDays(b.end, -1))})`;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in an IANA time zone. */
export function dayInZone(instant: Date, timeZone: string): Day {
  let f = dayFormats.get(timeZone);
  if (!f) {
    // en-CA formats dates as YYYY-MM-DD. Building a formatter costs ~0.2 ms; keep one per zone.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(instant);
}

export const isValidTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
