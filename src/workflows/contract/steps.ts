/**
 * The contract's automatic steps: what happens by itself on a day, with no one acting (D-2, Art. 11,
 * D-8, D-14). `nextStep` tells the workflow which durable timer to set; `applyStep` carries it out.
 */
import { monthOf, startOfDayJst } from '../../domain/calendar';
import {
  dataDeletionDay,
  deemedRejectionDay,
  nextTermEnd,
  overdueNoticeDay,
  overdueSuspensionDay,
  overdueTerminationDay,
} from '../../domain/lifecycle';
import { earlyTerminationFee } from '../../domain/charges';
import type { IsoDate } from '../../domain/types';
import { feesOn, notice } from './effects';
import type { ContractState, Effect } from './state';

export type StepKind =
  | 'deemedRejection'
  | 'changeDeemedRejection'
  | 'renewal'
  | 'contractEnd'
  | 'dataDeletion'
  | 'overdueNotice'
  | 'overdueSuspension'
  | 'overdueTermination';

export interface Step {
  kind: StepKind;
  on: IsoDate;
  /** One line for the timer in the Web UI. */
  summary: string;
}

/** Every automatic step still ahead, in the order they run within a day (scenario spec). */
export function pendingSteps(s: ContractState): Step[] {
  const steps: Step[] = [];
  if (s.status === 'pending') {
    steps.push({ kind: 'deemedRejection', on: deemedRejectionDay(s.appliedOn), summary: 'approval window closes (Art. 8, D-2)' });
  }
  if (s.pendingChange) {
    steps.push({ kind: 'changeDeemedRejection', on: deemedRejectionDay(s.pendingChange.requestedOn), summary: 'change request window closes (Art. 12)' });
  }
  const live = s.status === 'active' || s.status === 'suspended';
  if (live) {
    for (const inv of s.invoices) {
      if (inv.outstanding > 0 && !inv.overdueNoticeSent)
        steps.push({ kind: 'overdueNotice', on: overdueNoticeDay(inv.dueOn), summary: `invoice ${inv.period} overdue (Art. 27)` });
    }
    const oldestUnpaid = s.invoices.find((i) => i.outstanding > 0);
    if (s.status === 'active' && oldestUnpaid)
      steps.push({ kind: 'overdueSuspension', on: overdueSuspensionDay(oldestUnpaid.dueOn, s.overduePolicy), summary: `suspend if ${oldestUnpaid.period} is still unpaid (D-14)` });
    if (s.suspension?.cause === 'overdue')
      steps.push({ kind: 'overdueTermination', on: overdueTerminationDay(s.suspension.since, s.overduePolicy), summary: 'terminate if still unpaid (Art. 29-1, D-14)' });
    // A late decline fixes the end at the next term's last day (Art. 11): the current term still renews.
    if (s.currentTermEnd && (!s.end || s.end.lastDay > s.currentTermEnd))
      steps.push({ kind: 'renewal', on: dataDeletionDay(s.currentTermEnd), summary: `renew after ${s.currentTermEnd} (Art. 11)` });
    if (s.end) steps.push({ kind: 'contractEnd', on: dataDeletionDay(s.end.lastDay), summary: `contract ends after ${s.end.lastDay}` });
  }
  if (s.status === 'ended' && s.end && !s.dataDeletedOn) {
    steps.push({ kind: 'dataDeletion', on: dataDeletionDay(s.end.lastDay), summary: 'delete customer data (Art. 30, D-8)' });
  }
  return steps;
}

/**
 * When in its day (minutes after 00:00 JST) a step runs. The scenario spec orders a day as: deemed
 * rejection, the monthly billing run (00:05 on the 1st), overdue steps, the contract's end, data deletion.
 * So the steps after the billing run wait until 00:10, and the final invoice goes out before the data
 * is deleted.
 */
