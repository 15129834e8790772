/** A command refused, with the article or decision that refuses it, and the checks the commands share. */
import type { ContractStatus, Verdict } from '../types';
import type { ContractState } from './state';

export interface Refusal {
  rule: string;
  message: string;
}

export const refuse = (rule: string, message: string): Refusal => ({ rule, message });
export const fromVerdict = (v: Verdict): Refusal | null => (v.ok ? null : refuse(v.rule, v.reason));

export function requireStatus(s: ContractState, allowed: readonly ContractStatus[], what: string, rule: string): Refusal | null {
  return allowed.includes(s.status)
    ? null
    : refuse(rule, `${what} is not possible while the contract is ${s.status}${s.status === 'pending' ? ' (awaiting approval)' : ''}`);
}

/** Approved and not yet ended: what the customer may still change or end. */
export const live = (s: ContractState, what: string, rule: string) => requireStatus(s, ['approved', 'active', 'suspended'], what, rule);
/** The service is provided (from S, Art. 9): what only a running service can have. */
export const inService = (s: ContractState, what: string, rule: string) => requireStatus(s, ['active', 'suspended'], what, rule);
