/** A command refused, with the article or decision that refuses it, and the checks the commands share. */
import { actorText, type Actor } from '../actor';
import { REFUSALS, type Doing, type Facts, type FactsOf, type RefusalCode } from '../messages';
import type { Verdict } from '../lifecycle';
import type { ContractStatus } from '../types';
import type { ContractState } from './state';

/** The rule that refuses, the catalogue's code and facts (each screen words it in its language), and the English text for logs and the audit. */
export interface Refusal {
  rule: string;
  code: RefusalCode;
  facts: Facts;
  message: string;
}

export const refuse = <C extends RefusalCode>(rule: string, code: C, facts: FactsOf<C>): Refusal => ({
  rule,
  code,
  facts,
  message: (REFUSALS[code].en as (f: FactsOf<C>) => string)(facts),
});
export const fromVerdict = (v: Verdict): Refusal | null => (v.ok ? null : { rule: v.rule, code: v.code, facts: v.facts, message: v.reason });

/** The actor of a refusal's facts: as the program writes it, and by id for a screen to name. */
export const byActor = (a: Actor) => ({ by: actorText(a), byId: a.id });

export function requireStatus(s: ContractState, allowed: readonly ContractStatus[], doing: Doing, rule: string): Refusal | null {
  return allowed.includes(s.status) ? null : refuse(rule, 'notWhile', { doing, status: s.status });
}

/** Approved and not yet ended: what the customer may still change or end. */
export const live = (s: ContractState, doing: Doing, rule: string) => requireStatus(s, ['approved', 'active', 'suspended'], doing, rule);
/** The service is provided (from S, Art. 9): what only a running service can have. */
export const inService = (s: ContractState, doing: Doing, rule: string) => requireStatus(s, ['active', 'suspended'], doing, rule);
