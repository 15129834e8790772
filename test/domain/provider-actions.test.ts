/** Provider-wide actions at the edge: parsed field by field, keyed for idempotency, refused before a run starts when no contract could accept them. */
import { describe, expect, it } from 'vitest';
import {
  parseProviderAction,
  providerActionKey,
  providerActionProblem,
  providerActionRequestId,
  providerActionShapeProblem,
  type ProviderAction,
} from '../../src/domain/provider-actions';

const discontinue: ProviderAction = { command: 'discontinueService', input: { postedOn: '2026-12-01', endDate: '2026-12-31', emergency: false } };

describe('provider-wide actions', () => {
  it("parses an action by the command's own schema, naming the field", () => {
    expect(parseProviderAction({ command: 'discontinueService', input: { postedOn: '2026-12-01', endDate: '2026-12-31' } })).toEqual({
      ok: true,
      value: discontinue,
    });
    expect(parseProviderAction({ command: 'terminateForCause', input: {} })).toEqual({
      ok: false,
      problems: ['command: expected one of announcePriceList, discontinueService, announceMaintenance'],
    });
    const bad = parseProviderAction({ command: 'announceMaintenance', input: { from: '2026-12-10T01:00:00+09:00', to: '2026-12-10T00:00:00+09:00' } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems).toEqual(['input.to: to must be after from']);
    expect(parseProviderAction('x')).toEqual({ ok: false, problems: ['(input): expected { command, input }'] });
  });

  it('keys each action by its business content, whatever the offset of an instant', () => {
    expect(providerActionRequestId(discontinue, 'C-1')).toBe('discontinueService:C-1:2026-12-01_2026-12-31');
    const a: ProviderAction = {
      command: 'announceMaintenance',
      input: { from: '2026-12-10T01:00:00+09:00', to: '2026-12-10T03:00:00+09:00', emergency: false },
    };
    const b: ProviderAction = { command: 'announceMaintenance', input: { from: '2026-12-09T16:00:00Z', to: '2026-12-09T18:00:00Z', emergency: false } };
    expect(providerActionKey(a)).toBe(providerActionKey(b));
    expect(providerActionKey({ command: 'announcePriceList', input: { version: { id: 'PL-2027-04', effectiveMonth: '2027-04', plans: {} } } })).toBe(
      'PL-2027-04',
    );
  });

  it('refuses before a run starts: a price list for a month that has begun (D-17), the end day sooner than the posting + 30 (D-18), a window that is over', () => {
    const price = (effectiveMonth: string): ProviderAction => ({
      command: 'announcePriceList',
      input: { version: { id: `PL-${effectiveMonth}`, effectiveMonth, plans: {} } },
    });
    expect(providerActionProblem(price('2027-01'), '2026-12-31')).toBeNull();
    expect(providerActionProblem(price('2027-01'), '2027-01-01')).toMatchObject({ field: 'input.version.effectiveMonth', rule: '第4条 D-17' });
    // Posted 1 December: it counts as delivered on the 31st, the earliest end day (D-18, D-15).
    expect(providerActionProblem(discontinue, '2026-12-01')).toBeNull();
    expect(providerActionProblem({ ...discontinue, input: { ...discontinue.input, endDate: '2026-12-30' } }, '2026-12-01')).toMatchObject({
      field: 'input.endDate',
      rule: '第5条 D-18',
    });
    expect(providerActionProblem({ ...discontinue, input: { ...discontinue.input, endDate: '2026-12-30', emergency: true } }, '2026-12-01')).toBeNull();
    const window: ProviderAction = {
      command: 'announceMaintenance',
      input: { from: '2026-11-30T22:00:00+09:00', to: '2026-11-30T23:00:00+09:00', emergency: true },
    };
    expect(providerActionProblem(window, '2026-12-01')).toMatchObject({ field: 'input.to' });
  });

  it('holds a hand-made workflow start to the fields the run reads', () => {
    expect(providerActionShapeProblem(discontinue)).toBeNull();
    expect(providerActionShapeProblem({ command: 'discontinueService', input: { postedOn: '1 Dec', endDate: '2026-12-31' } })).toMatch(
      /^input\.postedOn: missing or malformed/,
    );
    expect(providerActionShapeProblem({ command: 'announceMaintenance', input: { from: 'soon', to: '2026-12-10T03:00:00+09:00' } })).toMatch(/^input\.from:/);
    expect(providerActionShapeProblem({ command: 'pay', input: {} })).toMatch(/^command:/);
  });
});
