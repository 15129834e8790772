/**
 * The work queue of one signed-in person (`/work`): what waits for someone to act, each with where it is
 * worked. Four-eyes requests another asked (approvalsFor decides whose), applications near their deemed
 * rejection (D-2), contracts that need attention, bank lines no customer was found for, customers overdue.
 * Each part is read on its own: one that cannot be read says so and the others still show.
 */
import type { Client } from '@temporalio/client';
import type { BankLineRecord } from '../activities';
import { MAY_ASK, type Role } from '../domain/actor';
import { addDays, jstDateOf, startOfDayJst } from '../domain/calendar';
import type { CustomerAging } from '../domain/receivables';
import type { IsoDate, Yen } from '../domain/types';
import { waitingApprovals, type WaitingApproval } from './approvals-waiting';
import { allContracts, type ContractRow } from './contract-list';
import { NextDeadlineKey, PlanKey } from './contract-workflows';
import type { Ledger } from './ledger-records';
import { agingAsOf } from './receivables';

/** D-2: applications whose last day to decide is within this many days are listed. */
export const NEAR_REJECTION_DAYS = 7;

export type Part<T> = T[] | { error: string };

export interface NearRejection {
  contractId: string;
  plan: string | null;
  /** The last day to approve (D-2); the application is deemed rejected the day after. */
  decideBy: IsoDate;
  deemedRejectedOn: IsoDate;
}

export interface OverdueCustomer extends Pick<CustomerAging, 'customerId' | 'billingName' | 'contracts'> {
  pastDue: Yen;
  oldestDaysPastDue: number;
}

export interface WorkQueue {
  today: IsoDate;
  approvals: Part<WaitingApproval>;
  nearRejection: Part<NearRejection>;
  attention: Part<ContractRow>;
  unmatched: Part<BankLineRecord>;
  overdueCustomers: Part<OverdueCustomer>;
}

/** The requests `person` may approve: a supervisor's, asked by someone else (the contract refuses the rest anyway). */
export function approvalsFor(person: { id: string; role: Role }, all: readonly WaitingApproval[]): WaitingApproval[] {
  if (!(MAY_ASK.approveRequest as readonly string[]).includes(person.role)) return [];
  return all.filter((a) => a.requestedBy.id !== person.id);
}

async function nearRejection(client: Client, today: IsoDate): Promise<NearRejection[]> {
  // NextDeadline is the last day to act (D-2's A + 60); the deemed rejection runs the day after. Within the
  // days: the last day is today + N or earlier.
  const until = new Date(startOfDayJst(addDays(today, NEAR_REJECTION_DAYS + 1))).toISOString();
  const query = `WorkflowType = "contract" AND ExecutionStatus = "Running" AND ContractStatus = "pending" AND NextDeadline < "${until}"`;
  const out: NearRejection[] = [];
  for await (const wf of client.workflow.list({ query, pageSize: 1000 })) {
    const next = wf.typedSearchAttributes.get(NextDeadlineKey);
    if (!next) continue;
    const decideBy = jstDateOf(next.getTime());
    out.push({ contractId: wf.workflowId, plan: wf.typedSearchAttributes.get(PlanKey) ?? null, decideBy, deemedRejectedOn: addDays(decideBy, 1) });
  }
  return out.sort((a, b) => a.decideBy.localeCompare(b.decideBy) || a.contractId.localeCompare(b.contractId));
}

async function overdueCustomers(ledger: Ledger, today: IsoDate): Promise<OverdueCustomer[]> {
  const report = await agingAsOf(ledger, today);
  return report.customers
    .map((c) => {
      const late = c.invoices.filter((i) => i.daysPastDue > 0);
      return {
        customerId: c.customerId,
        billingName: c.billingName,
        contracts: c.contracts,
        pastDue: late.reduce((a, i) => a + i.owed, 0),
        oldestDaysPastDue: Math.max(0, ...late.map((i) => i.daysPastDue)),
      };
    })
    .filter((c) => c.pastDue > 0)
    .sort((a, b) => b.oldestDaysPastDue - a.oldestDaysPastDue || b.pastDue - a.pastDue);
}

const part = <T>(p: Promise<T[]>): Promise<Part<T>> => p.catch((err: Error) => ({ error: err.message }));

export async function workQueue(d: { client: Client; ledger: Ledger }, person: { id: string; role: Role }, today: IsoDate): Promise<WorkQueue> {
  const [approvals, near, attention, unmatched, overdue] = await Promise.all([
    part(waitingApprovals(d.client, d.ledger, today).then((all) => approvalsFor(person, all))),
    part(nearRejection(d.client, today)),
    part(allContracts(d.client, { attention: true, sort: 'contractId' }).then((l) => l.contracts)),
    part(d.ledger.bankLines.unmatched()),
    part(overdueCustomers(d.ledger, today)),
  ]);
  return { today, approvals, nearRejection: near, attention, unmatched, overdueCustomers: overdue };
}