export const STEP_MINUTE: Readonly<Record<StepKind, number>> = {
  deemedRejection: 0,
  changeDeemedRejection: 0,
  overdueNotice: 10,
  overdueSuspension: 10,
  overdueTermination: 10,
  renewal: 10,
  contractEnd: 10,
  dataDeletion: 10,
};

/** The instant (epoch ms, workflow clock) a step is due; `atMidnight` is the behaviour of runs started before STEP_MINUTE. */
export function stepDueAt(step: Step, atMidnight = false): number {
  return startOfDayJst(step.on) + (atMidnight ? 0 : STEP_MINUTE[step.kind] * 60_000);
}

const ORDER: StepKind[] = ['deemedRejection', 'changeDeemedRejection', 'overdueNotice', 'overdueSuspension', 'overdueTermination', 'renewal', 'contractEnd', 'dataDeletion'];

/** The earliest step; ties in the order of a day (automatic steps run before the day's commands). */
export function nextStep(s: ContractState): Step | undefined {
  return pendingSteps(s).sort((a, b) => (a.on === b.on ? ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) : a.on < b.on ? -1 : 1))[0];
}

/** Carry out one due step on `today`, returning the effects (notices, data deletion). */
export function applyStep(s: ContractState, step: Step, today: IsoDate): Effect[] {
  switch (step.kind) {
    case 'deemedRejection':
      s.status = 'rejected';
      s.endedOn = today;
      return [notice(s, 'deemedRejected', today, 'application')]; // Art. 10: no reason given
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
          effects.push(notice(s, 'paymentOverdue', today, inv.period, { period: inv.period, outstanding: inv.outstanding, dueOn: inv.dueOn, article: '第27条' }));
        }
      return effects;
    }
    case 'overdueSuspension': {
      s.status = 'suspended';
      s.suspension = { since: today, cause: 'overdue' };
      const owed = s.invoices.filter((i) => i.outstanding > 0 && i.dueOn < today).reduce((a, i) => a + i.outstanding, 0);
      // D-14: the suspension notice asks for payment and names the day termination follows.
      return [notice(s, 'suspended', today, `overdue-${today}`, { outstanding: owed, terminationDay: overdueTerminationDay(today, s.overduePolicy), article: '第18条 D-14' })];
    }
    case 'overdueTermination': {
      const etf = s.minimumTermEnd ? earlyTerminationFee({ endDay: today, minimumTermEnd: s.minimumTermEnd, fixedMonthlyFee: feesOn(s, today).fixedMonthlyFee }) : null;
      s.scheduledLines = s.scheduledLines.filter((l) => !l.tiedToEnd);
      if (etf) s.scheduledLines.push({ period: monthOf(today), line: etf, tiedToEnd: true });
      s.end = { lastDay: today, kind: 'terminationForCause', fixedOn: today, by: 'provider', earlyTerminationFee: etf?.amount ?? 0, compensation: 0 };
      s.status = 'ended';
      s.endedOn = today;
      s.suspension = null;
      return [notice(s, 'terminated', today, 'non-payment', { terminationDay: today, earlyTerminationFee: etf?.amount ?? 0, article: '第29条1項 D-14' })];
    }
    case 'renewal':
      s.currentTermEnd = nextTermEnd(s.currentTermEnd!);
      return [];
    case 'contractEnd': {
      s.status = 'ended';
      s.endedOn = today;
      s.suspension = null;
      const end = s.end!;
      return end.kind === 'terminationForConvenience'
        ? [notice(s, 'terminated', today, 'convenience', { terminationDay: end.lastDay, compensation: end.compensation, article: '第29条3項' })]
        : [];
    }
    case 'dataDeletion':
      s.dataDeletedOn = today;
      return [
        { type: 'deleteData', lastContractDay: s.end!.lastDay, deletionDay: today },
        notice(s, 'dataDeleted', today, 'deletion', { endDate: s.end!.lastDay, article: '第30条 D-8' }),
      ];
  }
}
