/** Billing close and payments: which months to invoice, and how a payment settles them (Appendix 3, Art. 27). */
import { assembleInvoice } from '../billing';
import { addDays, monthOf } from '../calendar';
import { allocatePayment, lateDamagesLine } from '../payments';
import { RULE } from '../rules';
import { linesForMonth, monthsToClose } from '../statement';
import type { InvoiceLine, IsoDate, YearMonth } from '../types';
import type { Command } from '../validation';
import { holdCreditOf, settleCredit } from './credit';
import { notice } from './notices';
import { resumeIfNoGround } from './suspension';
import { changeLines, termsHistory } from './terms';
import { done } from './said';
import { refuse, type Refusal } from './refusals';
import type { CommandResult, ContractState, Effect, InvoiceRecord } from './state';

export function checkCloseBillingPeriod(_s: ContractState, c: Command<'closeBillingPeriod'>, today: IsoDate): Refusal | null {
  if (c.period >= monthOf(today)) return refuse(RULE.invoiceCycle, 'periodNotOver', { period: c.period, rule: RULE.invoiceCycle });
  return null;
}

/**
 * Invoice every unbilled month through `period`, oldest first, so a missed run is caught up (D-11).
 * A month already billed is never billed again; a month with nothing to bill issues no invoice.
 */
export function closeBillingPeriod(s: ContractState, c: Command<'closeBillingPeriod'>, today: IsoDate): { result: CommandResult; effects: Effect[] } {
  if (!s.startDate) return { result: { ...done('notStarted', {}), issued: [], alreadyClosed: false }, effects: [] };
  const effects: Effect[] = [];
  const issued: YearMonth[] = [];
  // An earlier close (another run, a later month's) had closed the period: the billing run's "already billed".
  const alreadyClosed = s.billedThrough !== null && s.billedThrough >= c.period;
  const months = monthsToClose({ billedThrough: s.billedThrough, startDate: s.startDate, through: c.period });
  for (const period of months) {
    // One-off lines wait for the invoice of the month being closed (when a missed run is caught up,
    // the latest of the months issued together).
    const pending = period === months[months.length - 1] ? s.pendingLines : [];
    const scheduled = s.scheduledLines.filter((l) => l.period <= period);
    s.scheduledLines = s.scheduledLines.filter((l) => l.period > period);
    const lines = linesForMonth({
      period,
      startDate: s.startDate,
      lastContractDay: s.end?.lastDay ?? null,
      history: termsHistory(s),
      priceLists: s.priceLists,
      // D-28: the lines the approved changes bring, then the lines fixed for the month (Art. 11-2, 21, 29-3).
      scheduled: [...changeLines(s, period), ...scheduled.map((l) => l.line)],
      pending,
    });
    if (pending.length) s.pendingLines = [];
    s.billedThrough = period;
    if (lines.length === 0) continue;
    const invoice = assembleInvoice(period, lines);
    const inv: InvoiceRecord = { ...invoice, paid: 0, outstanding: invoice.total, overdueNoticeSent: false, invoiceNumber: null };
    if (inv.total < 0) holdCreditOf(s, inv);
    s.invoices.push(inv);
    issued.push(period);
    // D-27: credit held (advances, this or an earlier negative invoice) settles the oldest due invoice first, today.
    effects.push({ type: 'issueInvoice', period }, ...settleCredit(s, today));
    effects.push(notice(s, 'invoiceIssued', today, period, { period, invoiceTotal: inv.total, dueOn: inv.dueOn, article: RULE.invoiceCycle }));
  }
  // D-25, D-27: credit that paid what a non-payment notice asked for resumes the service.
  effects.push(...resumeIfNoGround(s, today, `credit-${today}`, 'paidInFull'));
  const said = issued.length
    ? done('invoiced', { periods: issued.join(', ') })
    : alreadyClosed
      ? done('alreadyClosed', { period: c.period })
      : done('nothingToBill', { period: c.period });
  return { result: { ...said, issued, billedThrough: s.billedThrough, alreadyClosed }, effects };
}

/** How far back a payment may be dated: a bank statement arrives within days, a month at most. */
export const PAYMENT_BACKDATE_DAYS = 31;

export function checkPay(s: ContractState, c: Command<'pay'>, today: IsoDate): Refusal | null {
  if (s.status === 'pending') return refuse(RULE.paymentOrder, 'nothingOwedPending', {});
  if (s.status === 'rejected') return refuse(RULE.paymentOrder, 'nothingOwedRejected', {});
  if (c.paidOn !== undefined) {
    if (c.paidOn > today) return refuse(RULE.paymentOrder, 'paymentAfterToday', { paidOn: c.paidOn, today });
    if (s.approvedOn && c.paidOn < s.approvedOn) return refuse(RULE.paymentOrder, 'paymentBeforeApproval', { paidOn: c.paidOn, approvedOn: s.approvedOn });
    if (c.paidOn < addDays(today, -PAYMENT_BACKDATE_DAYS)) return refuse(RULE.paymentOrder, 'paymentTooOld', { paidOn: c.paidOn, days: PAYMENT_BACKDATE_DAYS });
  }
  return null;
}

