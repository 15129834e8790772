/** Helpers the transitions share: notices with business-key ids, balances, fees in force. */
import { monthOf } from '../calendar';
import { catalogIn } from '../price-lists';
import { monthlyFees, type MonthlyFees } from '../pricing';
import { termsOnDay } from '../statement';
import type { IsoDate, NoticeFacts, NoticeKind, Yen } from '../types';
import type { ContractState, Effect, InvoiceRecord } from './state';

/** A notice, idempotent by a business key: `contract:kind:key` (never a run id). */
export function notice(s: ContractState, kind: NoticeKind, on: IsoDate, key: string, facts: NoticeFacts = {}): Effect {
  const id = `${s.contractId}:${kind}:${key}`;
  s.notices.push({ id, kind, on });
  return { type: 'notice', id, kind, on, facts };
}

/** The fees in force on `day`: the terms of its month under the price-list version of its month (D-17). */
export function feesOn(s: ContractState, day: IsoDate): MonthlyFees {
  return monthlyFees(termsOnDay(s.terms, day), catalogIn(s.priceLists, monthOf(day)));
}

/** What is still unpaid of the invoices (credits not set against them yet are not counted). */
export function outstanding(s: ContractState): Yen {
  return s.invoices.reduce((a, i) => a + Math.max(0, i.outstanding), 0);
}

/** What the customer owes now (negative: a refund is due to them). */
export function balance(s: ContractState): Yen {
  return s.invoices.reduce((sum, i) => sum + i.outstanding, 0) - s.credit;
}

/** What is past its due day and still unpaid on `today` (Art. 27). */
export function overdue(s: ContractState, today: IsoDate): Yen {
  return overdueInvoices(s, today).reduce((a, i) => a + i.outstanding, 0);
}

/** Invoices past their due day with something still unpaid, on `today`. */
export function overdueInvoices(s: ContractState, today: IsoDate): InvoiceRecord[] {
  return s.invoices.filter((i) => i.outstanding > 0 && i.dueOn < today);
}
