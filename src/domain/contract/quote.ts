/** Art. 28 quote: may the customer end on `endDay` if they give notice today, and what would it cost? */
import { monthOf } from '../calendar';
import { earlyTerminationFee } from '../charges';
import { cancellationVerdict, earliestCancellationEnd } from '../lifecycle';
import { RULE } from '../rules';
import type { IsoDate } from '../types';
import { feesOn } from './terms';
import { fromVerdict, live } from './refusals';
import type { ContractState } from './state';

export function quoteCancellation(s: ContractState, endDay: IsoDate, today: IsoDate) {
  const refusal =
    live(s, 'cancellation', RULE.cancellation) ??
    fromVerdict(cancellationVerdict({ today, endDay, startDate: s.startDate ?? endDay, fixedEnd: s.end?.lastDay }));
  const etf =
    s.minimumTermEnd && !refusal ? earlyTerminationFee({ endDay, minimumTermEnd: s.minimumTermEnd, fixedMonthlyFee: feesOn(s, endDay).fixedMonthlyFee }) : null;
  return {
    endDay,
    valid: refusal === null,
    reason: refusal?.message ?? null,
    /** The refusal with its catalogue code and facts, for a screen to word in its language. */
    refusal,
    rule: refusal?.rule ?? RULE.cancellation,
    earliestEndDay: earliestCancellationEnd(today),
    earlyTerminationFee: etf?.amount ?? 0,
    lastBilledMonth: monthOf(endDay),
  };
}
export type CancellationQuote = ReturnType<typeof quoteCancellation>;
