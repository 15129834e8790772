// The messages a clerk sees for bad input: the field, the reason; nothing else is run.
import { describe, expect, it } from 'vitest';
import { application, commands, overduePolicy, parseWith } from '../../src/domain/validation';

const good = {
  contractId: 'C-0001',
  customer: { name: '株式会社サンプル', email: 'billing@example.co.jp' },
  terms: { plan: 'standard', components: [{ os: 'linux' }] },
  appliedOn: '2026-01-05',
};

describe('application', () => {
  it('accepts a good one and fills the defaults', () => {
    expect(parseWith(application, good)).toEqual({ ok: true, value: { ...good, terms: { ...good.terms, metricCapRelaxations: 0, cloudMonthlyFee: 0 } } });
  });

  it('names every bad field', () => {
    const r = parseWith(application, {
      ...good,
      contractId: 'bad id!',
      customer: { name: '', email: 'nope' },
      terms: { plan: 'gold', components: [], cloudMonthlyFee: -1 },
      appliedOn: '2026-02-30',
    });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^contractId: a contract id is/),
        expect.stringMatching(/^customer\.name: the customer name \(契約者名\) is empty/),
        expect.stringMatching(/^customer\.email: expected an e-mail address/),
        expect.stringMatching(/^terms\.plan: expected a plan: entry, standard, advanced, premium/),
        expect.stringMatching(/^terms\.components: at least one component/),
        expect.stringMatching(/^terms\.cloudMonthlyFee: the cloud resource fee cannot be negative/),
        expect.stringMatching(/^appliedOn: expected a date YYYY-MM-DD that exists/),
      ]),
    );
  });

  it('refuses dates the holiday calendar does not cover', () => {
    expect(parseWith(application, { ...good, appliedOn: '2051-01-05' })).toMatchObject({ ok: false, problems: [expect.stringContaining('between 2000-01-01 and 2050-12-31')] });
  });
});

describe('commands', () => {
  it.each([
    ['pay', { requestId: 'r', amount: 10.5 }, 'amount: expected the payment in whole yen, without fractions'],
    ['pay', { requestId: 'r', amount: -1 }, 'amount: the payment must be at least 1 yen'],
    ['pay', { requestId: 'r', amount: '100' }, 'amount: expected the payment in whole yen (a number)'],
    ['cancel', { requestId: 'r' }, 'endDate: expected a date YYYY-MM-DD'],
    ['charge', { requestId: 'r', description: 'x'.repeat(201), amount: 1, taxable: true }, 'description: the description is longer than 200 characters'],
    ['reportOutage', { requestId: 'r', scope: 'cloud', knownAt: '2026-04-10T09:00:00+09:00', restoredAt: '2026-04-10T08:00:00+09:00' }, 'restoredAt: restoredAt must be after knownAt'],
    ['requestChange', { requestId: 'r' }, 'a change request names at least one of'],
    ['approve', { startDate: '2026-02-02' }, 'requestId: expected a request id'],
  ] as const)('%s %j → %s', (name, input, message) => {
    const r = parseWith(commands[name], input);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.problems).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  it('refuses unknown fields rather than ignoring them', () => {
    expect(parseWith(commands.pay, { requestId: 'r', amount: 1, currency: 'USD' })).toMatchObject({ ok: false });
  });
});

describe('overdue policy (D-14)', () => {
  it('takes whole days from 1 to 365 and names the field otherwise', () => {
    expect(parseWith(overduePolicy, { suspendAfterDays: 30, terminateAfterDays: 30 })).toEqual({ ok: true, value: { suspendAfterDays: 30, terminateAfterDays: 30 } });
    const r = parseWith(overduePolicy, { suspendAfterDays: 0, terminateAfterDays: 1.5, extra: 1 }, 'overduePolicy');
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toContain('overduePolicy.suspendAfterDays: suspendAfterDays is at least 1 day');
    expect(problems).toContain('overduePolicy.terminateAfterDays: terminateAfterDays must be whole days');
    expect(problems.join('\n')).toMatch(/extra/);
    expect(parseWith(overduePolicy, { suspendAfterDays: 366, terminateAfterDays: 30 }).ok).toBe(false);
  });
});
