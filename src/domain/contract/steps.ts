/**
 * The contract's automatic steps: what happens by itself on a day, with no one acting (D-2, Art. 12-2,
 * Art. 27, D-31, D-14, Art. 29-3, D-8). A renewal is not a step: the current term follows from the dates (Art. 11).
 * `pendingSteps` says what is ahead; `dueSteps` what is due at a moment; `applyStep` carries one out.
 */
import { startOfDayJst } from '../calendar';
import { addDays } from '../calendar';
import { approvalDeadline, dataDeletionDay, deemedRejectionDay, overdueNoticeDay } from '../lifecycle';
import { RULE } from '../rules';
import type { IsoDate, YearMonth } from '../types';
import { FOUR_EYES } from '../actor';
import { retireLapsed } from './approvals';
import { applyDunning, pendingDunning } from './dunning';
import { notice } from './notices';
import { terminateForCauseToday } from './ending';
import type { ContractState, Effect, NoticeEffect } from './state';
import { suspendForNonPayment, nextNonPaymentDay, terminationDays } from './suspension';
import { endContract, moveTo } from './transitions';

export type StepKind =
  | 'deemedRejection'
  | 'changeDeemedRejection'
  | 'approvalLapse'
  | 'usageStart'
  | 'overdueNotice'
  | 'paymentReminder'
  | 'paymentSecondNotice'
  | 'suspensionWarning'
  | 'overdueSuspension'
  | 'overdueTermination'
  | 'contractEnd'
  | 'dataDeletion';

export interface Step {
  kind: StepKind;
  on: IsoDate;
  /** One line for the timer in the Web UI. */
  summary: string;
  /** The last day to act before it happens (it runs at the start of `on`; D-2: a decision on A + 60 is in time). */
  actBy: IsoDate;
  /** The invoice an overdue step is about. */
  period?: YearMonth;
}

/**
 * The order of a day's steps: deemed rejections, overdue steps, the end, the deletion (docs/simulator.md). A
 * termination (D-14) runs before a younger invoice's non-payment notice due the same day (D-25): once the
 * contract ends, that notice would ask for a cure nobody can make.
 */
const ORDER: readonly StepKind[] = [
  'deemedRejection',
  'changeDeemedRejection',
  'approvalLapse',
  'usageStart',
  'overdueNotice',
  'overdueTermination',
  'paymentReminder',
  'paymentSecondNotice',
  'suspensionWarning',
  'overdueSuspension',
  'contractEnd',
  'dataDeletion',
];

/**
 * When in its day (minutes after 00:00 JST) a step runs. The simulator orders a day as (docs/simulator.md#order-within-a-day): deemed
 * rejection, the monthly billing run (00:05 on the 1st), overdue steps, the contract's end, data deletion.
 * So the steps after the billing run wait until 00:10, and the final invoice goes out before the data is deleted.
 */
export const STEP_MINUTE: Readonly<Record<StepKind, number>> = {
  deemedRejection: 0,
  changeDeemedRejection: 0,
  approvalLapse: 0,
  usageStart: 0,
  overdueNotice: 10,
  paymentReminder: 10,
  paymentSecondNotice: 10,
  suspensionWarning: 10,
  overdueSuspension: 10,
  overdueTermination: 10,
  contractEnd: 10,
  dataDeletion: 10,
};

/** The instant (epoch ms) a step is due. */
export function stepDueAt(step: Step): number {
  return startOfDayJst(step.on) + STEP_MINUTE[step.kind] * 60_000;
}

/** Every automatic step still ahead, earliest first (ties in the order of a day). */
export function pendingSteps(s: ContractState): Step[] {
  const steps: Omit<Step, 'actBy'>[] = [];
  if (s.status === 'pending')
    steps.push({ kind: 'deemedRejection', on: deemedRejectionDay(s.appliedOn), summary: `approval window closes (${RULE.approvalWindow})` });
  if (s.pendingChange)
    steps.push({
      kind: 'changeDeemedRejection',
      on: deemedRejectionDay(s.pendingChange.requestedOn),
      summary: `change request window closes (${RULE.changeRequest})`,
    });
  // Four eyes: a request no second supervisor approved by its last day is retired the day after.
  for (const p of s.pendingApprovals)
    steps.push({ kind: 'approvalLapse', on: addDays(p.expiresOn, 1), summary: `four-eyes request ${p.id} (${p.action}) lapses (${FOUR_EYES})` });
  // Art. 9 (D-34): approved, the contract is established on S.
  if (s.status === 'approved' && s.startDate)
    steps.push({ kind: 'usageStart', on: s.startDate, summary: `usage starts: the contract is established (${RULE.usageStart})` });
  if (s.status === 'active' || s.status === 'suspended') {
    for (const inv of s.invoices)
      if (inv.outstanding > 0 && !inv.overdueNoticeSent)
        steps.push({
          kind: 'overdueNotice',
          on: overdueNoticeDay(inv.dueOn),
          summary: `invoice ${inv.period} overdue (${RULE.lateDamages})`,
          period: inv.period,
        });
    steps.push(...pendingDunning(s)); // D-31
    // D-25, D-26: each unpaid invoice runs its own clock, whatever else holds the service.
    const nonPayment = nextNonPaymentDay(s);
    if (nonPayment)
      steps.push({
        kind: 'overdueSuspension',
        on: nonPayment.on,
        summary: `suspend if ${nonPayment.period} is still unpaid (${RULE.nonPaymentSuspension})`,
        period: nonPayment.period,
      });
    for (const t of terminationDays(s))
      steps.push({ kind: 'overdueTermination', on: t.on, summary: `terminate if ${t.notice.periods.join(', ')} still unpaid (${RULE.overdueTermination})` });
    if (s.end) steps.push({ kind: 'contractEnd', on: dataDeletionDay(s.end.lastDay), summary: `contract ends after ${s.end.lastDay}` });
  }
  if (s.status === 'ended' && s.end && !s.dataDeletedOn)
    steps.push({ kind: 'dataDeletion', on: dataDeletionDay(s.end.lastDay), summary: `delete customer data (${RULE.dataDeletion})` });
  return steps
    .map((step) => ({ ...step, actBy: actBy(s, step) }))
    .sort((a, b) => (a.on === b.on ? ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) : a.on < b.on ? -1 : 1));
}

