/** How the notices and the invoice document write amounts, dates and months. No Intl: same text everywhere. */
import { yenIn } from '../../domain/messages';
import { Dec, formatYen } from '../../domain/money';
import type { IsoDate, YearMonth, Yen } from '../../domain/types';

/** `84,700円`, `-3,000円`. */
export const yenText = (value: Yen): string => formatYen(value);
/** The English rendering's `84,700 yen` (the message catalogue's, as the console writes it). */
export const enYen = (value: Yen): string => yenIn('en', value);

/** A rate as a percentage: `'0.145'` → `14.5%` (exact, no float). */
export function percentText(rate: string): string {
  return `${new Dec(rate).times(100).toString()}%`;
}

/** `2026年3月31日` */
export function jaDate(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${Number(y)}年${Number(m)}月${Number(d)}日`;
}

/** `2026年2月` */
export function jaMonth(month: YearMonth): string {
  const [y, m] = month.split('-');
  return `${Number(y)}年${Number(m)}月`;
}

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `February 2026` */
export function enMonth(month: YearMonth): string {
  const [y, m] = month.split('-');
  return `${EN_MONTHS[Number(m) - 1] ?? m} ${Number(y)}`;
}

/** English dates stay ISO (`2026-03-31`): unambiguous for every reader. */
export function enDate(date: IsoDate): string {
  return date;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const JST_OFFSET_MS = 9 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');
/** An instant in Japan time: `2026年6月10日 02:00（日本時間）`. */
export function jaInstant(instant: string): string {
  const t = new Date(Date.parse(instant) + JST_OFFSET_MS);
  return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}（日本時間）`;
}
/** An instant in Japan time, ISO-like: `2026-06-10 02:00 JST`. */
export function enInstant(instant: string): string {
  const t = new Date(Date.parse(instant) + JST_OFFSET_MS);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())} JST`;
}
