/**
 * A provider-wide action (Art. 4 price list, Art. 5 discontinuation, Art. 17 maintenance) carried to every
 * contract it reaches, on the one bulk mechanism the billing run uses (./bulk.ts): listed by visibility's
 * token, each contract sent the command by an update with the business key `<command>:<contract>:<key>`, in
 * batches with heartbeats, progress in the run's details and query, continued as new between pages. A dry
 * run asks each contract what it would do and what it would owe (a query), changing nothing. Resumable and
 * idempotent per contract: a second run of the same action changes nothing.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  defineQuery,
  makeContinueAsNewFunc,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { jstDateOf } from '../domain/calendar';
import { RULE } from '../domain/rules';
import { describeProviderAction, providerActionProblem, providerActionShapeProblem, type ProviderAction } from '../domain/provider-actions';
import { eachPage, incompleteRun, noteFailure, PAGE_SIZE, startCursor, type BulkCursor, type ListPageFn } from './bulk';
import { refusedPayloadOf } from './refused-payload';
import { workflowNow } from './clock';
import type { ContractAnswer, ProviderActionActivities } from './provider-action-activities';

export interface ProviderActionInput {
  action: ProviderAction;
  dryRun: boolean;
  /** The supervisor who asked, and (discontinuation) the second who approved: shown and recorded. */
  requestedBy: string;
  approvedBy?: string;
  /** Exactly these contracts instead of the listing (tests, targeted re-runs). */
  contractIds?: string[];
  concurrency?: number;
  pageSize?: number;
  /** Set by continue-as-new. */
  progress?: ProviderActionProgress;
}

export interface ProviderActionProgress {
  action: string;
  dryRun: boolean;
  total: number | null;
  changed: number;
  unchanged: number;
  refused: number;
  failed: Array<{ contractId: string; reason: string }>;
  lastId: string | null;
  done: boolean;
  cursor: BulkCursor;
}

export const providerActionHandled = (p: ProviderActionProgress) => p.changed + p.unchanged + p.refused + p.failed.length;
export const providerActionProgressQuery = defineQuery<ProviderActionProgress>('progress');

const retry = { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['PriceListConflict', 'BadProviderActionData'] };
const listing = proxyActivities<ProviderActionActivities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '1 minute', retry });
const acting = proxyActivities<ProviderActionActivities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '30 seconds', retry });

export async function providerAction(input: ProviderActionInput): Promise<ProviderActionProgress> {
  const refused = refusedPayloadOf(input);
  if (refused?.plaintext)
    throw ApplicationFailure.create({ type: 'InvalidStart', message: `provider action start refused: its input is ${refused.reason}`, nonRetryable: true });
  if (refused) throw new Error(`provider action start waits: its input is ${refused.reason} (NEUTRIX_CODEC_KEYS)`);
  // The edge parsed the action; a hand-made start is held to the fields the run reads, and each contract's
  // validator checks its command in full.
  const shapeProblem = providerActionShapeProblem(input.action);
  if (shapeProblem) throw ApplicationFailure.create({ type: 'BadProviderActionData', message: shapeProblem, nonRetryable: true });
  const action = input.action;
  const dryRun = input.dryRun === true;
  const today = jstDateOf(workflowNow());
  const what = describeProviderAction(action);
  // Refused before any contract is asked when none could accept it (D-17, D-18, Art. 17).
  const problem = providerActionProblem(action, today);
  if (problem)
    throw ApplicationFailure.create({
      type: 'ProviderActionRefused',
      message: `${problem.field}: ${problem.message} (${problem.rule})`,
      nonRetryable: true,
      details: [problem],
    });
  const p: ProviderActionProgress = input.progress ?? {
    action: what,
    dryRun,
    total: null,
    changed: 0,
    unchanged: 0,
    refused: 0,
    failed: [],
    lastId: null,
    done: false,
    cursor: startCursor(workflowInfo().startTime),
  };
  setHandler(providerActionProgressQuery, () => p);
  const show = () =>
    setCurrentDetails(
      `**${dryRun ? 'Dry run: ' : ''}${what}**\n\nasked by ${input.requestedBy}${input.approvedBy ? `, approved by ${input.approvedBy}` : ''}\n\n` +
        `${dryRun ? 'would change' : 'changed'} ${p.changed} · unchanged ${p.unchanged} · refused ${p.refused} · failed ${p.failed.length} · remaining ${p.total === null ? '?' : Math.max(0, p.total - providerActionHandled(p))}` +
        (p.failed.length
          ? `\n\nfailed: ${p.failed
              .slice(0, 20)
              .map((f) => `${f.contractId} (${f.reason})`)
              .join('; ')}`
          : ''),
    );
  if (p.total === null) {
    // D-17: the version is the ledger's before any contract hears of it; a conflicting one fails the run here.
    if (action.command === 'announcePriceList' && !dryRun) {
      try {
        await listing.recordPriceList({ version: action.input.version, announcedOn: today, announcedBy: input.requestedBy });
      } catch (err) {
        const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
        if (cause?.type !== 'PriceListConflict') throw err;
        throw ApplicationFailure.create({ type: 'ProviderActionRefused', message: `input.${cause.message} (${RULE.priceListChange})`, nonRetryable: true });
      }
    }
    p.total = input.contractIds ? input.contractIds.length : await listing.countContractsFor(action.command);
  }
  show();
  const list: ListPageFn = (args) => listing.listContractsForPage({ command: action.command, ...args });
  const concurrency = Math.max(1, input.concurrency ?? 20);
  const pageSize = Math.max(1, input.pageSize ?? PAGE_SIZE);

  const finished = await eachPage({
    contractIds: input.contractIds,
    pageSize,
    concurrency,
    progress: p,
    list,
    act: (contractIds, perBatch, runId) =>
      acting.actOnContracts.executeWithOptions(
        { summary: `${action.command} for ${contractIds.length} contracts (${contractIds[0]} … ${contractIds[contractIds.length - 1]})` },
        [{ action, dryRun, contractIds, concurrency: perBatch, runId, at: workflowNow(), reportId: workflowInfo().workflowId }],
      ),
    record: (a: ContractAnswer, sweep) => {
      const wasFailed = noteFailure(p.failed, a.contractId, a.outcome === 'failed' ? (a.reason ?? 'failed') : null);
      // The sweep meets again contracts the first pass answered: counted once.
      if (sweep && !wasFailed && a.outcome !== 'changed') return;
      if (a.outcome === 'changed') p.changed++;
      else if (a.outcome === 'unchanged') p.unchanged++;
      else if (a.outcome === 'refused') p.refused++;
      show();
    },
    failed: (contractId, reason): ContractAnswer => ({ contractId, outcome: 'failed', reason, preview: null }),
  });
  if (finished) {
    p.done = true;
    show();
    if (p.failed.length > 0) throw incompleteRun('ProviderActionIncomplete', what, p, 'not done');
    return p;
  }
  return await makeContinueAsNewFunc<typeof providerAction>({ memo: workflowInfo().memo })({ ...input, progress: p });
}
