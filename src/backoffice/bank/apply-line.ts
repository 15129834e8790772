/**
 * One bank line carried to its end (入金消込): whose it is (the domain's matching order), what the
 * customer's contracts owe now (their own state, not a copy), the plan fixed once in the ledger, then each
 * contract's `pay` sent through the one command path as the person who imported the file, via 'bank'.
 * A 取消 line asks for the four-eyes reversal of the payments the line it cancels made. Every step is
 * idempotent: the plan is the ledger's, the payments' request ids are the line's identity.
 */
import type { Client } from '@temporalio/client';
import type { BankLineRecord, LinePlan, Ledger } from '../../activities';
import type { Actor } from '../../domain/actor';
import { cancelledIdentity, matchCustomer, planReceipt, receiptRequestId, type CustomerDirectory, type OwedInvoice } from '../../domain/bank/receipts';
import type { ContractView } from '../../domain/contract';
import { RULE } from '../../domain/rules';
import type { IsoDate } from '../../domain/types';
import { isRefusal, messageOf } from '../command-path';
import { stateQuery } from '../contract-workflows';
import type { AuditAccess } from '../ledger-client';
import type { OnApprovalAsked } from '../approval-mail';
import { sendCommand } from '../commands/contract-command';

export interface LineDeps {
  client: Client;
  audit: AuditAccess;
  ledger: Ledger;
  /** The supervisors mailed when a line asks for a four-eyes step (a 取消's reversal, a large payment). */
  onApprovalAsked?: OnApprovalAsked | undefined;
}

const unmatched = (note: string, customerId: string | null = null): LinePlan => ({
  outcome: 'unmatched',
  customerId,
  matchedBy: null,
  applied: 0,
  advance: 0,
  shortfall: 0,
  likelyFee: false,
  note,
  payments: [],
});

/** What each of the customer's contracts owes now, read from the contract itself; contracts that cannot take a payment are left out. */
async function owedBy(deps: LineDeps, customerId: string): Promise<{ owed: OwedInvoice[]; payable: string[] }> {
  const owed: OwedInvoice[] = [];
  const payable: string[] = [];
  for (const { contractId } of await deps.ledger.payers.contractsOf(customerId)) {
    let view: ContractView;
    try {
      const handle = deps.client.workflow.getHandle(contractId);
      if ((await handle.describe()).status.name !== 'RUNNING') continue;
      view = await handle.query(stateQuery);
    } catch {
      continue; // no workflow for this contract (never started or long closed): it can take no payment
    }
    if (view.status === 'pending' || view.status === 'rejected') continue;
    payable.push(contractId);
    for (const i of view.invoices) if (i.outstanding > 0) owed.push({ contractId, period: i.period, dueOn: i.dueOn, outstanding: i.outstanding });
  }
  return { owed, payable };
}

/** The plan of a line whose customer is known: 別表3 §3 across its contracts, the rest an advance (§5). */
export async function planForCustomer(deps: LineDeps, line: BankLineRecord, customerId: string, matchedBy: LinePlan['matchedBy']): Promise<LinePlan> {
  const { owed, payable } = await owedBy(deps, customerId);
  if (payable.length === 0) return unmatched('the customer has no contract that can take a payment now', customerId);
  const p = planReceipt({ amount: line.amount, owed, fallbackContractId: payable[payable.length - 1]! });
  const fee = p.likelyTransferFee ? `; ${p.shortfall} yen short: most likely the transfer fee, which is the customer's (${RULE.transferFees})` : '';
  return {
    outcome: p.outcome,
    customerId,
    matchedBy,
    applied: p.applied,
    advance: p.advance,
    shortfall: p.shortfall,
    likelyFee: p.likelyTransferFee,
    note: `${p.rule}${fee}`,
    payments: p.payments.map((x) => ({ ...x, requestId: receiptRequestId(line.identity) })),
  };
}

/** The plan of a line as read: matched by the directory, or a 取消 of an earlier line. */
export async function planLine(deps: LineDeps, line: BankLineRecord, directory: CustomerDirectory): Promise<LinePlan> {
  if (line.cancels) {
    const original = await deps.ledger.bankLines.receipt(cancelledIdentity(line));
    if (!original) return unmatched('a 取消 of a line that was never imported: nothing to reverse');
    return { ...unmatched(`cancels ${original.line.fileId} record ${original.line.record}`, original.line.customerId), outcome: 'cancelled' };
  }
  const match = matchCustomer(line, directory);
  if (match.customerId === null) return unmatched(match.reason);
  return planForCustomer(deps, line, match.customerId, match.by);
}

/** Sends the planned payments (or the 取消's reversal requests) and closes the line. */
export async function carryOut(deps: LineDeps, actor: Actor, line: BankLineRecord, payments: LinePlan['payments'], today: IsoDate): Promise<void> {
  const source = { bankFile: line.fileId, record: line.record, ref: line.inquiryNumber };
  const bankActor: Actor = { ...actor, via: 'bank' };
  const outcomes: Array<{ contractId: string; outcome: string; refused: boolean }> = [];
  for (const p of payments) {
    try {
      const sent = await sendCommand(deps, {
        actor: bankActor,
        contractId: p.contractId,
        name: 'pay',
        input: { requestId: p.requestId, amount: p.amount, paidOn: line.bookedOn },
        sameAmountOk: true, // a line of its own identity: not a slip of the keyboard
        today,
        source,
      });
      outcomes.push({ contractId: p.contractId, outcome: sent.fourEyes ? 'awaiting a second supervisor (D-29)' : 'applied', refused: false });
    } catch (err) {
      if (!isRefusal(err) && !(err as { exitCode?: number }).exitCode) throw err; // the line stays planned; the next import resumes it
      outcomes.push({ contractId: p.contractId, outcome: `refused: ${messageOf(err)}`, refused: true });
    }
  }
  const refused = outcomes.filter((o) => o.refused);
  await deps.ledger.bankLines.finish(
    line.fileId,
    line.record,
    outcomes,
    refused.length > 0 ? refused.map((o) => `${o.contractId} ${o.outcome}`).join('; ') : undefined,
  );
}

/** A 取消 line: the payments of the line it cancels, each sent for reversal (always four eyes) as the importer. */
export async function requestReversals(deps: LineDeps, actor: Actor, line: BankLineRecord, today: IsoDate): Promise<string> {
  const original = await deps.ledger.bankLines.receipt(cancelledIdentity(line));
  if (!original || original.payments.length === 0) return 'nothing was applied from the cancelled line';
  const said: string[] = [];
  for (const p of original.payments) {
    try {
      await sendCommand(deps, {
        actor: { ...actor, via: 'bank' },
        contractId: p.contractId,
        name: 'reversePayment',
        input: { requestId: `${p.requestId}:cancel`, paymentRequestId: p.requestId, reason: `取消 in ${line.fileId} record ${line.record}` },
        reason: `the bank cancelled the transfer (取消, ${line.fileId} record ${line.record})`,
        today,
        source: { bankFile: line.fileId, record: line.record, ref: line.inquiryNumber },
      });
      said.push(`${p.contractId}: reversal requested, awaiting a second supervisor`);
    } catch (err) {
      if (!isRefusal(err) && !(err as { exitCode?: number }).exitCode) throw err;
      said.push(`${p.contractId}: reversal not requested (${messageOf(err)}); a supervisor must ask for it`);
    }
  }
  return said.join('; ');
}
