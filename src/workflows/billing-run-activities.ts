/** The activities the billing run needs (a port; src/activities/billing-run.ts implements it). */
import type { YearMonth } from '../domain/types';
import type { ContractsPage } from './bulk';

/**
 * What one contract's close came to, each counted once by the run:
 * - billed: invoices issued, in the ledger and mailed;
 * - alreadyBilled: the month was closed before (an earlier run, a repeat of this one);
 * - nothingToBill: closed now, with no invoice (no line for the month, e.g. after the end);
 * - failed: refused, not reachable, or issued but not delivered (the reason says which).
 */
export type CloseOutcome =
  | { contractId: string; outcome: 'billed'; issued: YearMonth[] }
  | { contractId: string; outcome: 'alreadyBilled' | 'nothingToBill' }
  | { contractId: string; outcome: 'failed'; reason: string };

export interface CloseBatch {
  period: YearMonth;
  contractIds: string[];
  /** Updates in flight at once within the batch. */
  concurrency: number;
  /** The billing run's workflow id: each run's closes are its own updates (see closeOne). */
  runId: string;
}

export type { ContractsPage } from './bulk';

export interface ListPage {
  pageSize: number;
  nextPageToken: string | null;
  /** Only runs started at or after this instant (ISO) that have not billed `period` yet: the sweep. */
  startedSince?: { instant: string; period: YearMonth };
}

export interface BillingRunActivities {
  countContractsToBill(): Promise<number>;
  /** One page in visibility's order, resumed from its token (reads only that page). */
  listContractsToBillPage(args: ListPage): Promise<ContractsPage>;
  /** Close the period on each contract of the batch; one outcome per contract, in the batch's order. */
  closeContractPeriods(batch: CloseBatch): Promise<CloseOutcome[]>;
}
