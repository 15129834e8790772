/** How the back-office CLI writes amounts, dates and tables for a clerk's terminal. */
import { jstDateOf } from '../domain/calendar';
import { formatYen } from '../domain/money';
import type { IsoDate, Yen } from '../domain/types';

/** `84,700円`, `-3,000円`. */
export function yen(value: Yen | null | undefined): string {
  return value === null || value === undefined ? '—' : formatYen(value);
}

/** ISO dates (`2026-03-31`) are unambiguous for every reader; a missing one is a dash. */
export function date(value: IsoDate | null | undefined): string {
  return value ?? '—';
}

/** A Date from a search attribute or the server (an instant) as the Japan-time calendar day. */
export function jstDay(value: Date | null | undefined): string {
  return value ? jstDateOf(value.getTime()) : '—';
}

/** An instant for an operator: Japan time, to the minute. */
export function jstTime(value: Date | null | undefined): string {
  if (!value) return '—';
  const t = new Date(value.getTime() + 9 * 3_600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)} JST`;
}

/** Terminal columns a string takes: East Asian wide and full-width characters count two. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

/** A plain-text table: a header, a rule, one line per row; money right-aligned. */
export function table<T>(rows: T[], columns: Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => c.value(r)));
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...cells.map((row) => displayWidth(row[i]!))));
  const line = (values: string[]) =>
    values
      .map((v, i) => pad(v, widths[i]!, columns[i]!.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)].join('\n');
}

/** `label   value` lines with the values aligned. */
export function fields(pairs: Array<[string, string] | null | false>, indent = '  '): string {
  const present = pairs.filter((p): p is [string, string] => Array.isArray(p));
  const width = Math.max(0, ...present.map(([k]) => displayWidth(k)));
  return present.map(([k, v]) => `${indent}${pad(k, width, 'left')}  ${v}`).join('\n');
}

/** Keys of command results that hold yen amounts. */
const MONEY_KEYS = new Set([
  'earlyTerminationFee',
  'compensation',
  'fixedMonthlyFee',
  'downgradeSettlement',
  'credit',
  'reduction',
  'amount',
  'applied',
  'unapplied',
  'lateDamages',
  'outstanding',
  'balance',
  'refund',
  'advance',
]);

/** `earlyTerminationFee` → `early termination fee`. */
export function humanKey(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A value from a command result, with yen for amounts. */
export function resultValue(key: string, value: unknown): string {
  if (typeof value === 'number' && MONEY_KEYS.has(key)) return yen(value);
  if (key === 'allocations' && Array.isArray(value))
    return value.length ? value.map((a: { period?: string; amount?: number }) => `${a.period} ${yen(a.amount)}`).join(', ') : '—';
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ') : '—';
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Workflow summaries say `129800 yen`; a clerk reads `129,800円`. */
export function yenInText(text: string): string {
  return text.replace(/(-?\d+) yen\b/g, (_m, n: string) => yen(Number(n)));
}
