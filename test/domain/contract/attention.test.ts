// What the ops list flags (NeedsAttention, AllowanceExceeded), worked out by the domain for the workflow to publish.
import { describe, expect, it } from 'vitest';
import { allowanceExceededMonth, needsAttention, recordOutcomes } from '../../../src/domain/contract';
import { accept, active, pending, run } from './fixtures';

describe('needsAttention', () => {
  it('a contract with nothing failed and nothing waiting needs no one', () => {
    expect(needsAttention(pending(), null)).toBe(false);
  });
  it('an effect failed for good flags it until it is retried', () => {
    const approved = run(pending(), 'approve', { startDate: '2026-06-01' }, '2026-05-15');
    const failed = recordOutcomes(approved.state, approved.effects, [{ ok: false, reason: 'mailbox rejected' }], '2026-05-15');
    expect(needsAttention(failed, null)).toBe(true);
    expect(needsAttention(accept(failed, 'retryFailedEffects', { requestId: 're' }, '2026-05-16').state, null)).toBe(false);
  });
  it('effects waiting on an outage flag it, with nothing failed', () => {
    expect(needsAttention(pending(), { since: '2026-04-01T00:00:00.000Z', effects: ['notice'] })).toBe(true);
  });
});

describe('allowanceExceededMonth (別表2, D-19, D-24)', () => {
  it('none recorded: null', () => {
    expect(allowanceExceededMonth(active())).toBeNull();
  });
  it('the latest month past its allowance, not a later month within it (Standard: 3 incidents a month)', () => {
    let s = active();
    for (const at of ['2026-07-02T10:00:00+09:00', '2026-07-09T10:00:00+09:00', '2026-07-20T10:00:00+09:00', '2026-07-21T10:00:00+09:00'])
      s = run(s, 'recordIncident', { at }, '2026-08-01').state;
    expect(allowanceExceededMonth(s)).toBe('2026-07');
    s = run(s, 'recordIncident', { at: '2026-08-03T10:00:00+09:00' }, '2026-08-03').state; // 1 of 3 in August
    expect(allowanceExceededMonth(s)).toBe('2026-07');
  });
  it('three incidents in a Standard month are within it', () => {
    let s = active();
    for (const at of ['2026-07-02T10:00:00+09:00', '2026-07-09T10:00:00+09:00', '2026-07-20T10:00:00+09:00'])
      s = run(s, 'recordIncident', { at }, '2026-08-01').state;
    expect(allowanceExceededMonth(s)).toBeNull();
  });
});
