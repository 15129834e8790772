// Terminations, non-payment, changes, credits and charges on the contract workflow (time-skipping server).
// Contract: Standard, 2 Linux components, cloud 30,000 → managed 38,000, fixed monthly fee 68,000; S = 2026-02-02.
// February invoice: initial 50,000 + 38,000 + 30,000 = 118,000 + tax 11,800 = 129,800; later months 68,000 + 6,800 = 74,800.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveFeb2, billAndPay, billMonth, contractTestEnv, standardApplication, type ContractTestEnv } from '../helpers/contract-env';

let t: ContractTestEnv;
beforeAll(async () => {
  t = await contractTestEnv();
});
afterAll(() => t?.teardown());

const kinds = (s: { notices: { kind: string; on: string }[] }) => s.notices.map((n) => `${n.on} ${n.kind}`);
const lines = (inv: { lines: { kind: string; amount: number; taxable: boolean }[] } | undefined) =>
  inv?.lines.map((l) => `${l.kind} ${l.amount}${l.taxable ? '' : ' (non-taxable)'}`);

describe('termination', () => {
  it('for cause inside the minimum term: ended that day, ETF on the final invoice, data deleted next day (Art. 29-1, D-4)', async () => {
    const d = await t.start(standardApplication('CAUSE'));
    await approveFeb2(d);
    for (const p of ['2026-02', '2026-03', '2026-04', '2026-05']) await billAndPay(d, p);
    await d.advanceTo('2026-06-10', 11);
    const r = await d.command('terminateForCause', { requestId: 't', internalReason: 'fraud' });
    // Jul 2026 … Feb 2027 = 8 months × 68,000 = 544,000
    expect(r).toMatchObject({ ok: true, result: { terminationDay: '2026-06-10', earlyTerminationFee: 544000 } });
    expect((await d.state()).status).toBe('ended');
    await billMonth(d, '2026-06');
    const s = await d.state();
    expect(s.dataDeletedOn).toBe('2026-06-11');
    const june = s.invoices.find((i) => i.period === '2026-06');
    expect(lines(june)).toEqual(['managedMonthly 38000', 'cloudMonthly 30000', 'earlyTermination 544000 (non-taxable)']);
    expect(june).toMatchObject({ tax: 6800, total: 618800 });
    expect(kinds(s)).toEqual(expect.arrayContaining(['2026-06-10 terminated', '2026-06-11 dataDeleted']));
  });

  it('for convenience: 30 days’ notice, three months’ fees back, no ETF, a refund when it exceeds what is owed (Art. 29-3, D-7)', async () => {
    const d = await t.start(standardApplication('CONVENIENCE'));
    await approveFeb2(d);
    for (const p of ['2026-02', '2026-03', '2026-04', '2026-05']) await billAndPay(d, p);
    await d.advanceTo('2026-06-10', 11);
    const short = await d.command('terminateForConvenience', { requestId: 'short', endDate: '2026-07-09' });
    expect(short).toEqual({ ok: false, message: expect.stringContaining('2026-07-10') }); // 06-10 + 30 days
    const r = await d.command('terminateForConvenience', { requestId: 't', endDate: '2026-07-31' });
    expect(r).toMatchObject({ ok: true, result: { endDate: '2026-07-31', compensation: 204000 } }); // 3 × 68,000
    await billAndPay(d, '2026-06');
    await billMonth(d, '2026-07'); // 00:05 on 2026-08-01: the final invoice first, then the end and deletion at 00:10
    const s = await d.advanceTo('2026-08-01', 12);
    const july = s.invoices.find((i) => i.period === '2026-07');
    expect(lines(july)).toEqual(['managedMonthly 38000', 'cloudMonthly 30000', 'convenienceCompensation -204000 (non-taxable)']);
    expect(july).toMatchObject({ tax: 6800, total: -129200 }); // 68,000 + 6,800 − 204,000
    expect(s.balance).toBe(-129200); // a refund due to the customer
    expect(s.status).toBe('ended');
    expect(kinds(s)).toEqual(expect.arrayContaining(['2026-06-10 terminationNotice', '2026-08-01 terminated', '2026-08-01 dataDeleted']));
  });
});

