/**
 * Suspension and its grounds (Art. 18, 25, 29-1-4, D-14, D-25, D-26). A non-payment notice is about the
 * invoices 30 days past due on its day; it stays open while one of them is unpaid, and 30 days after it the
 * contract is terminated if one still is. The back office may suspend for another Art. 18 reason; each ground
 * is lifted on its own, and the service resumes when none is left. Fees continue meanwhile (Art. 25).
 */
import { OVERDUE_POLICY, overdueSuspensionDay, overdueTerminationDay } from '../lifecycle';
import { RULE } from '../rules';
import type { IsoDate, YearMonth } from '../types';
import { notice } from './notices';
import type { ContractState, Effect, InvoiceRecord, NonPaymentNotice } from './state';
import { moveTo } from './transitions';

const unpaid = (s: ContractState, period: YearMonth) => s.invoices.some((i) => i.period === period && i.outstanding > 0);

/** D-25: the non-payment notices still open — an invoice each names is unpaid. */
export function openNonPaymentNotices(s: ContractState): NonPaymentNotice[] {
  return (s.suspension?.nonPayment ?? []).filter((n) => n.periods.some((p) => unpaid(s, p)));
}

/** D-25: the unpaid invoices no open notice asks for yet: each runs its own D-14 clock. */
export function invoicesNotYetNoticed(s: ContractState): InvoiceRecord[] {
  const asked = new Set(openNonPaymentNotices(s).flatMap((n) => n.periods));
  return s.invoices.filter((i) => i.outstanding > 0 && !asked.has(i.period));
}

/** D-14, D-25: the day the next non-payment notice is due (the oldest invoice not yet asked for), if any. */
export function nextNonPaymentDay(s: ContractState): { on: IsoDate; period: YearMonth } | null {
  const days = invoicesNotYetNoticed(s).map((i) => ({ on: overdueSuspensionDay(i.dueOn, OVERDUE_POLICY), period: i.period }));
  return days.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))[0] ?? null;
}

/** D-14, D-25: the day termination follows each open notice (T + 30), earliest first. */
export function terminationDays(s: ContractState): Array<{ on: IsoDate; notice: NonPaymentNotice }> {
  return openNonPaymentNotices(s)
    .map((n) => ({ on: overdueTerminationDay(n.on, OVERDUE_POLICY), notice: n }))
    .sort((a, b) => (a.on < b.on ? -1 : 1));
}

/** What holds the service suspended, for staff and the simulator (D-26). */
export function suspensionGrounds(
  s: ContractState,
): Array<
  { ground: 'nonPayment'; since: IsoDate; periods: YearMonth[]; terminationDay: IsoDate; rule: string } | { ground: 'backOffice'; since: IsoDate; rule: string }
> {
  if (!s.suspension) return [];
  return [
    ...openNonPaymentNotices(s).map((n) => ({
      ground: 'nonPayment' as const,
      since: n.on,
      periods: n.periods.filter((p) => unpaid(s, p)),
      terminationDay: overdueTerminationDay(n.on, OVERDUE_POLICY),
      rule: RULE.nonPaymentSuspension,
    })),
    ...(s.suspension.backOffice ? [{ ground: 'backOffice' as const, since: s.suspension.backOffice.since, rule: RULE.suspensionGrounds }] : []),
  ];
}

/**
 * D-14, D-25, D-26: on an invoice's 30th day past due, the service is suspended — or, already suspended for
 * any ground, stays so — with a notice naming every invoice 30 days past due that no open notice asks for.
 */
export function suspendForNonPayment(s: ContractState, today: IsoDate): Effect[] {
  const named = invoicesNotYetNoticed(s).filter((i) => overdueSuspensionDay(i.dueOn, OVERDUE_POLICY) <= today);
  const entry = { on: today, periods: named.map((i) => i.period) };
  const alreadySuspended = s.status === 'suspended';
  if (alreadySuspended) s.suspension!.nonPayment = [...openNonPaymentNotices(s), entry];
  else {
    moveTo(s, 'overdueSuspension', today);
    s.suspension = { since: today, nonPayment: [entry], backOffice: null };
  }
  const invoices = named.map((i) => ({ period: i.period, invoiceNumber: i.invoiceNumber, dueOn: i.dueOn, outstanding: i.outstanding }));
  const outstanding = invoices.reduce((a, i) => a + i.outstanding, 0);
  // D-14: the notice asks for payment of the invoices it names and says when termination follows.
  return [
    notice(s, 'suspended', today, `overdue-${today}`, {
      outstanding,
      invoices,
      alreadySuspended,
      terminationDay: overdueTerminationDay(today, OVERDUE_POLICY),
      article: RULE.nonPaymentSuspension,
    }),
  ];
}

/** D-26: the back office suspends for another Art. 18 reason: the service stops, or a non-payment suspension gains a ground. */
export function suspendByBackOffice(s: ContractState, today: IsoDate, key: string): Effect[] {
  if (s.status === 'active') {
    moveTo(s, 'suspend', today);
    s.suspension = { since: today, nonPayment: [], backOffice: { since: today } };
  } else s.suspension!.backOffice = { since: today };
  return [notice(s, 'suspended', today, key, { article: RULE.suspensionGrounds })];
}

/**
 * D-25, D-26: after money moved (a payment, a credit), notices whose invoices are all paid close; with no
 * ground left the service resumes, with a notice. Another ground keeps it suspended.
 */
export function resumeIfNoGround(s: ContractState, today: IsoDate, key: string, by: 'paidInFull' | 'resume'): Effect[] {
  if (!s.suspension) return [];
  s.suspension.nonPayment = openNonPaymentNotices(s);
  if (s.suspension.nonPayment.length || s.suspension.backOffice) return [];
  moveTo(s, by, today);
  return [notice(s, 'resumed', today, key, { article: by === 'resume' ? RULE.suspensionGrounds : RULE.nonPaymentSuspension })];
}
