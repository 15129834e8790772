/** What the customer owes: outstanding, overdue and the balance after credits (Appendix 3 §3, Art. 27, D-27). */
import type { IsoDate, Yen } from '../types';
import type { ContractState, InvoiceRecord } from './state';

/** What is still unpaid of the invoices (credit held for later invoices is not counted). */
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