describe('non-payment (D-14, Art. 27)', () => {
  it('reminds the day after the due date, suspends on the 30th day after it, terminates on the 30th day after the suspension with the ETF', async () => {
    const d = await t.start(standardApplication('NONPAY'));
    await approveFeb2(d);
    for (const p of ['2026-02', '2026-03', '2026-04']) await billMonth(d, p);
    // February's invoice is due 2026-03-31: overdue 04-01, suspension 03-31 + 30 = 04-30, termination 04-30 + 30 = 05-30
    // (D-14 with D-15's plain day arithmetic; each at 00:10 JST).
    let s = await d.advanceTo('2026-05-01', 12);
    expect(s.status).toBe('suspended');
    // D-25: the notice of 04-30 names February's invoice only (March's falls due that day).
    expect(s.suspension).toEqual({ since: '2026-04-30', nonPayment: [{ on: '2026-04-30', periods: ['2026-02'] }], backOffice: null });
    s = await d.advanceTo('2026-05-30', 0, 11);
    expect(s.status).toBe('ended');
    expect(s.end).toMatchObject({ lastDay: '2026-05-30', kind: 'terminationForCause', earlyTerminationFee: 612000 }); // Jun … Feb = 9 × 68,000
    await d.advanceTo('2026-05-31', 9);
    s = await d.state();
    expect(s.dataDeletedOn).toBe('2026-05-31');
    expect(kinds(s)).toEqual(expect.arrayContaining(['2026-04-01 paymentOverdue', '2026-04-30 suspended', '2026-05-30 terminated', '2026-05-31 dataDeleted']));
  });

  it('full payment of what is overdue resumes the service; late damages go on the next invoice', async () => {
    const d = await t.start(standardApplication('RESUME'));
    await approveFeb2(d);
    for (const p of ['2026-02', '2026-03', '2026-04']) await billMonth(d, p);
    expect((await d.advanceTo('2026-05-01', 12)).status).toBe('suspended');
    await d.advanceTo('2026-05-10', 10);
    // February 129,800 (due 03-31) + March 74,800 (due 04-30); April's (due 05-31) is not yet overdue.
    const r = await d.command('pay', { requestId: 'p', amount: 204600 });
    // ⌊129,800 × 0.145 × 39 / 365⌋ = ⌊2,011.0⌋ = 2,011 (05-10 − 03-31 − 1 = 39 days); ⌊74,800 × 0.145 × 9 / 365⌋ = ⌊267.4⌋ = 267
    expect(r).toMatchObject({ ok: true, result: { lateDamages: 2278, advance: 0 } });
    let s = await d.state();
    expect(s.status).toBe('active');
    expect(kinds(s)).toContain('2026-05-10 resumed');
    await billMonth(d, '2026-05');
    s = await d.state();
    const may = s.invoices.find((i) => i.period === '2026-05');
    expect(lines(may)).toEqual(['managedMonthly 38000', 'cloudMonthly 30000', 'lateDamages 2011 (non-taxable)', 'lateDamages 267 (non-taxable)']);
    expect(may?.total).toBe(77078); // 68,000 + 6,800 + 2,278
  });
});

