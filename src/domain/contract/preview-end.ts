/**
 * What an irreversible step (a cancellation, a renewal declined, a termination, a rejection) would do to one
 * contract, computed without doing it: the console's confirmation page shows these figures before the step
 * is sent. Pure: the decider on a copy (as the system, so roles and four eyes do not hide the figures), then
 * the contract's own billing close of the last month, as the provider-wide preview does.
 */
import { SYSTEM_ACTORS } from '../actor';
import { addMonths, firstDayOf, monthOf } from '../calendar';
import type { ContractStatus, IsoDate, YearMonth, Yen } from '../types';
import type { Command } from '../validation';
import { balance } from './balances';
import { decide } from './decider';
import type { Refusal } from './refusals';
import type { ContractState } from './state';

export const ENDING_COMMANDS = ['cancel', 'declineRenewal', 'terminateForCause', 'terminateForConvenience', 'reject'] as const;
export type EndingCommand = (typeof ENDING_COMMANDS)[number];

export interface EndingPreview {
  command: EndingCommand;
  accepted: boolean;
  refusal: Refusal | null;
  statusBefore: ContractStatus;
  status: ContractStatus;
  /** The last contract day the step fixes (none for a rejection). */
  lastDay: IsoDate | null;
  /** Art. 11-2: the early termination fee; Art. 29-3: the compensation (negative: owed to the customer). */
  earlyTerminationFee: Yen;
  compensation: Yen;
  /** The invoices still to be issued up to the last day, and what the customer owes once the last is issued (no payment assumed). */
  invoicesToCome: Array<{ period: YearMonth; total: Yen }>;
  owes: Yen;
}

/** Closes every month up to `lastMonth` as the runs on the following 1sts will (D-11). */
function closedThrough(s: ContractState, lastMonth: YearMonth): ContractState {
  const closed = decide(
    s,
    'closeBillingPeriod',
    { requestId: `preview:${lastMonth}`, actor: SYSTEM_ACTORS.billingRun, period: lastMonth },
    firstDayOf(addMonths(lastMonth, 1)),
  );
  return closed.ok ? closed.state : s;
}

export function previewEnding(s: ContractState, command: EndingCommand, input: Record<string, unknown>, today: IsoDate): EndingPreview {
  const cmd = { ...input, requestId: `preview:${command}`, actor: SYSTEM_ACTORS.preview } as Command<EndingCommand>;
  const d = decide(s, command, cmd as never, today);
  const base = { command, statusBefore: s.status, earlyTerminationFee: 0, compensation: 0, invoicesToCome: [], lastDay: null };
  if (!d.ok) return { ...base, accepted: false, refusal: d.refusal, status: s.status, owes: balance(s) };
  const after = d.state;
  if (!after.end || !after.startDate) return { ...base, accepted: true, refusal: null, status: after.status, owes: balance(after) };
  const billed = closedThrough(after, monthOf(after.end.lastDay));
  return {
    ...base,
    accepted: true,
    refusal: null,
    status: after.status,
    lastDay: after.end.lastDay,
    earlyTerminationFee: after.end.earlyTerminationFee,
    compensation: after.end.compensation,
    invoicesToCome: billed.invoices.filter((i) => !s.invoices.some((j) => j.period === i.period)).map((i) => ({ period: i.period, total: i.total })),
    owes: balance(billed),
  };
}
