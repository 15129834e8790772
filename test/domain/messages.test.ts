// The message catalogue (src/domain/messages): every entry in both languages, each really translated.
import { describe, expect, it } from 'vitest';
import { FIELD_WORDS, PAYER_CHANGE, SUBJECT, V, V_SAMPLES, WORD_TABLES, type Words } from '../../src/domain/messages';
import { applicationForm, commands, parseWith, schemasIn } from '../../src/domain/validation';

/** Hiragana, katakana, CJK ideographs, full-width forms: Japanese text. */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;
/**
 * English may quote a Japanese term in parentheses, as the terms name it — `the customer name (契約者名)`,
 * `choose cause (解除)` — and the English of the CLI, the API and the workflows has always done so; nothing else.
 */
const QUOTED_TERM = /\([\u3040-\u30ff\u3400-\u9fff]{1,12}\)/g;

function untranslated(name: string, w: Words): string[] {
  const found: string[] = [];
  if (!JAPANESE.test(w.ja)) found.push(`${name}: the Japanese has no Japanese: ${w.ja}`);
  if (w.ja === w.en) found.push(`${name}: the Japanese is the English: ${w.en}`);
  if (JAPANESE.test(w.en.replace(QUOTED_TERM, ''))) found.push(`${name}: the English has Japanese: ${w.en}`);
  return found;
}

const entries = (): Array<[string, Words]> => [
  ...Object.entries(WORD_TABLES).flatMap(([table, rows]) =>
    Object.entries(rows as Record<string, Words>).map(([k, w]): [string, Words] => [`${table}.${k}`, w]),
  ),
  ...Object.entries(FIELD_WORDS).map(([k, w]): [string, Words] => [`FIELD.${k}`, w]),
  ...Object.entries(SUBJECT).map(([k, w]): [string, Words] => [`SUBJECT.${k}`, w]),
  ...Object.entries(PAYER_CHANGE).map(([k, f]): [string, Words] => [`PAYER_CHANGE.${k}`, (f as (a: string) => Words)('1234567890')]),
  ...Object.entries(V).map(([k, f]): [string, Words] => [`V.${k}`, (f as (...a: unknown[]) => Words)(...(V_SAMPLES[k as keyof typeof V] as unknown[]))]),
];

describe('the message catalogue', () => {
  it('has every entry in Japanese and in English, neither a copy of the other', () => {
    const all = entries();
    expect(all.length).toBeGreaterThan(150);
    expect(all.flatMap(([name, w]) => untranslated(name, w))).toEqual([]);
  });

  it('finds an untranslated entry (the check itself)', () => {
    expect(untranslated('x', { ja: 'pending', en: 'pending' })).toHaveLength(2);
    expect(untranslated('x', { ja: '審査中', en: '審査中 pending' })).toHaveLength(1);
    expect(untranslated('x', { ja: '契約者名', en: 'the customer name (契約者名)' })).toEqual([]);
  });
});

describe('validation messages in the reader’s language', () => {
  const bad = { contractId: 'bad id!', customer: { name: ' ', email: 'nope' }, terms: { plan: 'gold', components: [] }, appliedOn: '2026-02-30' };

  it('answers in English by default, as the CLI, the API and the workflows always have', () => {
    const r = parseWith(applicationForm, bad);
    expect(r.ok ? [] : r.problems).toEqual(
      expect.arrayContaining([
        'customer.name: the customer name (契約者名) is empty',
        'customer.email: expected an e-mail address',
        'terms.plan: expected a plan: entry, standard, advanced, premium',
        'appliedOn: expected a date YYYY-MM-DD that exists on the calendar',
      ]),
    );
  });

  it('answers in Japanese with the field labelled and keyed, zod’s own messages included', () => {
    const ja = schemasIn('ja');
    const r = parseWith(ja.applicationForm, { ...bad, extra: 1 }, '', 'ja');
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        '契約ID (contractId): 契約IDは英数字・-・_ の1〜64文字です (担当者が目にするため個人情報は含めません)',
        '契約者名 (customer.name): 入力されていません',
        'メールアドレス (customer.email): メールアドレスの形式が正しくありません',
        'プラン (terms.plan): 次のいずれかを選んでください: entry, standard, advanced, premium',
        '構成 (terms.components): 構成 (VM) を1つ以上指定してください',
        '申込日 (appliedOn): 暦に存在する日付を YYYY-MM-DD で入力してください',
      ]),
    );
    // An unknown key has no message of ours: zod's Japanese one.
    expect(problems.find((p) => p.includes('extra'))).toMatch(JAPANESE);
    const pay = parseWith(ja.commands.pay, { requestId: 'r-1', actor: { id: 'p1', role: 'clerk', via: 'console' }, amount: 2_000_000_000 }, '', 'ja');
    expect(pay.ok ? [] : pay.problems).toEqual([
      '金額 (amount): 1回の入金は 1,000,000,000円 までです。これを超える振込は複数の入金として記録してください (D-29)',
    ]);
  });

  it('builds the English schemas once and leaves them English', () => {
    expect(schemasIn('en').commands).toBe(commands);
    const r = parseWith(commands.pay, { requestId: 'r-1', actor: { id: 'p1', role: 'clerk', via: 'console' }, amount: 0.5 });
    expect(r.ok ? [] : r.problems).toEqual(['amount: expected the payment in whole yen, without fractions']);
  });
});