describe('changes (Art. 12, 11-3, D-3, D-6)', () => {
  it('a downgrade inside the minimum term costs the difference for the remaining months', async () => {
    const d = await t.start({
      ...standardApplication('DOWNGRADE'),
      terms: { plan: 'premium', components: [{ os: 'linux' }, { os: 'linux' }, { os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 0 },
    });
    await approveFeb2(d);
    await d.advanceTo('2026-04-10', 10);
    expect(await d.command('requestChange', { requestId: 'ch', plan: 'advanced' })).toMatchObject({ ok: true });
    await d.advanceTo('2026-04-20', 10);
    const r = await d.command('approveChange', { requestId: 'ok' });
    // premium 50,000 + 3 × 25,000 = 125,000 → advanced 20,000 + 3 × 15,000 = 65,000; May 2026 … Feb 2027 = 10 × 60,000
    expect(r).toMatchObject({ ok: true, result: { effectiveMonth: '2026-05', fixedMonthlyFee: 65000, downgradeSettlement: 600000 } });
    await billMonth(d, '2026-05');
    const s = await d.state();
    expect(lines(s.invoices.find((i) => i.period === '2026-04'))).toEqual(['managedMonthly 125000']);
    const may = s.invoices.find((i) => i.period === '2026-05');
    expect(lines(may)).toEqual(['managedMonthly 65000', 'downgradeSettlement 600000 (non-taxable)']);
    expect(may?.total).toBe(671500); // 65,000 + 6,500 + 600,000
    expect(kinds(s)).toContain('2026-04-20 changeApproved');
  });

  it('an added component costs 10,000 once, in the month it takes effect; a second request while one is pending is refused', async () => {
    const d = await t.start(standardApplication('ADDITION'));
    await approveFeb2(d);
    await d.advanceTo('2026-04-10', 10);
    await d.command('requestChange', { requestId: 'ch', components: [{ os: 'linux' }, { os: 'linux' }, { os: 'linux' }] });
    expect(await d.command('requestChange', { requestId: 'ch2', plan: 'entry' })).toEqual({
      ok: false,
      message: expect.stringContaining('awaiting a decision'),
    });
    await d.command('approveChange', { requestId: 'ok', effectiveMonth: '2026-05' });
    await billMonth(d, '2026-05');
    const may = (await d.state()).invoices.find((i) => i.period === '2026-05');
    // 20,000 + 3 × 9,000 = 47,000; cloud 30,000; addition 10,000 → 87,000 + 8,700 = 95,700
    expect(lines(may)).toEqual(['managedMonthly 47000', 'cloudMonthly 30000', 'componentAddition 10000']);
    expect(may?.total).toBe(95700);
  });

  it('an undecided change request is deemed rejected after 60 days', async () => {
    const d = await t.start(standardApplication('CHANGE-DEEMED'));
    await approveFeb2(d);
    await d.advanceTo('2026-04-10', 10);
    await d.command('requestChange', { requestId: 'ch', plan: 'advanced' });
    await d.advanceTo('2026-06-10', 0, 1); // 04-10 + 61
    const s = await d.state();
    expect(s.pendingChange).toBeNull();
    expect(kinds(s)).toContain('2026-06-10 changeDeemedRejected');
  });
});

describe('credits, damages, penalties, charges', () => {
  it('puts each on the right invoice with the right tax', async () => {
    const d = await t.start(standardApplication('CREDITS'));
    await approveFeb2(d);
    for (const p of ['2026-02', '2026-03']) await billAndPay(d, p); // paid on time: no suspension gets in the way
    await d.advanceTo('2026-04-12', 12);
    // Cloud, provider at fault, 49 h: ⌊49 / 24⌋ = 2 days × 30,000 / 30 (April) = 2,000
    await d.command('reportOutage', {
      requestId: 'o1',
      scope: 'cloud',
      knownAt: '2026-04-10T09:00:00+09:00',
      restoredAt: '2026-04-12T10:00:00+09:00',
      grossNegligence: false,
    });
    await d.advanceTo('2026-04-15', 12);
    // Art. 21: 100,000 capped at the monthly fee 68,000, on the invoice for June (the month after next)
    expect(await d.command('recogniseDamages', { requestId: 'dm', occurredOn: '2026-04-01', amount: 100000 })).toMatchObject({
      ok: true,
      result: { period: '2026-06', reduction: 68000 },
    });
    expect(await d.command('recogniseDamages', { requestId: 'dm-late', occurredOn: '2026-03-15', amount: 1000 })).toEqual({
      ok: false,
      message: expect.stringContaining('2026-04-14'),
    });
    await d.advanceTo('2026-04-20', 13);
    // Managed, gross negligence, 12 h: 38,000 × 12 / (24 × 30) = 633.3 → 633
    await d.command('reportOutage', {
      requestId: 'o2',
      scope: 'managed',
      knownAt: '2026-04-20T00:00:00+09:00',
      restoredAt: '2026-04-20T12:00:00+09:00',
      grossNegligence: true,
    });
    await billAndPay(d, '2026-04');
    await d.advanceTo('2026-05-10', 10);
    await d.command('penalty', { requestId: 'pen', evadedAmount: 10000 });
    await d.command('charge', { requestId: 'ch', description: 'incident responses beyond 3 a month', amount: 5000, taxable: true });
    await billAndPay(d, '2026-05');
    await billMonth(d, '2026-06');
    const s = await d.state();
    const april = s.invoices.find((i) => i.period === '2026-04');
    expect(lines(april)).toEqual(['managedMonthly 38000', 'cloudMonthly 30000', 'outageCredit -2000', 'outageCredit -633']);
    expect(april).toMatchObject({ taxableSubtotal: 65367, tax: 6536, total: 71903 }); // ⌊6,536.7⌋
    const may = s.invoices.find((i) => i.period === '2026-05');
    // 68,000 + evaded 10,000 + surcharge 20,000 + 5,000 = 103,000; tax 10,300
    expect(lines(may)).toEqual(['managedMonthly 38000', 'cloudMonthly 30000', 'evadedCharge 10000', 'penaltySurcharge 20000', 'extraCharge 5000']);
    expect(may?.total).toBe(113300);
    const june = s.invoices.find((i) => i.period === '2026-06');
    expect(lines(june)).toEqual(['managedMonthly 38000', 'cloudMonthly 30000', 'damagesReduction -68000']);
    expect(june?.total).toBe(0);
  });
});

describe('advance payments (Appendix 3 §3, §5)', () => {
  it('holds money paid before an invoice and sets it against the next ones, in the workflow and in the ledger', async () => {
    const d = await t.start(standardApplication('ADVANCE'));
    await approveFeb2(d);
    await d.advanceTo('2026-01-25', 10);
    expect(await d.command('pay', { requestId: 'adv', amount: 150000 })).toMatchObject({ ok: true, result: { advance: 150000 } });
    await billMonth(d, '2026-03');
    const s = await d.state();
    // February 129,800 takes 129,800 of the 150,000; March 74,800 takes the remaining 20,200 → 54,600 outstanding.
    expect(s.invoices.map((i) => [i.period, i.paid, i.outstanding])).toEqual([
      ['2026-02', 129800, 0],
      ['2026-03', 20200, 54600],
    ]);
    expect(s.credit).toBe(0);
    expect(s.balance).toBe(54600);
    const ledger = await t.deps.ledger.listInvoices('ADVANCE');
    expect(ledger.map((i) => [i.period, i.paid])).toEqual([
      ['2026-02', 129800],
      ['2026-03', 20200],
    ]);
  });
});

describe("the Web UI's details (User Metadata)", () => {
  const details = async (d: { handle: { query: (name: string) => Promise<unknown> } }) =>
    ((await d.handle.query('__temporal_workflow_metadata')) as { currentDetails?: string }).currentDetails ?? '';

  it('show the balance after a payment that changes no search attribute', async () => {
    const d = await t.start(standardApplication('DETAILS-PAY'));
    await approveFeb2(d);
    await billMonth(d, '2026-02'); // 129,800 due 2026-03-31
    expect(await details(d)).toContain('outstanding 129,800');
    await d.advanceTo('2026-03-10', 10);
    expect(await d.command('pay', { requestId: 'p', amount: 100000 })).toMatchObject({ ok: true });
    expect(await details(d)).toContain('outstanding 29,800');
  });
});

describe('four eyes: a request no second supervisor approved in time', () => {
  it('is retired by the contract the day after its last day (a timer wakes it), kept as lapsed, and can no longer be approved', async () => {
    const supA = { id: 'u-sup-a', role: 'supervisor' as const, via: 'console' as const };
    const supB = { id: 'u-sup-b', role: 'supervisor' as const, via: 'console' as const };
    const d = await t.start(standardApplication('FOUR-EYES-LAPSE'));
    await approveFeb2(d);
    await d.advanceTo('2026-03-02', 10);
    const asked = await d.command('requestApproval', {
      requestId: 'ask',
      actor: supA,
      action: 'terminateForCause',
      input: { internalReason: 'fraud' },
      reason: '不正利用の確認',
    });
    expect(asked).toMatchObject({ ok: true, result: { expiresOn: '2026-03-09' } });
    await d.advanceTo('2026-03-09', 23);
    expect((await d.state()).pendingApprovals.map((p) => p.id)).toEqual(['ask']);
    await d.advanceTo('2026-03-10', 0, 5); // no command since: the contract woke by itself
    const s = await d.state();
    expect(s.pendingApprovals).toEqual([]);
    expect(s.lapsedApprovals).toEqual([expect.objectContaining({ id: 'ask', action: 'terminateForCause', expiresOn: '2026-03-09', lapsedOn: '2026-03-10' })]);
    const late = await d.command('approveRequest', { requestId: 'late', actor: supB, approvalOf: 'ask' });
    expect(late).toEqual({ ok: false, message: expect.stringContaining('no request ask is waiting') });
    expect((await d.state()).status).toBe('active');
  });
});
