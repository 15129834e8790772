/** The bank lines store's records as the ledger reads them back (bank-lines.ts holds the SQL that writes them). */
import type { ReceiptLine } from '../../domain/bank/receipts';
import type { Yen } from '../../domain/types';
import { instant, num } from './db';
import { str, strOrNull, type Row } from './values';

export type BankFileFormat = 'zengin01' | 'zengin03' | 'csv';
export type LineOutcome = 'matched' | 'short' | 'over' | 'unmatched' | 'duplicate' | 'cancelled' | 'returned';
export type MatchedBy = 'virtualAccount' | 'payerCode' | 'reference' | 'payerName' | 'clerk';

export interface BankLineRecord extends ReceiptLine {
  fileId: string;
  record: number;
  identity: string;
  state: 'pending' | 'planned' | 'done';
  outcome: LineOutcome | null;
  customerId: string | null;
  matchedBy: MatchedBy | null;
  applied: Yen;
  advance: Yen;
  shortfall: Yen;
  likelyFee: boolean;
  note: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface BankFileRecord {
  fileId: string;
  fileName: string;
  format: BankFileFormat;
  sha256: string;
  lineCount: number;
  importedBy: string;
  importedAt: string;
}

export interface LinePlan {
  outcome: LineOutcome;
  customerId: string | null;
  matchedBy: MatchedBy | null;
  applied: Yen;
  advance: Yen;
  shortfall: Yen;
  likelyFee: boolean;
  note: string | null;
  payments: Array<{ contractId: string; amount: Yen; requestId: string }>;
}

export const LINE_COLUMNS = `file_id, record, identity, bank_code, branch_code, account_number, inquiry_number, booked_on::text AS booked_on, amount,
  payer_name, payer_code, edi, cancels, state, outcome, customer_id, matched_by, applied, advance, shortfall, likely_fee, note, decided_by, decided_at`;

export function lineOf(r: Row): BankLineRecord {
  return {
    fileId: str(r.file_id),
    record: num(r.record),
    identity: str(r.identity),
    bankCode: str(r.bank_code),
    branchCode: str(r.branch_code),
    accountNumber: str(r.account_number),
    inquiryNumber: str(r.inquiry_number),
    bookedOn: str(r.booked_on),
    amount: num(r.amount),
    payerName: str(r.payer_name),
    payerCode: strOrNull(r.payer_code),
    edi: str(r.edi),
    cancels: r.cancels === true,
    state: str(r.state) as BankLineRecord['state'],
    outcome: strOrNull(r.outcome) as LineOutcome | null,
    customerId: strOrNull(r.customer_id),
    matchedBy: strOrNull(r.matched_by) as MatchedBy | null,
    applied: num(r.applied),
    advance: num(r.advance),
    shortfall: num(r.shortfall),
    likelyFee: r.likely_fee === true,
    note: strOrNull(r.note),
    decidedBy: strOrNull(r.decided_by),
    decidedAt: instant(r.decided_at),
  };
}

export function fileOf(r: Row): BankFileRecord {
  return {
    fileId: str(r.id),
    fileName: str(r.file_name),
    format: str(r.format) as BankFileFormat,
    sha256: str(r.sha256),
    lineCount: num(r.line_count),
    importedBy: str(r.imported_by),
    importedAt: instant(r.imported_at) ?? '',
  };
}
