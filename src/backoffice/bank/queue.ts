/**
 * The clerk's queue of unmatched bank lines (issue 29): a line is given to a customer — its payer name is
 * then remembered for the next statement (D-30) — and applied as any matched line is; or it is marked as
 * returned to the payer. Both audited with the file, the record and the person.
 */
import type { Actor } from '../../domain/actor';
import type { IsoDate } from '../../domain/types';
import { audited, EdgeRefusal } from '../command-path';
import { carryOut, planForCustomer, type LineDeps } from './apply-line';
import { importedLine, type ImportedLine } from './import';

const CLERKS: readonly Actor['role'][] = ['clerk', 'supervisor', 'system'];

async function unmatchedLine(deps: LineDeps, actor: Actor, fileId: string, record: number) {
  if (!CLERKS.includes(actor.role)) throw new EdgeRefusal('role', `a ${actor.role} may not settle bank lines (clerks and supervisors do)`);
  const line = await deps.ledger.bankLines.line(fileId, record);
  if (!line) throw new EdgeRefusal('record', `no line ${record} in bank file ${fileId}`);
  if (line.outcome !== 'unmatched') throw new EdgeRefusal('record', `line ${record} of ${fileId} is ${line.outcome ?? 'not yet settled'}, not unmatched`);
  return line;
}

export async function assignLine(
  deps: LineDeps,
  a: { actor: Actor; fileId: string; record: number; customerId: string; rememberPayerName: boolean; today: IsoDate },
): Promise<ImportedLine> {
  const line = await unmatchedLine(deps, a.actor, a.fileId, a.record);
  const profile = await deps.ledger.payers.profile(a.customerId);
  if (!profile) throw new EdgeRefusal('customerId', `no customer ${a.customerId} on record`);
  if (profile.erasedOn) throw new EdgeRefusal('customerId', `the customer's data was deleted on ${profile.erasedOn} (D-8)`);
  if (line.cancels) throw new EdgeRefusal('record', 'a 取消 line is not a payment: it cannot be given to a customer');
  return audited(deps.audit, {
    actor: a.actor,
    contractId: null,
    command: 'bankAssign',
    requestId: `${a.fileId}:${a.record}`,
    details: { bankFile: a.fileId, record: a.record, customerId: a.customerId, rememberPayerName: a.rememberPayerName },
    summary: (l) => `${l.outcome}: ${l.applied} yen applied`,
    run: async () => {
      if (a.rememberPayerName && line.payerName.trim()) await deps.ledger.payers.addPayerName(a.customerId, line.payerName, a.actor.id);
      const plan = await planForCustomer(deps, line, a.customerId, 'clerk');
      if (plan.outcome === 'unmatched') throw new EdgeRefusal('customerId', plan.note ?? 'the customer cannot take this payment');
      const stored = await deps.ledger.bankLines.plan(a.fileId, a.record, plan, a.actor.id, true);
      if (stored.line.state === 'planned') await carryOut(deps, a.actor, stored.line, stored.payments, a.today);
      return importedLine((await deps.ledger.bankLines.line(a.fileId, a.record))!);
    },
  });
}

export async function returnLine(deps: LineDeps, a: { actor: Actor; fileId: string; record: number; reason: string }): Promise<ImportedLine> {
  await unmatchedLine(deps, a.actor, a.fileId, a.record);
  const reason = a.reason.trim();
  if (!reason || reason.length > 500) throw new EdgeRefusal('reason', 'say why the money goes back (1–500 characters)');
  return audited(deps.audit, {
    actor: a.actor,
    contractId: null,
    command: 'bankReturn',
    requestId: `${a.fileId}:${a.record}`,
    details: { bankFile: a.fileId, record: a.record },
    summary: () => 'marked as returned to the payer',
    run: async () => {
      const line = await deps.ledger.bankLines.markReturned(a.fileId, a.record, a.actor.id, reason);
      if (!line) throw new EdgeRefusal('record', `line ${a.record} of ${a.fileId} is no longer unmatched`);
      return importedLine(line);
    },
  });
}