/** The deadline a step sets: the window's last day for a deemed rejection (D-2), else the day before it runs. */
function actBy(s: ContractState, step: Omit<Step, 'actBy'>): IsoDate {
  if (step.kind === 'deemedRejection') return approvalDeadline(s.appliedOn);
  if (step.kind === 'changeDeemedRejection') return approvalDeadline(s.pendingChange!.requestedOn);
  return addDays(step.on, -1);
}

/**
 * The next step that will happen unless someone acts (its `actBy` is the contract's NextDeadline), for ops to filter on: the steps of an invoice not yet
 * due (the overdue notice, the suspension, the ladder's steps, D-31) are left out (a payment on time removes
 * them), so paying on time changes nothing ops see.
 */
export function nextDeadline(s: ContractState, today: IsoDate): Step | undefined {
  const notYetDue = (step: Step) => step.period !== undefined && s.invoices.some((i) => i.period === step.period && i.dueOn >= today);
  // The usage start (Art. 9) asks nothing of anyone: no deadline.
  return pendingSteps(s).find((step) => !notYetDue(step) && step.kind !== 'usageStart');
}

/** The earliest step ahead, if any. */
export function nextStep(s: ContractState): Step | undefined {
  return pendingSteps(s)[0];
}

/** Carry out one due step on `today`, returning the effects (notices, data deletion). */
export function applyStep(s: ContractState, step: Step, today: IsoDate): Effect[] {
  switch (step.kind) {
    case 'deemedRejection':
      moveTo(s, 'deemedRejection', today);
      return [notice(s, 'deemedRejected', today, 'application')]; // Art. 10: no reason given
    case 'approvalLapse':
      retireLapsed(s, today);
      return [];
    case 'usageStart':
      moveTo(s, 'usageStart', today);
      return [];
    case 'changeDeemedRejection': {
      const key = s.pendingChange!.requestId;
      s.pendingChange = null;
      return [notice(s, 'changeDeemedRejected', today, key)];
    }
    case 'overdueNotice': {
      const effects: Effect[] = [];
      for (const inv of s.invoices)
        if (inv.outstanding > 0 && !inv.overdueNoticeSent && overdueNoticeDay(inv.dueOn) <= today) {
          inv.overdueNoticeSent = true;
          effects.push(
            notice(s, 'paymentOverdue', today, inv.period, { period: inv.period, outstanding: inv.outstanding, dueOn: inv.dueOn, article: RULE.lateDamages }),
          );
        }
      return effects;
    }
    case 'paymentReminder':
    case 'paymentSecondNotice':
    case 'suspensionWarning':
      return applyDunning(s, step.kind, step.period!, today);
    case 'overdueSuspension':
      return suspendForNonPayment(s, today);
    case 'overdueTermination':
      // D-25: only an open notice has a step, so an invoice it named is still unpaid (Art. 29-1-4).
      return terminateForCauseToday(s, today, 'overdueTermination', 'non-payment');
    case 'contractEnd': {
      endContract(s, 'contractEnd', today);
      const end = s.end!;
      return end.kind === 'terminationForConvenience'
        ? [
            notice(s, 'terminated', today, 'convenience', {
              terminationDay: end.lastDay,
              compensation: end.compensation,
              article: RULE.terminationForConvenience,
            }),
          ]
        : [];
    }
    case 'dataDeletion':
      s.dataDeletedOn = today;
      // D-8: the customer is told deletion is done, by the deletion itself before it erases the address.
      return [
        {
          type: 'deleteData',
          lastContractDay: s.end!.lastDay,
          deletionDay: today,
          notice: notice(s, 'dataDeleted', today, 'deletion', { endDate: s.end!.lastDay, article: RULE.dataDeletion }) as NoticeEffect,
        },
      ];
  }
}
