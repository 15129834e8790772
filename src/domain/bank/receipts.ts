/**
 * 入金消込: what a bank statement's line is and whose it is. A line's identity (D-33: bank, branch, account,
 * 照会番号, 勘定日, amount, and whether it is a 取消) is what makes a second import of it a duplicate,
 * whatever the file is called. The customer is found by the virtual account, else the 振込依頼人コード,
 * else an invoice number or contract id in the EDI field, else the payer name registered to exactly one
 * customer (D-30). The amount then settles that customer's oldest due invoices first across its contracts
 * (別表3 §3); what is left is an advance payment (別表3 §5); a shortfall stays owed (Art. 24-1: the
 * transfer fee is the customer's).
 */
import { Dec } from '../money';
import { RULE } from '../rules';
import type { IsoDate, YearMonth, Yen } from '../types';
import { payerNameKey } from './payer-name';

/** A statement line as matching reads it (the back office's readers give more). */
export interface ReceiptLine {
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  /** 照会番号. */
  inquiryNumber: string;
  /** 勘定日: the day the payment was received (Art. 27: damages run to it). */
  bookedOn: IsoDate;
  amount: Yen;
  payerCode: string | null;
  payerName: string;
  edi: string;
  /** 取消: the line cancels an earlier one with the same 照会番号. */
  cancels: boolean;
}

/** The line's identity: two lines with the same one are the same money (D-33). */
export function receiptIdentity(l: ReceiptLine): string {
  return `${l.bankCode}-${l.branchCode}-${l.accountNumber}-${l.inquiryNumber}-${l.bookedOn}-${l.amount}${l.cancels ? '-C' : ''}`;
}

/** The identity a 取消 line points at: the same line without its 取消 mark. */
export function cancelledIdentity(l: ReceiptLine): string {
  return receiptIdentity({ ...l, cancels: false });
}

/** The request id of the payment a line makes to one contract: the line's identity (the update is the contract's own). */
export function receiptRequestId(identity: string): string {
  return `bank:${identity}`;
}

/** Where a customer is looked up: each answers the customers (ids) registered to the key. */
export interface CustomerDirectory {
  byVirtualAccount(accountNumber: string): string | undefined;
  byPayerCode(code: string): string | undefined;
  /** An invoice number (INV-000123) or a contract id. */
  byReference(reference: string): string | undefined;
  byPayerName(matchKey: string): readonly string[];
}

export type MatchedBy = 'virtualAccount' | 'payerCode' | 'reference' | 'payerName';
export type CustomerMatch = { customerId: string; by: MatchedBy } | { customerId: null; reason: string };

/** The words of the EDI field a payer may have typed as a reference: invoice numbers as we print them, any other token as a contract id. */
export function ediReferences(edi: string): string[] {
  const text = edi.normalize('NFKC').trim();
  if (!text) return [];
  const tokens = text.split(/[\s,/;]+/).filter((t) => t.length > 0);
  const refs = new Set<string>();
  for (const t of tokens) {
    const inv = /^INV-?(\d{1,12})$/i.exec(t);
    if (inv) refs.add(`INV-${inv[1]!.padStart(6, '0')}`);
    else refs.add(t);
  }
  return [...refs];
}

/** The customer a line is from, by the first key that names exactly one (issue 29's order), or why none. */
export function matchCustomer(line: ReceiptLine, directory: CustomerDirectory): CustomerMatch {
  const byAccount = directory.byVirtualAccount(line.accountNumber);
  if (byAccount) return { customerId: byAccount, by: 'virtualAccount' };
  if (line.payerCode) {
    const byCode = directory.byPayerCode(line.payerCode);
    if (byCode) return { customerId: byCode, by: 'payerCode' };
  }
  const byRef = new Set(ediReferences(line.edi).flatMap((r) => directory.byReference(r) ?? []));
  if (byRef.size === 1) return { customerId: [...byRef][0]!, by: 'reference' };
  const key = payerNameKey(line.payerName);
  const named = key ? [...new Set(directory.byPayerName(key))] : [];
  if (byRef.size === 0 && named.length === 1) return { customerId: named[0]!, by: 'payerName' };
  if (byRef.size > 1) return { customerId: null, reason: `the EDI field names ${byRef.size} customers` };
  if (named.length > 1) return { customerId: null, reason: `the payer name ${line.payerName} is registered to ${named.length} customers` };
  return { customerId: null, reason: 'no customer has this virtual account, payer code, reference or payer name' };
}

