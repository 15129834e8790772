/** The activities a provider-wide run needs (a port; src/activities/provider-action.ts implements it). */
import type { ProviderActionPreview } from '../domain/contract';
import type { PriceListChange } from '../domain/price-lists';
import type { ProviderAction, ProviderActionName } from '../domain/provider-actions';
import type { IsoDate } from '../domain/types';
import type { ContractsPage } from './bulk';

/**
 * What one contract answered, each counted once by the run:
 * - changed: accepted now (for a real run: its notice in the ledger and mailed); a dry run: it would be;
 * - unchanged: it had accepted this action before (an earlier or repeated run);
 * - refused: the contract's own refusal, with its rule (e.g. a window after its last day);
 * - failed: not reachable, or accepted but its notice not yet delivered (the reason says which).
 */
export interface ContractAnswer {
  contractId: string;
  outcome: 'changed' | 'unchanged' | 'refused' | 'failed';
  reason: string | null;
  /** The figures (previewProviderAction): before acting for a dry run, after it for a real one. */
  preview: ProviderActionPreview | null;
}

export interface ActBatch {
  action: ProviderAction;
  dryRun: boolean;
  contractIds: string[];
  concurrency: number;
  /** Each run's updates are its own (`<requestId>@<runId>`; the sweep's have their own too). */
  runId: string;
  /** The run's moment (epoch ms) for the previews: a query sees an idle contract's clock as of its last task. */
  at: number;
  /** The run's workflow id, under which the ledger keeps the answers. */
  reportId: string;
}

export interface ProviderActionActivities {
  countContractsFor(command: ProviderActionName): Promise<number>;
  listContractsForPage(args: {
    command: ProviderActionName;
    pageSize: number;
    nextPageToken: string | null;
    sweepSince: string | null;
  }): Promise<ContractsPage>;
  actOnContracts(batch: ActBatch): Promise<ContractAnswer[]>;
  /** D-17: the version in the ledger once, before any contract hears of it. */
  recordPriceList(args: { version: PriceListChange; announcedOn: IsoDate; announcedBy: string }): Promise<'recorded' | 'same'>;
}
