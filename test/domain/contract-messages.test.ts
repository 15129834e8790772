/**
 * The contract's refusals and answers in the message catalogue (issue 30): every message has a Japanese text written in Japanese
 * and an English text written in English — rendered here with sample facts for each entry, so a message
 * added with one language missing, copied, or left in the other language fails.
 */
import { describe, expect, it } from 'vitest';
import { REFUSALS, SUMMARIES, type Facts } from '../../src/domain/messages';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
/** Facts of any name: a date-like text, which every template can hold (numbers print as text too). */
const SAMPLE = new Proxy({} as Facts, { get: (_t, key) => (key === 'doing' ? 'cancellation' : key === 'status' ? 'active' : '2026-12-08') });

type Entry = { ja: (f: Facts) => string; en: (f: Facts) => string };
const entries = (table: object) => Object.entries(table as Record<string, Entry>);

describe("the contract's refusals and answers in the catalogue", () => {
  it.each([...entries(REFUSALS), ...entries(SUMMARIES)])('%s: Japanese in Japanese, English in English, not the same', (_code, entry) => {
    const ja = entry.ja(SAMPLE);
    const en = entry.en(SAMPLE);
    expect(ja).toMatch(JAPANESE);
    // English may quote an article of the terms (第5条) only as the facts give it; with these facts, none.
    expect(en).not.toMatch(JAPANESE);
    expect(ja).not.toBe(en);
  });

  it('writes amounts with separators in Japanese, and statuses by their Japanese names', () => {
    expect(SUMMARIES.paymentApplied.ja({ amount: 1234567, paidOn: '', damages: 0, unapplied: 30000 })).toBe(
      '入金 1,234,567円 を充当しました。30,000円 を前受金として預かります',
    );
    expect(REFUSALS.notWhile.ja({ doing: 'cancellation', status: 'pending' })).toBe('契約が「審査中」のため、解約はできません');
    expect(REFUSALS.notWhile.en({ doing: 'cancellation', status: 'pending' })).toBe(
      'cancellation is not possible while the contract is pending (awaiting approval)',
    );
  });
});
