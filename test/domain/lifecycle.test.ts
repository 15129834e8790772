// Deadlines and verdicts of the contract's life (Art. 5, 8–12, 28–30): hand-worked tables and fast-check properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, isBusinessDay } from '../../src/domain/calendar';
import {
  approvalDeadline,
  approvalVerdict,
  cancellationDeadline,
  cancellationVerdict,
  changeEffectiveMonthVerdict,
  convenienceTerminationVerdict,
  damagesClaimVerdict,
  damagesReductionPeriod,
  deemedRejectionDay,
  defaultChangeEffectiveMonth,
  earliestCancellationEnd,
  endAfterRenewalDecline,
  minimumTermEnd,
  nextTermEnd,
  overdueSuspensionDay,
  overdueTerminationDay,
  renewalDeclineDeadline,
  OVERDUE_POLICY,
} from '../../src/domain/lifecycle';

describe('approval window (Art. 8, D-2)', () => {
  it('closes at the end of A + 60; deemed rejected at A + 61', () => {
    expect(approvalDeadline('2026-01-05')).toBe('2026-03-06'); // Jan 26 days left + Feb 28 + 6 = 60
    expect(deemedRejectionDay('2026-01-05')).toBe('2026-03-07');
    expect(approvalDeadline('2027-12-31')).toBe('2028-02-29'); // leap year: Jan 31 + Feb 29
    expect(approvalVerdict({ receivedOn: '2026-01-05', today: '2026-03-06', startDate: '2026-03-06' })).toEqual({ ok: true });
    expect(approvalVerdict({ receivedOn: '2026-01-05', today: '2026-03-07', startDate: '2026-03-09' })).toMatchObject({ ok: false, rule: '第8条 D-2' });
    expect(approvalVerdict({ receivedOn: '2026-01-05', today: '2026-01-20', startDate: '2026-01-19' })).toMatchObject({ ok: false, rule: '第9条' });
  });
});

describe('terms (Art. 11)', () => {
  it.each([
    ['2026-02-10', '2027-02-09'],
    ['2028-02-29', '2029-02-28'], // no 29 Feb in 2029: the month's last day
    ['2026-02-02', '2027-02-01'],
    ['2026-01-01', '2026-12-31'],
  ])('minimum term from %s ends %s', (start, end) => expect(minimumTermEnd(start)).toBe(end));

  it.each([
    ['2027-02-01', '2027-03-01'], // 2027-02-02 … 2027-03-01
    ['2027-01-30', '2027-02-28'], // 2027-01-31 + 1 month: no 31 Feb → 2027-02-28
    ['2027-02-28', '2027-03-31'], // 2027-03-01 … 2027-03-31
  ])('the renewal term after %s ends %s', (end, next) => expect(nextTermEnd(end)).toBe(next));

  it('a decline one month before the last day ends the term; later, the next term', () => {
    expect(renewalDeclineDeadline('2027-03-31')).toBe('2027-02-28');
    expect(endAfterRenewalDecline('2027-02-28', '2027-03-31')).toBe('2027-03-31');
    expect(endAfterRenewalDecline('2027-03-01', '2027-03-31')).toBe('2027-04-30'); // next term 04-01 … 04-30
  });
});

