/**
 * Japan-time calendar arithmetic (Art. 11, D-1, D-15; docs/terms.md). Dates are `YYYY-MM-DD` strings; arithmetic runs on UTC
 * midnights, which is exact because a calendar date has no time zone once it is a date (JST has no DST).
 * Pure: no clock is read here.
 */
import holidays from '@holiday-jp/holiday_jp/lib/holidays';
import type { IsoDate, YearMonth } from './types';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
const holidayTable: Readonly<Record<string, { name: string; name_en: string }>> = holidays;

/** The first and last year the holiday data covers; business-day answers outside it would be guesses. */
export const CALENDAR_RANGE = { first: '2000-01-01', last: '2050-12-31' } as const;

/**
 * Company closures (D-1, Appendix 1 §1.3): the year-end/new-year break and 1 May, as named settings
 * (month-day pairs, inclusive), not a list of dates.
 */
const COMPANY_CLOSURES = {
  yearEndBreak: { from: '12-29', to: '01-03' },
  mayDay: { from: '05-01', to: '05-01' },
} as const;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [, y, mo, d] = m.map(Number) as [number, number, number, number];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(`${m[1]}-${m[2]}`) && y >= 1;
}

export function isYearMonth(value: string): boolean {
  const m = YEAR_MONTH.exec(value);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

function toEpochDay(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a date YYYY-MM-DD: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

function fromEpochDay(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function monthOf(date: IsoDate): YearMonth {
  return date.slice(0, 7);
}

export function daysInMonth(month: YearMonth): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function firstDayOf(month: YearMonth): IsoDate {
  return `${month}-01`;
}

export function lastDayOf(month: YearMonth): IsoDate {
  return `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
}

export function addMonths(month: YearMonth, n: number): YearMonth {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to` (0 when the same month; negative when `to` is earlier). */
export function monthsBetween(from: YearMonth, to: YearMonth): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}

/** The same day-of-month `n` months later (or earlier), clamped to that month's last day (Art. 11). */
function addMonthsClamped(date: IsoDate, n: number): IsoDate {
  const month = addMonths(monthOf(date), n);
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(month));
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** Art. 11: "one month before day E" — same day-of-month a month earlier, clamped (2027-03-31 → 2027-02-28). */
export function oneMonthBefore(date: IsoDate): IsoDate {
  return addMonthsClamped(date, -1);
}

/**
 * Art. 11: the last day of a period of `months` months starting at 00:00 of `start`: the day before the
 * same date that many months later; where that month has no such date, its last day (Civil Code Art. 143:
 * 2026-02-10 + 1 year → 2027-02-09; 2028-02-29 → 2029-02-28; 2027-01-31 + 1 month → 2027-02-28).
 */
export function lastDayOfPeriod(start: IsoDate, months: number): IsoDate {
  const month = addMonths(monthOf(start), months);
  const day = Number(start.slice(8, 10));
  return day > daysInMonth(month) ? lastDayOf(month) : addDays(`${month}-${start.slice(8, 10)}`, -1);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return new Date(toEpochDay(date) * DAY_MS).getUTCDay();
}

/** The Japanese national holiday on `date` (including substitute and citizens' holidays), if any. */
export function nationalHoliday(date: IsoDate): string | undefined {
  return holidayTable[date]?.name;
}

function inClosure(date: IsoDate): string | undefined {
  const md = date.slice(5);
  for (const [name, { from, to }] of Object.entries(COMPANY_CLOSURES)) {
    const inside = from <= to ? md >= from && md <= to : md >= from || md <= to;
    if (inside) return name;
  }
  return undefined;
}

/** Why `date` is not a business day of the company, or undefined when it is (D-1). */
export function nonBusinessReason(date: IsoDate): string | undefined {
  const dow = dayOfWeek(date);
  if (dow === 0) return 'Sunday';
  if (dow === 6) return 'Saturday';
  const holiday = nationalHoliday(date);
  if (holiday) return `national holiday (${holiday})`;
  const closure = inClosure(date);
  if (closure) return `company closure (${closure}, D-1)`;
  return undefined;
}

/** 当社営業日 (D-1): not a weekend, national holiday, 29 Dec–3 Jan, or 1 May. */
export function isBusinessDay(date: IsoDate): boolean {
  return nonBusinessReason(date) === undefined;
}

/** `date` itself when it is a business day, else the nearest earlier business day. */
export function businessDayOnOrBefore(date: IsoDate): IsoDate {
  let d = date;
  while (!isBusinessDay(d)) d = addDays(d, -1);
  return d;
}

/**
 * Bank holidays (D-20, 銀行法施行令 第5条): Saturdays, Sundays, national holidays and 31 Dec – 3 Jan. Not the
 * company's own closures (29–30 Dec, 1 May): banks are open then and a transfer arrives.
 */
const BANK_YEAR_END = { from: '12-31', to: '01-03' } as const;

/** Why `date` is not a bank business day (D-20), or undefined when it is. */
export function nonBankDayReason(date: IsoDate): string | undefined {
  const dow = dayOfWeek(date);
  if (dow === 0) return 'Sunday';
  if (dow === 6) return 'Saturday';
  const holiday = nationalHoliday(date);
  if (holiday) return `national holiday (${holiday})`;
  const md = date.slice(5);
  if (md >= BANK_YEAR_END.from || md <= BANK_YEAR_END.to) return 'bank year-end holiday (31 Dec – 3 Jan, D-20)';
  return undefined;
}

/** `date` itself when banks are open, else the nearest earlier bank business day (D-20). */
export function bankBusinessDayOnOrBefore(date: IsoDate): IsoDate {
  let d = date;
  while (nonBankDayReason(d) !== undefined) d = addDays(d, -1);
  return d;
}

/** The company's n-th business day of `month` (n ≥ 1). Appendix 3 §1 uses n = 2 for the first cloud fee. */
export function nthBusinessDay(month: YearMonth, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a whole number ≥ 1, got ${n}`);
  let d = firstDayOf(month);
  let seen = 0;
  for (;;) {
    if (isBusinessDay(d) && ++seen === n) return d;
    d = addDays(d, 1);
  }
}

/** Epoch milliseconds of 00:00 Japan time (UTC+9, no DST) on `date`: where a durable timer should fire. */
export function startOfDayJst(date: IsoDate): number {
  return toEpochDay(date) * DAY_MS - 9 * 3_600_000;
}

/** The Japan-time calendar date of an instant (epoch ms). */
export function jstDateOf(epochMs: number): IsoDate {
  return new Date(epochMs + 9 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * A Japan wall-clock time as a form's datetime-local sends it (`2026-05-01T09:00`, seconds optional) →
 * the ISO instant `2026-05-01T09:00:00+09:00` (Japan has no DST, so the offset is exact). Anything else is
 * returned as given, for the schema to refuse naming its field.
 */
export function jstLocalToInstant(local: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(local.trim());
  return m ? `${m[1]}T${m[2]}${m[3] ?? ':00'}+09:00` : local;
}
