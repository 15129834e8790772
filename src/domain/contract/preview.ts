/**
 * What a provider-wide action (Art. 4, 5, 17) does to one contract, computed without doing it: the bulk
 * run's dry run asks each contract this, and the real run asks it again after acting, so both report the
 * same figures from the same function. Pure: the decider on a copy, then the contract's own billing close.
 */
import { SYSTEM_ACTORS } from '../actor';
import { addMonths, firstDayOf, monthOf } from '../calendar';
import { providerActionRequestId, type ProviderAction } from '../provider-actions';
import type { ContractStatus, IsoDate, YearMonth, Yen } from '../types';
import type { Command } from '../validation';
import { decide } from './decider';
import { balance } from './balances';
import { feesOn } from './terms';
import type { Refusal } from './refusals';
import type { ContractState } from './state';

export interface ProviderActionPreview {
  contractId: string;
  /** Whether the contract accepts it (a repeat of one it accepted counts as accepted, `repeated`). */
  accepted: boolean;
  repeated: boolean;
  refusal: Refusal | null;
  statusBefore: ContractStatus;
  status: ContractStatus;
  /** Discontinuation (Art. 5): the last contract day, what is still to be invoiced up to it, and the balance then. */
  lastDay?: IsoDate | null;
  earlyTerminationFee?: Yen;
  compensation?: Yen;
  invoicesToCome?: Array<{ period: YearMonth; total: Yen }>;
  /** What the customer will owe once the last invoice is issued, if nothing else happens (negative: owed to them). */
  owes?: Yen;
  /** Price list (Art. 4): the fixed monthly fee before and from the effective month, under the contract's terms now. */
  fixedMonthlyFee?: { before: Yen; from: Yen; month: YearMonth };
}

export function previewProviderAction(s: ContractState, action: ProviderAction, today: IsoDate): ProviderActionPreview {
  const command = { ...action.input, requestId: providerActionRequestId(action, s.contractId), actor: SYSTEM_ACTORS.providerAction } as Command<
    typeof action.command
  >;
  const d = decide(s, action.command, command as never, today);
  const base = { contractId: s.contractId, statusBefore: s.status };
  if (!d.ok) return { ...base, accepted: false, repeated: false, refusal: d.refusal, status: s.status };
  const after = d.state;
  const answered = { ...base, accepted: true, repeated: d.repeated, refusal: null, status: after.status };
  if (action.command === 'announcePriceList') {
    const month = action.input.version.effectiveMonth;
    if (!after.startDate) return answered;
    const day = firstDayOf(month);
    return { ...answered, fixedMonthlyFee: { month, before: feesOn(s, day).fixedMonthlyFee, from: feesOn(after, day).fixedMonthlyFee } };
  }
  if (action.command === 'discontinueService') {
    if (!after.end || !after.startDate) return { ...answered, lastDay: after.end?.lastDay ?? null, invoicesToCome: [], owes: balance(after) };
    // Every month up to the last one, closed as the runs on the following 1sts will (D-11).
    const lastMonth = monthOf(after.end.lastDay);
    const closed = decide(
      after,
      'closeBillingPeriod',
      { requestId: `preview:${lastMonth}`, actor: SYSTEM_ACTORS.billingRun, period: lastMonth },
      firstDayOf(addMonths(lastMonth, 1)),
    );
    const billed = closed.ok ? closed.state : after;
    return {
      ...answered,
      lastDay: after.end.lastDay,
      earlyTerminationFee: after.end.earlyTerminationFee,
      compensation: after.end.compensation,
      invoicesToCome: billed.invoices.filter((i) => !s.invoices.some((j) => j.period === i.period)).map((i) => ({ period: i.period, total: i.total })),
      owes: balance(billed),
    };
  }
  return answered;
}
