// D-31: the dunning ladder's settings — days or `off` per step, checked at start with the setting's name.
import { describe, expect, it } from 'vitest';
import { settingsFailure } from '../helpers/settings';
import { createActivities, openInMemoryDependencies } from '../../src/activities';
import { dunningLadderOf, loadSettings } from '../../src/settings';

const failure = settingsFailure;

describe('dunning settings (D-31)', () => {
  it('default to a reminder 3 days before the due day, a second notice 14 days after, a warning 5 days before the suspension', () => {
    expect(dunningLadderOf(loadSettings({}))).toEqual({ reminderDays: 3, secondNoticeDays: 14, warningDays: 5 });
  });

  it('take days or off (any case, spaces trimmed)', () => {
    const s = loadSettings({ DUNNING_REMINDER_DAYS: ' OFF ', DUNNING_SECOND_NOTICE_DAYS: '20', DUNNING_WARNING_DAYS: 'off' });
    expect(dunningLadderOf(s)).toEqual({ reminderDays: null, secondNoticeDays: 20, warningDays: null });
  });

  it.each([
    [{ DUNNING_REMINDER_DAYS: '0' }, 'DUNNING_REMINDER_DAYS: expected a whole number of days before the due day from 1 to 20, or off'],
    [{ DUNNING_REMINDER_DAYS: 'three' }, 'DUNNING_REMINDER_DAYS: expected a whole number of days before the due day from 1 to 20, or off'],
    [{ DUNNING_SECOND_NOTICE_DAYS: '1' }, 'DUNNING_SECOND_NOTICE_DAYS: expected a whole number of days after the due day from 2 to 29, or off'],
    [
      { DUNNING_WARNING_DAYS: '2.5' },
      'DUNNING_WARNING_DAYS: expected a whole number of days before the suspension day (due day + 30, D-14) from 1 to 28, or off',
    ],
    [
      { DUNNING_SECOND_NOTICE_DAYS: '26' },
      'DUNNING_SECOND_NOTICE_DAYS: the second notice (due day + 26) must come before the warning (suspension day − 5 = due day + 25); lower DUNNING_SECOND_NOTICE_DAYS or DUNNING_WARNING_DAYS',
    ],
  ])('refuse %j naming the setting', (env, message) => {
    expect(failure(env)).toBe(`invalid settings:\n  ${message}`);
  });

  it("is what the worker's dunningLadder activity hands the workflow", async () => {
    const deps = await openInMemoryDependencies(loadSettings({ DUNNING_REMINDER_DAYS: '7', DUNNING_WARNING_DAYS: 'off' }));
    try {
      expect(await createActivities(deps).dunningLadder()).toEqual({ reminderDays: 7, secondNoticeDays: 14, warningDays: null });
    } finally {
      await deps.close();
    }
  });
});
