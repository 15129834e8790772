/** The shape every command handler has: `check` answers (the update validator), `apply` changes the state (the update handler). */
import type { IsoDate } from '../types';
import type { Command, CommandName } from '../validation';
import type { Refusal } from './refusals';
import type { CommandResult, ContractState, Effect } from './state';

export type Check<N extends CommandName> = (s: ContractState, c: Command<N>, today: IsoDate) => Refusal | null;
export type Apply<N extends CommandName> = (s: ContractState, c: Command<N>, today: IsoDate) => { result: CommandResult; effects: Effect[] };
export type Handler<N extends CommandName> = { check: Check<N>; apply: Apply<N> };