/** An invoice of one of the customer's contracts with something still owed on it. */
export interface OwedInvoice {
  contractId: string;
  period: YearMonth;
  dueOn: IsoDate;
  outstanding: Yen;
}

export interface ReceiptPlan {
  /** What each contract is paid (its own pay settles its own invoices, oldest due first). */
  payments: Array<{ contractId: string; amount: Yen }>;
  /** What went to invoices. */
  applied: Yen;
  /** Held as an advance payment (別表3 §5) on `advanceContractId`. */
  advance: Yen;
  advanceContractId: string | null;
  /** What is left on the invoice the money ended in, part-paid (Art. 24-1): later invoices are not a shortfall. */
  shortfall: Yen;
  outcome: 'matched' | 'short' | 'over';
  /** The shortfall is the size of a bank's transfer fee: most likely deducted by the payer (Art. 24-1). */
  likelyTransferFee: boolean;
  rule: string;
}

/** The largest transfer fee a Japanese bank charges for one transfer (tax included): a shortfall up to it is flagged as the fee. */
export const LIKELY_TRANSFER_FEE_MAX_YEN = 990;

/**
 * 別表3 §3 across a customer's contracts: the oldest due invoice first (due day, then period, then contract),
 * each up to what it still owes. The rest is an advance (§5) on the contract that took the last part of the
 * money, or on `fallbackContractId` (the customer's newest contract) when nothing was owed. `short`: the money
 * ends part-way through an invoice; `over`: it outlasts every invoice; else `matched`.
 */
export function planReceipt(args: { amount: Yen; owed: readonly OwedInvoice[]; fallbackContractId: string }): ReceiptPlan {
  const queue = args.owed
    .filter((o) => o.outstanding > 0)
    .slice()
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.period.localeCompare(b.period) || a.contractId.localeCompare(b.contractId));
  let remaining = new Dec(args.amount);
  const byContract = new Map<string, Yen>();
  let last: string | null = null;
  let shortfall = 0;
  for (const inv of queue) {
    if (remaining.isZero()) break;
    const part = Dec.min(remaining, inv.outstanding);
    remaining = remaining.minus(part);
    byContract.set(inv.contractId, (byContract.get(inv.contractId) ?? 0) + part.toNumber());
    last = inv.contractId;
    shortfall = inv.outstanding - part.toNumber(); // left on the invoice the money ended in
  }
  const advance = remaining.toNumber();
  const applied = args.amount - advance;
  const advanceContractId = advance > 0 ? (last ?? args.fallbackContractId) : null;
  if (advanceContractId) byContract.set(advanceContractId, (byContract.get(advanceContractId) ?? 0) + advance);
  const outcome = advance > 0 ? 'over' : shortfall > 0 ? 'short' : 'matched';
  return {
    payments: [...byContract].map(([contractId, amount]) => ({ contractId, amount })).filter((p) => p.amount > 0),
    applied,
    advance,
    advanceContractId,
    shortfall,
    outcome,
    likelyTransferFee: outcome === 'short' && shortfall <= LIKELY_TRANSFER_FEE_MAX_YEN,
    rule: outcome === 'over' ? RULE.advancePayment : outcome === 'short' ? `${RULE.paymentOrder} ${RULE.transferFees}` : RULE.paymentOrder,
  };
}
