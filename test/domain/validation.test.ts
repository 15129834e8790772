// The messages a clerk sees for bad input: the field, the reason; nothing else is run.
import type { Actor } from '../../src/domain/actor';
import { describe, expect, it } from 'vitest';
import { application, applicationForm, commands, contactChange, parseWith } from '../../src/domain/validation';

const terms = { plan: 'standard', components: [{ os: 'linux' }] };
const customer = { name: '株式会社サンプル', email: 'billing@example.co.jp' };
/** The application as the contract receives it: the customer by the ledger's id only (Art. 12-3). */
const good = { contractId: 'C-0001', customerId: 'cus-0001', terms, appliedOn: '2026-01-05' };
/** The application form the back office takes in: the contact goes to the ledger, the rest to the contract. */
const form = { contractId: 'C-0001', customer, terms, appliedOn: '2026-01-05' };

describe('application', () => {
  it('accepts a good one and fills the defaults', () => {
    expect(parseWith(application, good)).toEqual({ ok: true, value: { ...good, terms: { ...terms, metricCapRelaxations: 0, cloudMonthlyFee: 0 } } });
  });

  it('names every bad field', () => {
    const r = parseWith(application, {
      ...good,
      contractId: 'bad id!',
      customerId: 'cus 0001',
      terms: { plan: 'gold', components: [], cloudMonthlyFee: -1 },
      appliedOn: '2026-02-30',
    });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^contractId: a contract id is/),
        expect.stringMatching(/^customerId: a customer id is 1–64 letters/),
        expect.stringMatching(/^terms\.plan: expected a plan: entry, standard, advanced, premium/),
        expect.stringMatching(/^terms\.components: at least one component/),
        expect.stringMatching(/^terms\.cloudMonthlyFee: the cloud resource fee cannot be negative/),
        expect.stringMatching(/^appliedOn: expected a date YYYY-MM-DD that exists/),
      ]),
    );
  });

  it('refuses contact details: the contract holds none (they belong to the ledger)', () => {
    const r = parseWith(application, { ...good, customer });
    expect(r.ok).toBe(false);
    expect((r.ok ? [] : r.problems).join('\n')).toMatch(/customer/);
    expect(parseWith(application, { contractId: 'C-0001', terms, appliedOn: '2026-01-05' })).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^customerId: expected a customer id/)],
    });
  });

  it('refuses dates the holiday calendar does not cover', () => {
    expect(parseWith(application, { ...good, appliedOn: '2051-01-05' })).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('between 2000-01-01 and 2050-12-31')],
    });
  });
});

describe('application form (Art. 7, 12-3)', () => {
  it('accepts the contact with or without the optional details', () => {
    expect(parseWith(applicationForm, form)).toEqual({ ok: true, value: { ...form, terms: { ...terms, metricCapRelaxations: 0, cloudMonthlyFee: 0 } } });
    const full = { ...customer, contactPerson: '山田 太郎', address: '大阪府大阪市北区1-1-1', phone: '+81 6-1234-5678' };
    expect(parseWith(applicationForm, { ...form, customer: full })).toMatchObject({ ok: true, value: { customer: full } });
  });

  it('names every bad contact field', () => {
    const r = parseWith(applicationForm, { ...form, customer: { name: '', email: 'nope', contactPerson: '  ', phone: 'call me' } });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^customer\.name: the customer name \(契約者名\) is empty/),
        expect.stringMatching(/^customer\.email: expected an e-mail address/),
        expect.stringMatching(/^customer\.contactPerson: the contact person \(担当者\) is empty/),
        expect.stringMatching(/^customer\.phone: expected a phone number/),
      ]),
    );
    expect(parseWith(applicationForm, { ...form, customer: { ...customer, fax: '06-0000-0000' } })).toMatchObject({ ok: false });
  });
});

describe('contact change (Art. 12-3)', () => {
  it('takes any of the fields, trimmed', () => {
    expect(parseWith(contactChange, { email: 'new@example.co.jp' })).toEqual({ ok: true, value: { email: 'new@example.co.jp' } });
    expect(parseWith(contactChange, { address: '  東京都千代田区1-1 ', phone: '03-1234-5678' })).toEqual({
      ok: true,
      value: { address: '東京都千代田区1-1', phone: '03-1234-5678' },
    });
  });

  it('refuses an empty change, a bad address and unknown fields', () => {
    expect(parseWith(contactChange, {})).toMatchObject({ ok: false, problems: [expect.stringContaining('a contact change names at least one of')] });
    expect(parseWith(contactChange, { email: 'not-an-address' })).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^email: expected an e-mail address/)],
    });
    expect(parseWith(contactChange, { email: 'a@b.example', customerId: 'x' })).toMatchObject({ ok: false });
  });
});

const SYSTEM: Actor = { id: 'system:test', role: 'system', via: 'system' };

