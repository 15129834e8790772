import { describe, expect, it } from 'vitest';
import { invoiceIssueDay } from '../../src/domain/billing';
import { lastDayToPayBeforeTermination, periodClosedOn } from '../../src/domain/deadlines';
import { OVERDUE_POLICY, overdueTerminationDay } from '../../src/domain/lifecycle';

describe('days derived for notices and the back office', () => {
  it('D-14: a payment prevents the termination up to the day before it', () => {
    const terminationDay = overdueTerminationDay('2026-06-01', OVERDUE_POLICY);
    expect(lastDayToPayBeforeTermination(terminationDay) < terminationDay).toBe(true);
    expect(lastDayToPayBeforeTermination('2026-07-01')).toBe('2026-06-30');
    expect(lastDayToPayBeforeTermination('2027-01-01')).toBe('2026-12-31');
  });

  it('D-11: a billing run closes the month its day invoices', () => {
    for (const period of ['2026-01', '2026-02', '2026-12', '2028-02']) expect(periodClosedOn(invoiceIssueDay(period))).toBe(period);
    expect(periodClosedOn('2026-03-31')).toBe('2026-02');
  });
});
