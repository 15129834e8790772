/**
 * Credit the customer holds (D-27, Appendix 3 §3 and §5, D-7): advance payments and the credit of negative
 * invoices. Credit settles what is owed on the day it arises, oldest due invoice first, like a payment — late
 * damages on what it settles follow D-13 with that day as the payment day. Only what exceeds everything owed
 * is held for later invoices (a refund due, D-7); it earns no interest (§5).
 */
import { allocatePayment, lateDamagesLine } from '../payments';
import type { IsoDate, Yen } from '../types';
import type { ContractState, Effect, InvoiceRecord } from './state';

/** D-7, D-27: a negative invoice is settled by its own credit, which is then held and set against what is owed. */
export function holdCreditOf(s: ContractState, inv: InvoiceRecord): void {
  s.credit += -inv.total;
  s.creditNotes.push({ period: inv.period, remaining: -inv.total });
  inv.paid = inv.total;
  inv.outstanding = 0;
}

/** Take `amount` from the credit held: advance payments first, then credit notes, each oldest first. */
function takeCredit(s: ContractState, period: string, amount: Yen): Effect[] {
  const effects: Effect[] = [];
  let left = amount;
  for (const advance of s.advances) {
    if (left === 0) break;
    const take = Math.min(advance.remaining, left);
    if (take === 0) continue;
    advance.remaining -= take;
    left -= take;
    s.payments.find((p) => p.paymentId === advance.paymentId)?.settled.push({ period, amount: take });
    effects.push({ type: 'allocateAdvance', paymentId: advance.paymentId, period, amount: take });
  }
  for (const note of s.creditNotes) {
    if (left === 0) break;
    const take = Math.min(note.remaining, left);
    note.remaining -= take;
    left -= take;
    effects.push({ type: 'applyCredit', fromPeriod: note.period, period, amount: take });
  }
  s.advances = s.advances.filter((a) => a.remaining > 0);
  s.creditNotes = s.creditNotes.filter((n) => n.remaining > 0);
  return effects;
}

/**
 * D-27: set the credit held against every open invoice, oldest due first, on `today`; the ledger records which
 * credit settled which invoice. Late damages for what was past due go on the next invoice (Art. 27, D-13).
 */
export function settleCredit(s: ContractState, today: IsoDate): Effect[] {
  if (s.credit <= 0 || !s.invoices.some((i) => i.outstanding > 0)) return [];
  const { allocations } = allocatePayment({ open: s.invoices, amount: s.credit, paidOn: today });
  const effects: Effect[] = [];
  for (const a of allocations) {
    const inv = s.invoices.find((i) => i.period === a.period)!;
    inv.paid += a.amount;
    inv.outstanding -= a.amount;
    s.credit -= a.amount;
    effects.push(...takeCredit(s, a.period, a.amount));
    if (a.lateDamages > 0) s.pendingLines.push(lateDamagesLine(a.lateDamages, `${a.period} ${a.amount}円 × ${a.daysLate}日 (credit ${today})`));
  }
  return effects;
}