describe('cancellation (Art. 28)', () => {
  it.each([
    ['2026-08-31', '2026-07-02'], // X − 60 = Thu 07-02
    ['2026-10-08', '2026-08-07'], // X − 60 = Sun 08-09 → Fri 08-07
    ['2026-07-12', '2026-05-13'], // X − 60 = Wed 05-13
  ])('X = %s: notice by %s', (x, deadline) => expect(cancellationDeadline(x)).toBe(deadline));

  it('moves back over Golden Week and the year-end break (D-1)', () => {
    // X − 60 = 2026-05-05 (Children's Day); 05-04, 05-03 holidays, 05-02 Sat, 05-01 company closure → 2026-04-30
    expect(cancellationDeadline('2026-07-04')).toBe('2026-04-30');
    // X − 60 = 2027-01-02 (break 12-29 … 01-03) → 2026-12-28 (Mon)
    expect(cancellationDeadline('2027-03-03')).toBe('2026-12-28');
  });

  it('names the earliest end day a notice can reach', () => {
    expect(earliestCancellationEnd('2026-07-03')).toBe('2026-09-01'); // Friday: 07-03 + 60
    // Saturday 2026-08-08: a deadline must be a business day ≥ 08-08, i.e. Mon 08-10 → X = 08-10 + 60 = 10-09
    expect(earliestCancellationEnd('2026-08-08')).toBe('2026-10-09');
    expect(cancellationVerdict({ today: '2026-07-03', endDay: '2026-08-31', startDate: '2026-02-02' })).toMatchObject({ ok: false, rule: '第28条' });
    expect(cancellationVerdict({ today: '2026-07-02', endDay: '2026-08-31', startDate: '2026-02-02', fixedEnd: '2026-08-31' })).toMatchObject({ ok: false });
  });

  const day = fc.integer({ min: 0, max: 9_000 }).map((n) => addDays('2001-01-01', n));

  it('property: the deadline is a business day on or before X − 60', () => {
    fc.assert(
      fc.property(day, (x) => {
        const d = cancellationDeadline(x);
        expect(isBusinessDay(d)).toBe(true);
        expect(d <= addDays(x, -60)).toBe(true);
      }),
    );
  });

  it('property: a notice valid on day D is valid on every earlier day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 120 }), (today, ahead, earlier) => {
        const endDay = addDays(today, ahead);
        const args = { endDay, startDate: '2000-01-01' };
        if (cancellationVerdict({ ...args, today }).ok) expect(cancellationVerdict({ ...args, today: addDays(today, -earlier) }).ok).toBe(true);
      }),
    );
  });

  it('property: the earliest end day is reachable and the day before it is not', () => {
    fc.assert(
      fc.property(day, (today) => {
        const x = earliestCancellationEnd(today);
        expect(cancellationDeadline(x) >= today).toBe(true);
        expect(cancellationDeadline(addDays(x, -1)) < today).toBe(true);
      }),
    );
  });
});

describe('other verdicts', () => {
  it('Art. 29-3 needs 30 days’ notice', () => {
    expect(convenienceTerminationVerdict({ today: '2026-06-10', endDay: '2026-07-10' })).toEqual({ ok: true });
    expect(convenienceTerminationVerdict({ today: '2026-06-10', endDay: '2026-07-09' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('2026-07-10'),
    });
  });

  it('D-3: a change takes effect on the 1st of a month not yet begun; by default the next', () => {
    expect(defaultChangeEffectiveMonth('2026-12-15')).toBe('2027-01');
    expect(changeEffectiveMonthVerdict({ today: '2026-12-01', effectiveMonth: '2026-12' })).toEqual({ ok: true });
    expect(changeEffectiveMonthVerdict({ today: '2026-12-02', effectiveMonth: '2026-12' })).toMatchObject({ ok: false });
    expect(changeEffectiveMonthVerdict({ today: '2026-12-02', effectiveMonth: '2027-02', lastContractDay: '2027-01-31' })).toMatchObject({ ok: false });
  });

  it('Art. 21: claims within 30 days; the reduction lands in the month after next', () => {
    expect(damagesClaimVerdict({ today: '2026-05-01', occurredOn: '2026-04-01' })).toEqual({ ok: true }); // 04-01 + 30 = 05-01
    expect(damagesClaimVerdict({ today: '2026-05-02', occurredOn: '2026-04-01' })).toMatchObject({ ok: false });
    expect(damagesReductionPeriod('2026-11-30')).toBe('2027-01');
  });

  it('D-14, D-15: suspension on the 30th day after the due day, termination on the 30th day after the suspension', () => {
    expect(OVERDUE_POLICY).toEqual({ suspendAfterDays: 30, terminateAfterDays: 30 });
    expect(overdueSuspensionDay('2026-03-31', OVERDUE_POLICY)).toBe('2026-04-30'); // 03-31 + 30
    expect(overdueTerminationDay('2026-04-30', OVERDUE_POLICY)).toBe('2026-05-30'); // 04-30 + 30
    expect(overdueSuspensionDay('2026-01-31', OVERDUE_POLICY)).toBe('2026-03-02'); // across February: 28 + 2
    expect(overdueTerminationDay('2026-12-15', OVERDUE_POLICY)).toBe('2027-01-14'); // across the year: 16 + 14
  });
  it('D-14: both periods are settings, counted the same way', () => {
    const policy = { suspendAfterDays: 10, terminateAfterDays: 5 };
    expect(overdueSuspensionDay('2026-03-31', policy)).toBe('2026-04-10'); // 03-31 + 10
    expect(overdueTerminationDay('2026-04-10', policy)).toBe('2026-04-15'); // 04-10 + 5
  });
});
