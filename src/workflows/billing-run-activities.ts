/** The activities the billing run needs (a port; src/activities/billing-run.ts implements it). */
import type { YearMonth } from '../domain/types';

export type CloseOutcome =
  | { contractId: string; outcome: 'billed' | 'alreadyBilled'; issued: YearMonth[] }
  | { contractId: string; outcome: 'failed'; reason: string };

export interface BillingRunActivities {
  countContractsToBill(): Promise<number>;
  listContractsToBill(args: { afterId: string | null; pageSize: number }): Promise<string[]>;
  closeContractPeriod(args: { contractId: string; period: YearMonth }): Promise<CloseOutcome>;
}
