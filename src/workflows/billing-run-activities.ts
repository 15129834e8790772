/** The activities the billing run needs (a port; src/activities/billing-run.ts implements it). */
import type { YearMonth } from '../domain/types';

export type CloseOutcome =
  | { contractId: string; outcome: 'billed' | 'alreadyBilled'; issued: YearMonth[] }
  | { contractId: string; outcome: 'failed'; reason: string };

export interface CloseBatch {
  period: YearMonth;
  contractIds: string[];
  /** Updates in flight at once within the batch. */
  concurrency: number;
}

export interface BillingRunActivities {
  countContractsToBill(): Promise<number>;
  listContractsToBill(args: { afterId: string | null; pageSize: number }): Promise<string[]>;
  /** Close the period on each contract of the batch; one outcome per contract, in the batch's order. */
  closeContractPeriods(batch: CloseBatch): Promise<CloseOutcome[]>;
  /** One contract: what runs started before the 'billing-batches' patch call. */
  closeContractPeriod(args: { contractId: string; period: YearMonth }): Promise<CloseOutcome>;
}
