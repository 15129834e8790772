/** Updates (with validators), matching signals, and queries of the contract workflow. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { COMMAND_NAMES, type CommandInput, type CommandName } from '../../domain/validation';
import type { IsoDate } from '../../domain/types';
import type { CommandResult } from './state';
import type { ContractView, CancellationQuote } from './view';

export type CommandUpdate<N extends CommandName> = ReturnType<typeof defineUpdate<CommandResult, [CommandInput<N>], N>>;
export type CommandSignal<N extends CommandName> = ReturnType<typeof defineSignal<[CommandInput<N>], `${N}Signal`>>;

/** One update per back-office command, named as the command (approve, cancel, pay, …). */
export const commandUpdates = Object.fromEntries(COMMAND_NAMES.map((n) => [n, defineUpdate(n)])) as {
  [N in CommandName]: CommandUpdate<N>;
};
/** The same commands for fire-and-forget senders (the billing run, integrations): a refusal is recorded, not returned. */
export const commandSignals = Object.fromEntries(COMMAND_NAMES.map((n) => [n, defineSignal(`${n}Signal`)])) as unknown as {
  [N in CommandName]: CommandSignal<N>;
};

export const stateQuery = defineQuery<ContractView>('state');
export const quoteCancellationQuery = defineQuery<CancellationQuote, [IsoDate]>('quoteCancellation');
