// Application, approval window, cancellation, renewal decline: the contract workflow on the time-skipping server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllowanceExceededKey,
  CancellationDeadlineKey,
  ContractStatusKey,
  MinimumTermEndKey,
  NeedsAttentionKey,
  NextDeadlineKey,
  PlanKey,
  RenewalDeclineDeadlineKey,
} from '../../src/workflows/search-attributes';
import { billMonth, contractTestEnv, standardApplication, type ContractTestEnv } from '../helpers/contract-env';
import { quoteCancellationQuery } from '../../src/workflows/contract/messages';

let t: ContractTestEnv;
beforeAll(async () => {
  t = await contractTestEnv();
});
afterAll(() => t?.teardown());

const noticeKinds = (s: { notices: { kind: string; on: string }[] }) => s.notices.map((n) => `${n.on} ${n.kind}`);

describe('approval window (Art. 8, D-2)', () => {
  it('accepts an approval on A + 60', async () => {
    const d = await t.start(standardApplication('APPROVE-A60')); // A = 2026-01-05, A + 60 = 2026-03-06
    await d.advanceTo('2026-03-06', 17);
    const r = await d.command('approve', { requestId: 'a', startDate: '2026-03-09' });
    expect(r).toMatchObject({ ok: true, result: { startDate: '2026-03-09', minimumTermEnd: '2027-03-08' } });
    expect((await d.state()).status).toBe('approved'); // established on S (Art. 9, D-34)
  });

  it('deems the application rejected at 00:00 of A + 61 and says so without a reason (Art. 10)', async () => {
    const d = await t.start(standardApplication('DEEMED-A61'));
    await d.advanceTo('2026-03-06', 23, 59);
    expect((await d.state()).status).toBe('pending');
    await d.advanceTo('2026-03-07', 0, 1);
    const s = await d.state();
    expect(s.status).toBe('rejected');
    expect(noticeKinds(s)).toEqual(['2026-01-05 applicationReceived', '2026-03-07 deemedRejected']);
    const mail = t.deps.mailer.mails.find((m) => m.noticeId === 'DEEMED-A61:deemedRejected:application');
    expect(mail?.to.email).toBe('billing+deemed-a61@example.co.jp');
    expect(await d.closed()).toBe(true);
  });

  it('publishes A + 60 as the deadline to decide (NextDeadline, the dashboard\'s "decide by"), not the day after', async () => {
    const d = await t.start(standardApplication('DECIDE-BY')); // A = 2026-01-05, A + 60 = 2026-03-06
    await d.advanceTo('2026-01-06', 9);
    const sa = (await d.handle.describe()).typedSearchAttributes;
    expect(sa.get(NextDeadlineKey)?.toISOString()).toBe('2026-03-05T15:00:00.000Z'); // 2026-03-06 00:00 JST
  });

  it('refuses an approval once the window has closed: the contract is closed', async () => {
    const d = await t.start(standardApplication('APPROVE-A61'));
    await d.advanceTo('2026-03-07', 9);
    const r = await d.command('approve', { requestId: 'a', startDate: '2026-03-09' });
    expect(r).toEqual({ ok: false, message: expect.stringContaining('closed (rejected)') });
  });

  it('a rejection is notified without its internal reason (Art. 10)', async () => {
    const d = await t.start(standardApplication('LATE-APPROVAL', '2026-01-06'));
    await d.advanceTo('2026-03-06', 9); // A + 59
    const r = await d.command('reject', { requestId: 'r', internalReason: 'credit check failed' });
    expect(r.ok).toBe(true);
    const s = await d.state();
    expect(s.status).toBe('rejected');
    expect(noticeKinds(s)).toContain('2026-03-06 rejected');
    const mail = t.deps.mailer.mails.find((m) => m.noticeId === 'LATE-APPROVAL:rejected:application');
    expect(mail?.text).not.toContain('credit check');
  });

  it('refuses an approval whose start day is before the approval day, changing nothing', async () => {
    const d = await t.start(standardApplication('START-BEFORE'));
    await d.advanceTo('2026-01-20', 9);
    const r = await d.command('approve', { requestId: 'a', startDate: '2026-01-19' });
    expect(r).toEqual({ ok: false, message: expect.stringContaining('第9条') });
    expect((await d.state()).status).toBe('pending');
  });
});

