/**
 * What a provider-wide run needs from Temporal and the ledger: the contracts an action reaches (a visibility
 * query on their status), and for each one the command as an update with the business key
 * `<command>:<contract>:<key>` — or, for a dry run, the contract's own preview (a query) — with the answers
 * stored in the ledger for staff to read. A retried batch, a resumed run or a second run changes nothing twice.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { SYSTEM_ACTORS } from '../domain/actor';
import type { CommandResult } from '../domain/contract';
import { AUDIENCE, providerActionRequestId, PROVIDER_ACTIONS, type ProviderAction, type ProviderActionName } from '../domain/provider-actions';
import { commandUpdate, previewProviderActionQuery, type Delivery } from '../workflows/contract/messages';
import type { ActBatch, ContractAnswer, ProviderActionActivities } from '../workflows/provider-action-activities';
import { failedForGood, inBatch, listPage } from './bulk';
import type { Ledger } from './ledger/ledger';

/** The running contracts an action reaches (AUDIENCE). */
export function contractsForQuery(command: ProviderActionName): string {
  if (!PROVIDER_ACTIONS.includes(command))
    throw ApplicationFailure.nonRetryable(`command: not a provider-wide action: ${String(command).slice(0, 40)}`, 'BadProviderActionData');
  return `WorkflowType = "contract" AND ExecutionStatus = "Running" AND ContractStatus IN (${AUDIENCE[command].map((s) => `"${s}"`).join(', ')})`;
}

/** An update's answer as the run counts it: "changed" only once the notice is in the ledger and mailed. */
function answerOf(contractId: string, result: CommandResult): Omit<ContractAnswer, 'preview'> {
  if (result.repeated) return { contractId, outcome: 'unchanged', reason: String(result.summary ?? 'already done') };
  const delivery = result.delivery as Delivery | undefined;
  if (delivery?.status === 'failed')
    return {
      contractId,
      outcome: 'failed',
      reason: `accepted, but the notice was not delivered: ${delivery.problems.join('; ')} (fix it, then retryFailedEffects on the contract)`,
    };
  if (delivery?.status === 'pending')
    return { contractId, outcome: 'failed', reason: 'accepted; the notice is still under way (the contract goes on trying; see its page)' };
  return { contractId, outcome: 'changed', reason: null };
}

export function createProviderActionActivities(client: Client, ledger: Ledger): ProviderActionActivities {
  async function actOne(action: ProviderAction, dryRun: boolean, contractId: string, runId: string, at: number): Promise<ContractAnswer> {
    const handle = client.workflow.getHandle(contractId);
    try {
      if (dryRun) {
        const preview = await handle.query(previewProviderActionQuery, action, at);
        const outcome = !preview.accepted ? 'refused' : preview.repeated ? 'unchanged' : 'changed';
        return { contractId, outcome, reason: preview.refusal?.message ?? null, preview };
      }
      const requestId = providerActionRequestId(action, contractId);
      const result = await handle.executeUpdate(commandUpdate(action.command), {
        args: [{ ...action.input, requestId, actor: SYSTEM_ACTORS.providerAction } as never],
        updateId: `${requestId}@${runId}`,
      });
      // The real run's figures, from the contract as it now is: the dry run's function, asked after acting.
      const preview = await handle.query(previewProviderActionQuery, action, at);
      return { ...answerOf(contractId, result), preview };
    } catch (err) {
      return { contractId, outcome: 'refused', reason: failedForGood(err, 'BadProviderActionData'), preview: null };
    }
  }

  return {
    async countContractsFor(command) {
      return (await client.workflow.count(contractsForQuery(command))).count;
    },
    async listContractsForPage({ command, pageSize, nextPageToken, sweepSince }) {
      if (sweepSince !== null && Number.isNaN(Date.parse(sweepSince)))
        throw ApplicationFailure.nonRetryable(`sweepSince: expected an instant, got ${sweepSince.slice(0, 40)}`, 'BadProviderActionData');
      const query = contractsForQuery(command) + (sweepSince ? ` AND StartTime >= "${new Date(sweepSince).toISOString()}"` : '');
      return listPage(client, query, pageSize, nextPageToken);
    },
    async actOnContracts(batch: ActBatch) {
      const answers = await inBatch(
        batch.contractIds,
        batch.concurrency,
        (id) => actOne(batch.action, batch.dryRun, id, batch.runId, batch.at),
        batch.action.command,
      );
      await ledger.providerActions.recordOutcomes(answers.map((a) => ({ ...a, runId: batch.reportId, command: batch.action.command, dryRun: batch.dryRun })));
      return answers;
    },
    async recordPriceList({ version, announcedOn, announcedBy }) {
      return ledger.providerActions.recordPriceList(version, announcedOn, announcedBy);
    },
  };
}