describe('commands', () => {
  it.each([
    ['pay', { requestId: 'r', amount: 10.5 }, 'amount: expected the payment in whole yen, without fractions'],
    ['pay', { requestId: 'r', amount: -1 }, 'amount: the payment must be at least 1 yen'],
    ['pay', { requestId: 'r', amount: '100' }, 'amount: expected the payment in whole yen (a number)'],
    ['cancel', { requestId: 'r' }, 'endDate: expected a date YYYY-MM-DD'],
    ['charge', { requestId: 'r', description: 'x'.repeat(201), amount: 1, taxable: true }, 'description: the description is longer than 200 characters'],
    [
      'reportOutage',
      { requestId: 'r', scope: 'cloud', knownAt: '2026-04-10T09:00:00+09:00', restoredAt: '2026-04-10T08:00:00+09:00' },
      'restoredAt: restoredAt must be after knownAt',
    ],
    ['requestChange', { requestId: 'r' }, 'a change request names at least one of'],
    ['approve', { startDate: '2026-02-02' }, 'requestId: expected a request id'],
    ['changeContact', { requestId: 'r', contactRevision: 1 }, 'contactRevision: the contact revision of a change is at least 2'],
    ['changeContact', { requestId: 'r', contactRevision: 2.5 }, 'contactRevision: the contact revision is a whole number'],
    ['changeContact', { requestId: 'r' }, 'contactRevision: expected the contact revision the ledger answered'],
  ] as const)('%s %j → %s', (name, input, message) => {
    const r = parseWith(commands[name], { actor: SYSTEM, ...input });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.problems).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  it('refuses unknown fields rather than ignoring them', () => {
    expect(parseWith(commands.pay, { requestId: 'r', actor: SYSTEM, amount: 1, currency: 'USD' })).toMatchObject({ ok: false });
    // Art. 12-3: the contract takes no contact detail with a change, only the ledger's revision
    expect(parseWith(commands.changeContact, { requestId: 'r', actor: SYSTEM, contactRevision: 2, email: 'new@example.co.jp' })).toMatchObject({ ok: false });
    expect(parseWith(commands.changeContact, { requestId: 'r', actor: SYSTEM, contactRevision: 2 })).toEqual({
      ok: true,
      value: { requestId: 'r', actor: SYSTEM, contactRevision: 2 },
    });
    // Every command names who asks (docs/architecture.md, one command's path).
    expect(parseWith(commands.pay, { requestId: 'r', amount: 1 })).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('actor: expected the actor { id, role, via } (who asks)')],
    });
    expect(parseWith(commands.pay, { requestId: 'r', amount: 1, actor: { id: 'x', role: 'boss', via: 'cli' } })).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('actor.role: expected a role')],
    });
  });
});

describe('a payment’s size (D-29)', () => {
  it('takes up to 1,000,000,000 yen in one payment and names the field above it (the 999,999,999,999 yen a clerk once keyed)', () => {
    expect(parseWith(commands.pay, { requestId: 'r', actor: SYSTEM, amount: 1_000_000_000 })).toMatchObject({ ok: true, value: { amount: 1_000_000_000 } });
    for (const amount of [1_000_000_001, 999_999_999_999])
      expect(parseWith(commands.pay, { requestId: 'r', actor: SYSTEM, amount })).toEqual({
        ok: false,
        problems: ['amount: the payment is more than 1,000,000,000 yen; record a larger transfer as several payments (D-29)'],
      });
  });
});

describe('text a person typed: control characters and line breaks', () => {
  const actor: Actor = { id: 'system:test', role: 'system', via: 'system' };
  it.each([
    ['a NUL byte', '株式会社\u0000サンプル', 'contains a control character'],
    ['an escape', 'x\u001b[31m', 'contains a control character'],
    ['a line break', '株式会社サンプル\r\nBcc: x@example.com', 'must be one line'],
    ['a tab', 'a\tb', 'must be one line'],
  ])('a customer name with %s is refused, naming the field', (_l, name, why) => {
    const r = parseWith(applicationForm, { ...form, customer: { ...customer, name } });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`customer\\.name: the customer name \\(契約者名\\) ${why}`))]),
    );
  });
  it('a reason may take several lines, but no NUL', () => {
    expect(parseWith(commands.reversePayment, { requestId: 'r', actor, paymentRequestId: 'p', reason: '振込の取消\n銀行より連絡' })).toMatchObject({
      ok: true,
    });
    expect(parseWith(commands.reversePayment, { requestId: 'r', actor, paymentRequestId: 'p', reason: 'x\u0000' })).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('reason: the reason contains a control character')],
    });
  });
  it('a request id with a control character or a line break is refused', () => {
    for (const requestId of ['a\u0000b', 'a\nb'])
      expect(parseWith(commands.resume, { requestId, actor })).toMatchObject({ ok: false, problems: [expect.stringContaining('requestId')] });
  });
});
