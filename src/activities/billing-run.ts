/**
 * What the monthly billing run needs from Temporal itself: which contracts to bill (a visibility query on
 * the contracts' search attributes) and the close of one contract's period (an update, so the run learns
 * what was issued). The update id is the business key `bill:<contract>:<period>`, so a retried activity,
 * a second run for the same month, or a restarted worker never bills twice.
 */
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { YearMonth } from '../domain/types';

/** Running contracts that can have something to bill: approved ones, including ended ones with a last invoice to come. */
export const CONTRACTS_TO_BILL_QUERY =
  'WorkflowType = "contract" AND ExecutionStatus = "Running" AND ContractStatus IN ("active", "suspended", "ended")';

import type { BillingRunActivities, CloseOutcome } from '../workflows/billing-run-activities';

export function createBillingRunActivities(client: Client): BillingRunActivities {
  return {
    async countContractsToBill(): Promise<number> {
      const { count } = await client.workflow.count(CONTRACTS_TO_BILL_QUERY);
      return count;
    },

    /** One page of contract ids, in a stable order, from `afterId` on (visibility pages by id, not by token, so a restart resumes). */
    async listContractsToBill(args: { afterId: string | null; pageSize: number }): Promise<string[]> {
      const query = args.afterId ? `${CONTRACTS_TO_BILL_QUERY} AND WorkflowId > "${args.afterId.replace(/"/g, '')}"` : CONTRACTS_TO_BILL_QUERY;
      const ids: string[] = [];
      for await (const wf of client.workflow.list({ query, pageSize: Math.min(args.pageSize, 1000) })) {
        ids.push(wf.workflowId);
        if (ids.length % 200 === 0) heartbeat(ids.length);
      }
      // Visibility does not promise an order; sort and cut so pages never overlap.
      return [...new Set(ids)].sort().slice(0, args.pageSize);
    },

    async closeContractPeriod(args: { contractId: string; period: YearMonth }): Promise<CloseOutcome> {
      const requestId = `bill:${args.contractId}:${args.period}`;
      try {
        // By name: activities do not import workflow code (the update is `closeBillingPeriod` of the contract).
        const result = (await client.workflow.getHandle(args.contractId).executeUpdate('closeBillingPeriod', {
          args: [{ requestId, period: args.period }],
          updateId: requestId,
        })) as { issued?: YearMonth[] };
        const issued = result.issued ?? [];
        return { contractId: args.contractId, outcome: issued.length ? 'billed' : 'alreadyBilled', issued };
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) return { contractId: args.contractId, outcome: 'failed', reason: err.cause?.message ?? err.message };
        if (err instanceof WorkflowNotFoundError) return { contractId: args.contractId, outcome: 'failed', reason: 'no running contract workflow with this id' };
        if ((err as { code?: number }).code === 5) return { contractId: args.contractId, outcome: 'failed', reason: 'the contract workflow is closed' };
        if (err instanceof TypeError) throw ApplicationFailure.nonRetryable(err.message, 'BadBillingRunData');
        throw err; // transient: Temporal retries the activity
      }
    },
  };
}
