/**
 * Money helpers. Arithmetic on yen runs in decimal.js (never float); only whole yen leave the domain.
 * Pure: safe inside the Temporal workflow sandbox.
 */
import Decimal from 'decimal.js';
import type { Yen } from './types';

/**
 * The domain's Decimal: 40 significant digits, rounding toward zero, so a division never rounds a
 * quotient up across a whole yen before the fraction is discarded (Appendix 3 §2: 切り捨て).
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_DOWN });
export type Dec = Decimal;

/** Whole yen from a decimal value, fraction discarded toward zero. Throws on NaN/∞ or beyond safe integers. */
export function yen(value: Decimal.Value): Yen {
  const d = new Dec(value);
  if (!d.isFinite()) throw new RangeError(`not a finite amount: ${String(value)}`);
  const n = d.trunc().toNumber();
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount out of range: ${d.toString()}`);
  return n === 0 ? 0 : n; // no -0 on invoices
}

/** Exact sum of whole-yen amounts. */
export function sumYen(values: readonly Yen[]): Yen {
  return yen(values.reduce((acc: Decimal, v) => acc.plus(requireYen(v)), new Dec(0)));
}

/** A precondition: `value` is whole yen (a safe integer). Returns it; throws RangeError otherwise. */
export function requireYen(value: Yen, what = 'amount'): Yen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be whole yen, got ${value}`);
  return value;
}

/** A precondition: `value` is a whole number ≥ 0 (a count of components, months, days). */
export function requireCount(value: number, what = 'count'): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${value}`);
  return value;
}

/** `85,600円`, `-3,000円` — digit grouping without Intl, so the text is the same in every runtime. */
export function formatYen(value: Yen): string {
  const digits = String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${digits}円`;
}

/**
 * An amount as a clerk types it — `84700`, `84,700`, `８４，７００`, `84,700円`, `¥84,700`, `-5,000` —
 * in whole yen; undefined for anything else, such as `1,2,3`, `84,70` (commas group three digits) or `²`.
 */
export function parseYenText(text: string): number | undefined {
  // Only digits a keyboard types (ASCII or full-width), grouping commas, a minus, ¥ and 円: NFKC below would
  // otherwise read `²` or `①` as digits.
  if (!/^[\s0-9０-９,，\-－¥￥円]*$/.test(text)) return undefined;
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/^[¥￥]/, '')
    .replace(/円$/, '')
    .trim();
  if (!/^-?(\d+|\d{1,3}(,\d{3})+)$/.test(t)) return undefined;
  const n = Number(t.replace(/,/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}
