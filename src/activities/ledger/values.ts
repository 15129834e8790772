/** What every store shares: reading rows back from either engine, the refusal of bad input, the error mapping. */
import { z } from 'zod';
import { isIsoDate, isYearMonth } from '../../domain/calendar';
import { classifyDbError } from '../errors';

export type Row = Record<string, unknown>;
export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** jsonb arrives parsed from both engines; be lenient with a string. */
export const jsonList = (v: unknown): string[] | null => (v === null || v === undefined ? null : ((typeof v === 'string' ? JSON.parse(v) : v) as string[]));

/** A database error as a Temporal failure: bad data for good, the rest retried (errors.ts). */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw classifyDbError(err);
  }
}

// Input validation: bad data fails for good, with the field named.
export const isoDate = z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD');
export const yearMonth = z.string().refine(isYearMonth, 'expected a month YYYY-MM');
export const wholeYen = z.number().refine(Number.isSafeInteger, 'expected whole yen (an integer)');
export const key = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');