/** Appendix 3 §3: oldest due invoice first; Art. 27 / D-13: late damages on what was late, billed next time. */
export function pay(s: ContractState, c: Command<'pay'>, today: IsoDate): { result: CommandResult; effects: Effect[] } {
  // Art. 27: late damages run to the day the money was received, not the day it was recorded.
  const paidOn = c.paidOn ?? today;
  const { allocations, unapplied } = allocatePayment({ open: s.invoices, amount: c.amount, paidOn });
  let damages = 0;
  const damageLines: InvoiceLine[] = [];
  for (const a of allocations) {
    const inv = s.invoices.find((i) => i.period === a.period)!;
    inv.paid += a.amount;
    inv.outstanding -= a.amount;
    if (a.lateDamages > 0) {
      damages += a.lateDamages;
      const line = lateDamagesLine(a.lateDamages, `${a.period} ${a.amount}円 × ${a.daysLate}日 (${c.requestId})`);
      damageLines.push(line);
      s.pendingLines.push(line);
    }
  }
  const paymentId = `${s.contractId}:${c.requestId}`;
  s.payments.push({
    paymentId,
    requestId: c.requestId,
    paidOn,
    amount: c.amount,
    settled: allocations.map(({ period, amount }) => ({ period, amount })),
    damages: damageLines,
    reversed: null,
  });
  s.credit += unapplied;
  if (unapplied > 0) s.advances.push({ paymentId, remaining: unapplied });
  const effects: Effect[] = [
    { type: 'recordPayment', paymentId, paidOn, amount: c.amount, allocations: allocations.map(({ period, amount }) => ({ period, amount })) },
    notice(s, 'paymentReceived', today, c.requestId, { amount: c.amount, article: RULE.paymentOrder }),
  ];
  // D-25: paying the invoices a non-payment notice asked for lifts that ground; the service resumes when none is left (D-26).
  effects.push(...resumeIfNoGround(s, today, c.requestId, 'paidInFull'));
  return {
    result: {
      ...done('paymentApplied', { amount: c.amount, paidOn: paidOn !== today ? paidOn : '', damages, unapplied }),
      allocations,
      advance: unapplied,
      lateDamages: damages,
    },
    effects,
  };
}

export function checkReversePayment(s: ContractState, c: Command<'reversePayment'>): Refusal | null {
  const p = s.payments.find((x) => x.requestId === c.paymentRequestId);
  if (!p) return refuse(RULE.paymentOrder, 'noSuchPayment', { requestId: c.paymentRequestId });
  if (p.reversed) return refuse(RULE.paymentOrder, 'paymentAlreadyReversed', { requestId: c.paymentRequestId, on: p.reversed.on });
  return null;
}

/**
 * A payment taken back: every invoice it settled owes that part again, what is left of it in advance
 * is no longer credit, and the late damages its lateness caused are withdrawn (still pending: dropped;
 * already invoiced: credited on the next invoice) — the real payment, when it comes, counts them anew.
 */
export function reversePayment(s: ContractState, c: Command<'reversePayment'>, today: IsoDate): { result: CommandResult; effects: Effect[] } {
  const p = s.payments.find((x) => x.requestId === c.paymentRequestId)!;
  for (const part of p.settled) {
    const inv = s.invoices.find((i) => i.period === part.period);
    if (!inv) continue;
    inv.paid -= part.amount;
    inv.outstanding += part.amount;
  }
  const advance = s.advances.find((a) => a.paymentId === p.paymentId);
  if (advance) {
    s.credit -= advance.remaining;
    s.advances = s.advances.filter((a) => a !== advance);
  }
  let damagesCredited = 0;
  for (const line of p.damages) {
    const pending = s.pendingLines.findIndex((l) => l.kind === line.kind && l.description === line.description && l.amount === line.amount);
    if (pending >= 0) s.pendingLines.splice(pending, 1);
    else {
      damagesCredited += line.amount;
      s.pendingLines.push({ ...line, amount: -line.amount, description: `${line.description} — 取消 (withdrawn: payment ${p.requestId} reversed)` });
    }
  }
  p.reversed = { on: today, reason: c.reason };
  const owed = p.settled.reduce((a, x) => a + x.amount, 0);
  // D-27: credit still held settles what the reversal made owed again, today.
  const settled = settleCredit(s, today);
  return {
    result: {
      ...done('paymentReversed', {
        requestId: p.requestId,
        amount: p.amount,
        paidOn: p.paidOn,
        owed,
        advance: advance?.remaining ?? 0,
        damagesCredited,
      }),
      owedAgain: owed,
    },
    effects: [{ type: 'reversePayment', paymentId: p.paymentId, reversedOn: today, reason: c.reason }, ...settled],
  };
}

/** How close two payments of the same amount must be to ask the clerk whether it is the same one twice. */
export const SAME_AMOUNT_WARNING_DAYS = 7;

/**
 * A payment of the same amount on this contract within SAME_AMOUNT_WARNING_DAYS of `on` (not reversed):
 * the edges ask for a confirmation before recording another — the same transfer keyed twice is a
 * common slip, and a new request id would record it twice.
 */
export function sameAmountRecently(s: Pick<ContractState, 'payments'>, amount: number, on: IsoDate): ContractState['payments'][number] | undefined {
  const from = addDays(on, -SAME_AMOUNT_WARNING_DAYS);
  return s.payments.find((p) => !p.reversed && p.amount === amount && p.paidOn >= from && p.paidOn <= addDays(on, SAME_AMOUNT_WARNING_DAYS));
}
