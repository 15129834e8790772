/** The notice deadlines the dashboard lists (Art. 11-1 renewal decline, Art. 28 cancellation), dates by hand. */
import { describe, expect, it } from 'vitest';
import { noticeDeadlines } from '../../../src/domain/contract';
import { active, pending, run } from './fixtures';

describe('noticeDeadlines', () => {
  it('inside the minimum term: decline by one month before its last day, cancel without a fee 60 days before it', () => {
    // Start 2026-06-01: the minimum term ends 2027-05-31; one month before is 2027-04-30; 60 days before is 2027-04-01 (a Thursday).
    expect(noticeDeadlines(active('2026-06-01'), '2026-12-01')).toEqual({
      renewalDecline: { on: '2027-04-30', termEnd: '2027-05-31', article: '第11条1項' },
      cancellationWithoutFee: { on: '2027-04-01', endDay: '2027-05-31', article: '第28条' },
    });
  });

  it('a cancellation deadline on Saturday 1 May moves back to Friday 30 April (Art. 28, D-16)', () => {
    // Start 2026-07-01: the minimum term ends 2027-06-30; 60 days before is Saturday 2027-05-01.
    expect(noticeDeadlines(active('2026-07-01', '2026-06-15', { appliedOn: '2026-06-10' }), '2027-01-10').cancellationWithoutFee).toEqual({
      on: '2027-04-30',
      endDay: '2027-06-30',
      article: '第28条',
    });
  });

  it('once a deadline has passed: the decline reaches the next term; no fee-free cancellation is left', () => {
    // On 2027-05-01 the decline for 2027-05-31 is late (Art. 11-1: a later notice applies to the next term, ending 2027-06-30).
    expect(noticeDeadlines(active('2026-06-01'), '2027-05-01')).toEqual({
      renewalDecline: { on: '2027-05-30', termEnd: '2027-06-30', article: '第11条1項' },
      cancellationWithoutFee: null,
    });
    // On the deadline day itself the notice is still on time.
    expect(noticeDeadlines(active('2026-06-01'), '2027-04-30').renewalDecline?.termEnd).toBe('2027-05-31');
  });

  it('none for a pending application or once an end is fixed', () => {
    expect(noticeDeadlines(pending(), '2026-04-02')).toEqual({ renewalDecline: null, cancellationWithoutFee: null });
    const declined = run(active('2026-06-01'), 'declineRenewal', { by: 'customer' }, '2026-12-01').state;
    expect(declined.end?.lastDay).toBe('2027-05-31');
    expect(noticeDeadlines(declined, '2026-12-02')).toEqual({ renewalDecline: null, cancellationWithoutFee: null });
  });
});
