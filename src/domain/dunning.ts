/**
 * D-31: the dunning ladder — the courtesy notices around an unpaid invoice besides Art. 27's overdue notice:
 * a reminder before the due day, a second notice (督促) after it, a warning before D-14's suspension day.
 * The service's settings choose which are sent and on which day; the terms require none of them. Pure.
 */
import { OVERDUE_POLICY } from './lifecycle';

/** Each step's days, or null when it is off. */
export interface DunningLadder {
  /** paymentReminder: this many days before the due day. */
  reminderDays: number | null;
  /** paymentSecondNotice (督促): this many days after the due day. */
  secondNoticeDays: number | null;
  /** suspensionWarning: this many days before the D-14 suspension day (due day + 30). */
  warningDays: number | null;
}

/** Every step off: what the simulator runs with (docs/simulator.md lists only the terms' notices). */
export const NO_DUNNING: DunningLadder = { reminderDays: null, secondNoticeDays: null, warningDays: null };

/** The service's defaults (docs/operations.md#settings). */
export const DEFAULT_DUNNING: DunningLadder = { reminderDays: 3, secondNoticeDays: 14, warningDays: 5 };

const SUSPEND = OVERDUE_POLICY.suspendAfterDays;

/**
 * The days each step may take: the reminder within the invoice's month (issued on the 1st, due at its end,
 * D-11); the second notice after the overdue notice (due + 1) and before the suspension; the warning after
 * the overdue notice too.
 */
export const DUNNING_LIMITS: Readonly<Record<keyof DunningLadder, { min: number; max: number; what: string }>> = {
  reminderDays: { min: 1, max: 20, what: 'days before the due day' },
  secondNoticeDays: { min: 2, max: SUSPEND - 1, what: 'days after the due day' },
  warningDays: { min: 1, max: SUSPEND - 2, what: `days before the suspension day (due day + ${SUSPEND}, D-14)` },
};

export interface DunningProblem {
  step: keyof DunningLadder;
  /** `range`: the step's days are outside its limits; `order`: the second notice does not come before the warning. */
  kind: 'range' | 'order';
  message: string;
}

/** What is wrong with a ladder, by step: out of its limits, or (the limits kept) a second notice not before the warning. */
export function dunningProblems(l: DunningLadder): DunningProblem[] {
  const problems: DunningProblem[] = [];
  for (const step of Object.keys(DUNNING_LIMITS) as Array<keyof DunningLadder>) {
    const days = l[step];
    const { min, max, what } = DUNNING_LIMITS[step];
    if (days !== null && !(Number.isInteger(days) && days >= min && days <= max))
      problems.push({ step, kind: 'range', message: `expected a whole number of ${what} from ${min} to ${max}, or off` });
  }
  if (problems.length === 0 && l.secondNoticeDays !== null && l.warningDays !== null && l.secondNoticeDays + l.warningDays >= SUSPEND)
    problems.push({
      step: 'secondNoticeDays',
      kind: 'order',
      message: `the second notice (due day + ${l.secondNoticeDays}) must come before the warning (suspension day − ${l.warningDays} = due day + ${SUSPEND - l.warningDays})`,
    });
  return problems;
}
