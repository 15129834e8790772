/**
 * What the monthly billing run needs from Temporal itself: which contracts to bill (a visibility query on
 * the contracts' search attributes) and the close of each contract's period (an update, so the run learns
 * what was issued), a batch of contracts per activity. The update id is the business key
 * `bill:<contract>:<period>`, so a retried activity, a second run for the same month, or a restarted
 * worker never bills twice.
 */
import { SYSTEM_ACTORS } from '../domain/actor';
import { ApplicationFailure } from '@temporalio/activity';
import { failedForGood, inBatch, listPage } from './bulk';
import type { Client } from '@temporalio/client';
import type { CommandResult } from '../domain/contract';
import type { YearMonth } from '../domain/types';
// The contract's message definitions only (its public interface), never its workflow code.
import { commandUpdates, type Delivery } from '../workflows/contract/messages';

/** Running contracts that can have something to bill: approved ones, including ended ones with a last invoice to come. */
export const CONTRACTS_TO_BILL_QUERY =
  'WorkflowType = "contract" AND ExecutionStatus = "Running" AND ContractStatus IN ("approved", "active", "suspended", "ended")';

import type { BillingRunActivities, CloseBatch, CloseOutcome, ContractsPage, ListPage } from '../workflows/billing-run-activities';

/** A close's answer as the run counts it; "billed" only once the invoices are in the ledger and mailed. */
export function closeOutcome(contractId: string, result: CommandResult): CloseOutcome {
  const issued = (result.issued ?? []) as YearMonth[];
  // A repeat answers as the first close did: what it issued then is already billed now.
  if (result.alreadyClosed || (result.repeated && issued.length > 0)) return { contractId, outcome: 'alreadyBilled' };
  if (issued.length === 0) return { contractId, outcome: 'nothingToBill' };
  const delivery = result.delivery as Delivery | undefined;
  if (delivery?.status === 'failed')
    return {
      contractId,
      outcome: 'failed',
      reason: `invoiced ${issued.join(', ')}, but not delivered: ${delivery.problems.join('; ')} (fix it, then retryFailedEffects on the contract)`,
    };
  if (delivery?.status === 'pending')
    return {
      contractId,
      outcome: 'failed',
      reason: `invoiced ${issued.join(', ')}; the ledger entry or the mail is still under way (the contract goes on trying; see its page)`,
    };
  return { contractId, outcome: 'billed', issued };
}

export function createBillingRunActivities(client: Client): BillingRunActivities {
  /** One contract: an update whose id is the business key, so a retry or a second run never bills twice. */
  async function closeOne(contractId: string, period: YearMonth, runId: string): Promise<CloseOutcome> {
    const requestId = `bill:${contractId}:${period}`;
    try {
      // The update id is per billing run: a retried activity attaches to its own update, while another run's
      // close reaches the contract, which answers the repeat as such (`repeated`) — "already billed".
      const result = await client.workflow.getHandle(contractId).executeUpdate(commandUpdates.closeBillingPeriod, {
        args: [{ requestId, actor: SYSTEM_ACTORS.billingRun, period }],
        updateId: `${requestId}@${runId}`,
      });
      return closeOutcome(contractId, result);
    } catch (err) {
      return { contractId, outcome: 'failed', reason: failedForGood(err, 'BadBillingRunData') };
    }
  }

  return {
    async countContractsToBill(): Promise<number> {
      const { count } = await client.workflow.count(CONTRACTS_TO_BILL_QUERY);
      return count;
    },

    /** One page in visibility's order (src/activities/bulk.ts); the sweep lists runs started since the billing run began that have not billed the period. */
    async listContractsToBillPage(args: ListPage): Promise<ContractsPage> {
      const since = args.startedSince;
      if (since && (Number.isNaN(Date.parse(since.instant)) || !/^\d{4}-(0[1-9]|1[0-2])$/.test(since.period)))
        throw ApplicationFailure.nonRetryable(`startedSince: expected an instant and a YYYY-MM period, got ${JSON.stringify(since)}`, 'BadBillingRunData');
      const query = since
        ? `${CONTRACTS_TO_BILL_QUERY} AND StartTime >= "${new Date(since.instant).toISOString()}" AND (BilledThrough IS NULL OR BilledThrough < "${since.period}")`
        : CONTRACTS_TO_BILL_QUERY;
      return listPage(client, query, args.pageSize, args.nextPageToken);
    },

    /** Close a batch of contracts (src/activities/bulk.ts): a retried attempt resumes after the heartbeat's outcomes. */
    async closeContractPeriods(batch: CloseBatch): Promise<CloseOutcome[]> {
      return inBatch(batch.contractIds, batch.concurrency, (id) => closeOne(id, batch.period, batch.runId), 'billing run');
    },
  };
}
