/**
 * Four-eyes requests still waiting for a second supervisor, across contracts. A request lives in its
 * contract (src/domain/contract/approvals.ts), which no search attribute names: the audit trail says which
 * contracts were asked one within the request's days, and each of those contracts' state says what still
 * waits — so a request approved, withdrawn or lapsed meanwhile is never shown.
 */
import type { Client } from '@temporalio/client';
import { FOUR_EYES_REQUEST_DAYS } from '../domain/actor';
import { addDays, startOfDayJst } from '../domain/calendar';
import type { IsoDate } from '../domain/types';
import { stateQuery } from './contract-workflows';
import type { Ledger } from './ledger-records';

export interface WaitingApproval {
  contractId: string;
  /** The request id of the requestApproval (what approveRequest names). */
  requestId: string;
  action: string;
  /** The yen the step moves, when it names them (a payment, a charge, damages; a penalty's evaded amount). */
  amount: number | null;
  reason: string;
  requestedBy: { id: string; name: string };
  requestedOn: IsoDate;
  /** The last day a second supervisor may approve it. */
  expiresOn: IsoDate;
}

const amountOf = (input: Record<string, unknown>): number | null =>
  typeof input.amount === 'number' ? input.amount : typeof input.evadedAmount === 'number' ? input.evadedAmount : null;

/** A person's display name by id (the requester's), else the id itself (a system actor). */
export async function nameOf(ledger: Ledger, id: string, cache = new Map<string, string>()): Promise<string> {
  if (!cache.has(id)) cache.set(id, (await ledger.people.get(id).catch(() => undefined))?.displayName ?? id);
  return cache.get(id)!;
}

/** Every request waiting on `today`, earliest last day first. */
export async function waitingApprovals(client: Client, ledger: Ledger, today: IsoDate): Promise<WaitingApproval[]> {
  const since = new Date(startOfDayJst(addDays(today, -FOUR_EYES_REQUEST_DAYS - 1))).toISOString();
  const asked = (await ledger.audit.every({ since })).filter((e) => e.command === 'requestApproval' && e.outcome === 'accepted' && e.contractId);
  const contracts = [...new Set(asked.map((e) => e.contractId!))];
  const names = new Map<string, string>();
  const out: WaitingApproval[] = [];
  for (const contractId of contracts) {
    const view = await client.workflow
      .getHandle(contractId)
      .query(stateQuery)
      .catch(() => undefined); // a contract closed since: nothing of it can be approved any more
    for (const p of view?.pendingApprovals ?? []) {
      if (p.lapsed) continue;
      out.push({
        contractId,
        requestId: p.id,
        action: p.action,
        amount: amountOf(p.input),
        reason: p.reason,
        requestedBy: { id: p.requestedBy.id, name: await nameOf(ledger, p.requestedBy.id, names) },
        requestedOn: p.requestedOn,
        expiresOn: p.expiresOn,
      });
    }
  }
  return out.sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.contractId.localeCompare(b.contractId));
}
