/**
 * A scenario's bank statement (issue 29): the back office's own reader, then the domain's identity,
 * matching and plan for the one customer the scenario has — a line that is not theirs is `unmatched` —
 * and each of their lines sent to the contract as its `pay`, received on the line's 勘定日 (Art. 27, D-13),
 * under the request id the back office would use. A 取消 reverses what the line it cancels paid.
 * The simulator plays the back office as the system (no four eyes), as for every other event.
 */
import { readBankFile, type BankFileFormat } from '../backoffice/bank/bank-file';
import { flatLine } from '../backoffice/bank/import';
import { EdgeRefusal } from '../backoffice/command-path';
import { payerNameKey } from '../domain/bank/payer-name';
import { cancelledIdentity, matchCustomer, planReceipt, receiptIdentity, receiptRequestId, type CustomerDirectory } from '../domain/bank/receipts';
import type { IsoDate, Yen } from '../domain/types';
import type { Ledger } from '../activities';
import type { ContractDriver } from './driver';

export interface BankLineOutcome {
  ref: string;
  valueDate: IsoDate;
  amount: Yen;
  payer: string;
  outcome: 'matched' | 'short' | 'over' | 'unmatched' | 'duplicate' | 'cancelled';
  applied: Yen;
}

/** What a scenario's statements have seen so far: each line's identity and the payment it made. */
export class ScenarioBank {
  private readonly seen = new Map<string, { requestId: string | null }>();
  readonly lines: BankLineOutcome[] = [];

  constructor(
    private readonly contractId: string,
    private readonly payer: { names: string[]; code: string | null },
  ) {}

  private async directory(ledger: Ledger): Promise<CustomerDirectory> {
    const me = this.contractId;
    const invoiceNumbers = new Set((await ledger.listInvoices(me)).map((i) => i.number));
    const names = new Set(this.payer.names.map(payerNameKey).filter((k) => k !== ''));
    return {
      byVirtualAccount: () => undefined,
      byPayerCode: (code) => (code === this.payer.code ? me : undefined),
      byReference: (ref) => (ref === me || invoiceNumbers.has(ref) ? me : undefined),
      byPayerName: (key) => (names.has(key) ? [me] : []),
    };
  }

  /** Imports the file: its lines' outcomes, or the refusal of the whole file (nothing applied). */
  async import(d: ContractDriver, ledger: Ledger, file: { format: BankFileFormat; data: string }): Promise<{ ok: true } | { ok: false; message: string }> {
    let notice: ReturnType<typeof readBankFile>;
    try {
      notice = readBankFile(Buffer.from(file.data, 'base64'), file.format);
    } catch (err) {
      if (err instanceof EdgeRefusal) return { ok: false, message: `the bank file was refused whole, nothing applied: ${err.message}` };
      throw err;
    }
    const directory = await this.directory(ledger);
    const refusals: string[] = [];
    for (const read of notice.lines) {
      const line = flatLine(read);
      const identity = receiptIdentity(line);
      const base = { ref: line.inquiryNumber, valueDate: line.bookedOn, amount: line.amount, payer: line.payerName };
      if (this.seen.has(identity)) {
        this.lines.push({ ...base, outcome: 'duplicate', applied: 0 });
        continue;
      }
      if (line.cancels) {
        const original = this.seen.get(cancelledIdentity(line));
        this.seen.set(identity, { requestId: null });
        if (!original?.requestId) {
          this.lines.push({ ...base, outcome: 'unmatched', applied: 0 });
          continue;
        }
        const r = await d.send('reversePayment', {
          requestId: `${original.requestId}:cancel`,
          paymentRequestId: original.requestId,
          reason: `取消 (record ${read.record})`,
        });
        if (!r.ok) refusals.push(`record ${read.record}: ${r.message}`);
        this.lines.push({ ...base, outcome: 'cancelled', applied: 0 });
        continue;
      }
      const match = matchCustomer(line, directory);
      if (match.customerId === null) {
        this.seen.set(identity, { requestId: null });
        this.lines.push({ ...base, outcome: 'unmatched', applied: 0 });
        continue;
      }
      const view = await d.state();
      const owed = view.invoices
        .filter((i) => i.outstanding > 0)
        .map((i) => ({ contractId: this.contractId, period: i.period, dueOn: i.dueOn, outstanding: i.outstanding }));
      const plan = planReceipt({ amount: line.amount, owed, fallbackContractId: this.contractId });
      const requestId = receiptRequestId(identity);
      const r =
        line.amount > 0 ? await d.send('pay', { requestId, amount: line.amount, paidOn: line.bookedOn }) : ({ ok: false, message: 'a line of 0 yen' } as const);
      this.seen.set(identity, { requestId: r.ok ? requestId : null });
      if (!r.ok) {
        refusals.push(`record ${read.record}: ${r.message}`);
        this.lines.push({ ...base, outcome: 'unmatched', applied: 0 });
      } else this.lines.push({ ...base, outcome: plan.outcome, applied: plan.applied });
    }
    return refusals.length > 0 ? { ok: false, message: refusals.join('; ') } : { ok: true };
  }
}
