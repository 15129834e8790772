/**
 * D-31: the dunning ladder's steps of each unpaid invoice, beside Art. 27's overdue notice (steps.ts): a
 * reminder before its due day, a second notice (督促) after it, a warning before D-14's suspension day. Each
 * at most once per invoice (noted on the invoice), none once it is paid or settled by credit (D-27), none
 * after the contract's end. A step whose day had passed when it ran (the step was turned on late, the next
 * step has come) is noted as passed, never sent late.
 */
import { addDays } from '../calendar';
import { NO_DUNNING, type DunningLadder } from '../dunning';
import { OVERDUE_POLICY, overdueNoticeDay, overdueSuspensionDay } from '../lifecycle';
import { RULE } from '../rules';
import type { IsoDate, NoticeFacts, YearMonth } from '../types';
import { notice } from './notices';
import type { ContractState, DunningKind, Effect, InvoiceRecord } from './state';

export const DUNNING_KINDS: readonly DunningKind[] = ['paymentReminder', 'paymentSecondNotice', 'suspensionWarning'];

interface Rung {
  kind: DunningKind;
  on: IsoDate;
  /** From this day it is too late: the next step of the ladder (or of D-14) has come. */
  until: IsoDate;
}

/** The ladder's steps of one invoice as the contract's ladder makes them, whether done or not. */
function rungsOf(s: ContractState, inv: InvoiceRecord): Rung[] {
  const l = s.dunning ?? NO_DUNNING;
  const suspensionDay = overdueSuspensionDay(inv.dueOn, OVERDUE_POLICY);
  const warningDay = l.warningDays === null ? null : addDays(suspensionDay, -l.warningDays);
  const rungs: Rung[] = [];
  const reminderDay = l.reminderDays === null ? null : addDays(inv.dueOn, -l.reminderDays);
  // Not on or before the issue day: the invoice itself states its due day.
  if (reminderDay !== null && reminderDay > inv.issuedOn) rungs.push({ kind: 'paymentReminder', on: reminderDay, until: overdueNoticeDay(inv.dueOn) });
  if (l.secondNoticeDays !== null) rungs.push({ kind: 'paymentSecondNotice', on: addDays(inv.dueOn, l.secondNoticeDays), until: warningDay ?? suspensionDay });
  // D-14: no warning of a suspension that cannot come — the contract is over by then.
  if (warningDay !== null && !(s.end && s.end.lastDay < suspensionDay)) rungs.push({ kind: 'suspensionWarning', on: warningDay, until: suspensionDay });
  return rungs;
}

const SUMMARY: Record<DunningKind, (period: YearMonth) => string> = {
  paymentReminder: (p) => `remind of invoice ${p} before its due day (${RULE.paymentReminder})`,
  paymentSecondNotice: (p) => `second notice (督促) if ${p} is still unpaid (${RULE.paymentSecondNotice})`,
  suspensionWarning: (p) => `warn of suspension if ${p} is still unpaid (${RULE.suspensionWarning})`,
};

/** The ladder's steps still ahead: unpaid invoices of a running contract, each step not yet done. */
export function pendingDunning(s: ContractState): Array<{ kind: DunningKind; on: IsoDate; summary: string; period: YearMonth }> {
  if (s.status !== 'active' && s.status !== 'suspended') return [];
  return s.invoices
    .filter((inv) => inv.outstanding > 0)
    .flatMap((inv) =>
      rungsOf(s, inv)
        .filter((r) => !inv.dunning?.[r.kind])
        .map((r) => ({ kind: r.kind, on: r.on, summary: SUMMARY[r.kind](inv.period), period: inv.period })),
    );
}

/** Carry out one ladder step of the invoice of `period` on `today`: its notice, or nothing if its day has passed. */
export function applyDunning(s: ContractState, kind: DunningKind, period: YearMonth, today: IsoDate): Effect[] {
  const inv = s.invoices.find((i) => i.period === period)!;
  const rung = rungsOf(s, inv).find((r) => r.kind === kind)!;
  const sent = today < rung.until;
  inv.dunning = { ...inv.dunning, [kind]: { on: today, sent } };
  if (!sent) return [];
  const suspensionDay = overdueSuspensionDay(inv.dueOn, OVERDUE_POLICY);
  const facts: NoticeFacts = {
    period: inv.period,
    dueOn: inv.dueOn,
    outstanding: inv.outstanding,
    ...(inv.invoiceNumber ? { invoiceNumber: inv.invoiceNumber } : {}),
    // D-14: suspended at the start of its day (00:10), so the day before is the last to pay.
    ...(kind === 'paymentReminder' ? {} : { suspensionDay, payBy: addDays(suspensionDay, -1) }),
    article: RULE[kind],
  };
  return [notice(s, kind, today, inv.period, facts)];
}

/** D-31: the state with the ladder the settings say now; the same state when nothing changed. */
export function adoptDunningLadder(s: ContractState, ladder: DunningLadder): ContractState {
  const held = s.dunning ?? NO_DUNNING;
  const same = (Object.keys(NO_DUNNING) as Array<keyof DunningLadder>).every((k) => held[k] === ladder[k]);
  return same && s.dunning ? s : { ...s, dunning: { ...ladder } };
}