describe('the usage start (Art. 9, D-34)', () => {
  it('approved with a later S: approved (not active) in the state and ContractStatus until S; the contract wakes at 00:00 of S and is active', async () => {
    const d = await t.start(standardApplication('USAGE-START'));
    await d.advanceTo('2026-01-20', 9);
    expect(await d.command('approve', { requestId: 'a', startDate: '2026-02-02' })).toMatchObject({ ok: true });
    const status = async () => [(await d.state()).status, (await d.handle.describe()).typedSearchAttributes.get(ContractStatusKey)];
    expect(await status()).toEqual(['approved', 'approved']);
    expect((await d.state()).nextDeadlines[0]).toMatchObject({ kind: 'usageStart', on: '2026-02-02' });
    await d.advanceTo('2026-02-01', 23, 59);
    expect(await status()).toEqual(['approved', 'approved']);
    await d.advanceTo('2026-02-02', 0, 1); // no command: its own timer
    expect(await status()).toEqual(['active', 'active']);
    expect(noticeKinds(await d.state())).toEqual(['2026-01-05 applicationReceived', '2026-01-20 approved']); // no notice on S
  });

  it('approved on S itself: active at once', async () => {
    const d = await t.start(standardApplication('USAGE-START-SAME-DAY'));
    await d.advanceTo('2026-01-20', 9);
    expect(await d.command('approve', { requestId: 'a', startDate: '2026-01-20' })).toMatchObject({ ok: true });
    expect((await d.state()).status).toBe('active');
    expect((await d.handle.describe()).typedSearchAttributes.get(ContractStatusKey)).toBe('active');
  });
});

describe('cancellation (Art. 28, Art. 11-2, D-4)', () => {
  it('accepts notice on the deadline, bills the ETF with the final month, deletes data the day after', async () => {
    const d = await t.start(standardApplication('CANCEL-ETF'));
    await d.advanceTo('2026-01-20', 9);
    await d.command('approve', { requestId: 'a', startDate: '2026-02-02' }); // minimum term ends 2027-02-01
    // X = 2026-08-31: X − 60 = 2026-07-02 (Thursday, a business day) is the deadline.
    await d.advanceTo('2026-07-02', 16);
    const q = await d.handle.query(quoteCancellationQuery, '2026-08-31');
    // D-4: Sep 2026 … Feb 2027 = 6 months × 68,000 = 408,000
    expect(q).toMatchObject({ valid: true, earlyTerminationFee: 408000, lastBilledMonth: '2026-08' });
    const r = await d.command('cancel', { requestId: 'c', endDate: '2026-08-31' });
    expect(r).toMatchObject({ ok: true, result: { endDate: '2026-08-31', earlyTerminationFee: 408000 } });
    // A second cancel with the same request id is the same answer, not a second cancellation.
    const again = await d.command('cancel', { requestId: 'c', endDate: '2026-08-31' });
    expect(again).toEqual(r);
    await billMonth(d, '2026-08');
    await d.advanceTo('2026-09-01', 12);
    const s = await d.state();
    const august = s.invoices.find((i) => i.period === '2026-08')!;
    // managed 38,000 + cloud 30,000 = 68,000 taxable; tax 6,800; ETF 408,000 non-taxable (D-5)
    expect(august).toMatchObject({ taxableSubtotal: 68000, tax: 6800, nonTaxableSubtotal: 408000, total: 482800 });
    expect(august.lines.find((l) => l.kind === 'earlyTermination')).toMatchObject({ amount: 408000, taxable: false });
    expect(s.invoices.map((i) => i.period)).toEqual(['2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08']);
    expect(s.status).toBe('ended');
    expect(s.dataDeletedOn).toBe('2026-09-01');
    expect(noticeKinds(s)).toContain('2026-09-01 dataDeleted');
    expect(t.deps.resources.calls.filter((c) => c.contractId === 'CANCEL-ETF').map((c) => c.method)).toEqual([
      'deleteAccounts',
      'deleteResources',
      'deleteStoredData',
    ]);
    expect(await t.deps.ledger.listInvoices('CANCEL-ETF')).toHaveLength(7);
  });

  it('refuses a notice one day late and names the earliest end day it can reach', async () => {
    const d = await t.start(standardApplication('CANCEL-LATE'));
    await d.advanceTo('2026-01-20', 9);
    await d.command('approve', { requestId: 'a', startDate: '2026-02-02' });
    await d.advanceTo('2026-07-03', 9); // one day after the 2026-07-02 deadline for 2026-08-31
    const r = await d.command('cancel', { requestId: 'c', endDate: '2026-08-31' });
    // 2026-07-03 is a Friday (business day): the earliest end is 07-03 + 60 = 2026-09-01.
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/第28条.*2026-07-02.*2026-09-01/) });
    const s = await d.state();
    expect(s.endDate).toBeNull();
    expect(noticeKinds(s)).not.toContain('2026-07-03 cancellationAccepted');
  });

  it('moves the deadline back over a weekend: X − 60 on a Sunday means the Friday before', async () => {
    const d = await t.start(standardApplication('CANCEL-WEEKEND'));
    await d.advanceTo('2026-01-20', 9);
    await d.command('approve', { requestId: 'a', startDate: '2026-02-02' });
    // X = 2026-10-08: X − 60 = 2026-08-09, a Sunday, so the deadline is Friday 2026-08-07.
    await d.advanceTo('2026-08-08', 9); // Saturday, after the Friday deadline
    const r = await d.command('cancel', { requestId: 'c', endDate: '2026-10-08' });
    expect(r).toEqual({ ok: false, message: expect.stringContaining('2026-08-07') });
  });
});

