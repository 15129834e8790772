/** Helpers the transitions share: notices with business-key ids, balances, fees in force. */
import { monthlyFees, type MonthlyFees } from '../../domain/pricing';
import { termsOnDay } from '../../domain/statement';
import type { IsoDate, NoticeFacts, NoticeKind, Yen } from '../../domain/types';
import type { ContractState, Effect } from './state';

/** A notice, idempotent by a business key: `contract:kind:key` (never a run id). */
export function notice(s: ContractState, kind: NoticeKind, on: IsoDate, key: string, facts: NoticeFacts = {}): Effect {
  const id = `${s.contractId}:${kind}:${key}`;
  s.notices.push({ id, kind, on });
  return { type: 'notice', id, kind, on, facts };
}

export function feesOn(s: ContractState, day: IsoDate): MonthlyFees {
  return monthlyFees(termsOnDay(s.terms, day));
}

/** What the customer owes now (negative: a refund is due to them). */
export function balance(s: ContractState): Yen {
  return s.invoices.reduce((sum, i) => sum + i.outstanding, 0) - s.credit;
}

/** Invoices past their due day with something still unpaid, on `today`. */
export function overdueInvoices(s: ContractState, today: IsoDate) {
  return s.invoices.filter((i) => i.outstanding > 0 && i.dueOn < today);
}

/** The last contract day, once fixed. */
export function lastContractDay(s: ContractState): IsoDate | null {
  return s.end?.lastDay ?? null;
}
