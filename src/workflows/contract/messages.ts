/**
 * The contract workflow's messages: one Update per back-office command (validated, so a refusal is an
 * answer, never lost) and the queries. Every client — the CLI, the billing run, the simulator, the tests —
 * sends these objects, never a name typed again.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CancellationQuote, CommandResult, ContractView, EndingCommand, EndingPreview, ProviderActionPreview } from '../../domain/contract';
import type { ProviderAction } from '../../domain/provider-actions';
import type { IsoDate } from '../../domain/types';
import { COMMAND_NAMES, type CommandInput, type CommandName } from '../../domain/validation';

export type CommandUpdate<N extends CommandName> = ReturnType<typeof defineUpdate<CommandResult, [CommandInput<N>], N>>;

/** One update per back-office command, named as the command (approve, cancel, pay, …). */
export const commandUpdates = Object.fromEntries(COMMAND_NAMES.map((n) => [n, defineUpdate(n)])) as { [N in CommandName]: CommandUpdate<N> };

/** What became of a command's effects by the time it answered (the monthly close's `delivery`). */
export interface Delivery {
  status: 'done' | 'failed' | 'pending';
  problems: string[];
}

export const stateQuery = defineQuery<ContractView>('state');
export const quoteCancellationQuery = defineQuery<CancellationQuote, [IsoDate]>('quoteCancellation');
/** An irreversible step's consequences (last day, ETF, compensation, what is owed at the end) at a moment (epoch ms), without doing it. */
export const previewEndingQuery = defineQuery<EndingPreview, [EndingCommand, Record<string, unknown>, number]>('previewEnding');
/** The dry run of a provider-wide action on this contract at a moment (epoch ms), and the real run's figures after it acted. */
export const previewProviderActionQuery = defineQuery<ProviderActionPreview, [ProviderAction, number]>('previewProviderAction');

/** The update of one command, typed by its name (for code generic over the command, e.g. the CLI). */
export function commandUpdate<N extends CommandName>(name: N): CommandUpdate<N> {
  return commandUpdates[name] as CommandUpdate<N>;
}