describe('renewal (Art. 11-1)', () => {
  it('a decline on the deadline ends the contract on the minimum term’s last day; one day late, a month later', async () => {
    const onTime = await t.start(standardApplication('DECLINE-ON-TIME'));
    const late = await t.start(standardApplication('DECLINE-LATE'));
    for (const d of [onTime, late]) {
      await d.advanceTo('2026-01-20', 9);
      await d.command('approve', { requestId: 'a', startDate: '2026-02-02' }); // last day 2027-02-01
    }
    await onTime.advanceTo('2027-01-01', 9); // 2027-02-01 − 1 month
    expect(await onTime.command('declineRenewal', { requestId: 'd', by: 'customer' })).toMatchObject({
      ok: true,
      result: { endDate: '2027-02-01', earlyTerminationFee: 0 },
    });
    await late.advanceTo('2027-01-02', 9);
    // Late: applies to the next term, 2027-02-02 … 2027-03-01.
    expect(await late.command('declineRenewal', { requestId: 'd', by: 'provider' })).toMatchObject({ ok: true, result: { endDate: '2027-03-01' } });
  });
});

describe('after the minimum term', () => {
  it('a cancellation costs no ETF, and the Web UI columns follow the contract', async () => {
    const d = await t.start(standardApplication('CANCEL-AFTER-MIN'));
    await d.advanceTo('2026-01-20', 9);
    await d.command('approve', { requestId: 'a', startDate: '2026-02-02' });
    let sa = (await d.handle.describe()).typedSearchAttributes;
    expect(sa.get(ContractStatusKey)).toBe('approved'); // until S (Art. 9, D-34)
    expect(sa.get(PlanKey)).toBe('standard');
    expect(sa.get(MinimumTermEndKey)?.toISOString()).toBe('2027-01-31T15:00:00.000Z'); // 2027-02-01 00:00 JST
    // A renewal is no step (Art. 11: the term follows from the dates), and nothing is billed yet.
    expect(sa.get(NextDeadlineKey)).toBeUndefined();
    // The dashboard's notice deadlines, Japan days: 2027-02-01 − 1 month (Art. 11-1); − 60 days = Thursday 2026-12-03 (Art. 28).
    expect(sa.get(RenewalDeclineDeadlineKey)).toBe('2027-01-01');
    expect(sa.get(CancellationDeadlineKey)).toBe('2026-12-03');
    expect(sa.get(NeedsAttentionKey)).toBe(false);
    await d.advanceTo('2027-03-01', 10); // X = 2027-05-01: X − 60 = 2027-03-02 (Tuesday)
    const r = await d.command('cancel', { requestId: 'c', endDate: '2027-05-01' });
    expect(r).toMatchObject({ ok: true, result: { endDate: '2027-05-01', earlyTerminationFee: 0 } });
    sa = (await d.handle.describe()).typedSearchAttributes;
    // Nothing was billed in this test, so the next step is the end on 2027-05-02, the day after X: its deadline is X.
    expect(sa.get(NextDeadlineKey)?.toISOString()).toBe('2027-04-30T15:00:00.000Z');
    // An end is fixed: no notice deadline is left to watch.
    expect(sa.get(RenewalDeclineDeadlineKey)).toBeUndefined();
    expect(sa.get(CancellationDeadlineKey)).toBeUndefined();
  });
});

describe('allowances (別表2 D-19): the AllowanceExceeded search attribute', () => {
  it('is unset within what the plan includes, the month once it is exceeded, and stays the latest exceeded month', async () => {
    const d = await t.start(standardApplication('ALLOWANCE-SA'));
    await d.advanceTo('2026-01-20', 9);
    await d.command('approve', { requestId: 'a', startDate: '2026-02-02' });
    await d.advanceTo('2026-02-20', 9);
    for (const n of [1, 2, 3])
      expect(await d.command('recordIncident', { requestId: `i${n}`, at: `2026-02-1${n}T10:00:00+09:00` })).toMatchObject({ ok: true });
    const sa = async () => (await d.handle.describe()).typedSearchAttributes.get(AllowanceExceededKey);
    expect(await sa()).toBeUndefined(); // 3 of 3 included (Standard)
    // 15:30 UTC on 28 February is 00:30 JST on 1 March (D-24: the Japan day), ahead of today: refused, unchanged.
    expect(await d.command('recordIncident', { requestId: 'i4', at: '2026-02-28T15:30:00Z' })).toMatchObject({ ok: false });
    expect(await sa()).toBeUndefined();
    expect(await d.command('recordIncident', { requestId: 'i5', at: '2026-02-14T10:00:00+09:00' })).toMatchObject({ ok: true });
    expect(await sa()).toBe('2026-02');
    // Ops work on Standard: 0 hours included, so March is exceeded too; the latest month wins.
    await d.advanceTo('2026-03-05', 9);
    expect(await d.command('recordOpsWork', { requestId: 'o1', on: '2026-03-04', hours: 0.25 })).toMatchObject({ ok: true });
    expect(await sa()).toBe('2026-03');
  });
});
