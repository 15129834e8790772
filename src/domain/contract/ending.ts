/** How a contract's end is fixed and reached: the last day, with the ETF or compensation it brings. */
import { monthOf } from '../calendar';
import { convenienceCompensation, earlyTerminationFee } from '../charges';
import { RULE } from '../rules';
import type { IsoDate, Party, YearMonth } from '../types';
import { notice } from './notices';
import { changesAfter, feesOn } from './terms';
import type { ContractState, Effect, EndKind, FixedEnd } from './state';
import { endContract } from './transitions';

/** The ends that are solely the provider's doing: no ETF (Art. 11-2; Art. 29-3; Art. 5-4). */
const PROVIDERS_DOING: readonly EndKind[] = ['terminationForConvenience', 'serviceDiscontinuation'];

/**
 * Fix (or move earlier) the last contract day. Art. 11-2: the ETF inside the minimum term, except when the
 * end is solely the provider's doing; Art. 29-3: the compensation, from the fees on the notice day.
 * Art. 5-4: a discontinuation brings no compensation of its own; one that brings forward an Art. 29-3
 * termination already noticed keeps the compensation promised on that notice day (D-22).
 * D-17: both use the price-list version in force on their day.
 */
export function fixEnd(s: ContractState, today: IsoDate, lastDay: IsoDate, kind: EndKind, by: Party): FixedEnd & { droppedChanges: YearMonth[] } {
  const before = s.end;
  s.scheduledLines = s.scheduledLines.filter((l) => !l.tiedToEnd);
  const period = monthOf(lastDay);
  const endFees = feesOn(s, lastDay);
  const etf =
    PROVIDERS_DOING.includes(kind) || !s.minimumTermEnd
      ? null
      : earlyTerminationFee({ endDay: lastDay, minimumTermEnd: s.minimumTermEnd, fixedMonthlyFee: endFees.fixedMonthlyFee, priceList: endFees.priceList });
  if (etf) s.scheduledLines.push({ period, line: etf, tiedToEnd: true });
  const noticeDay =
    kind === 'terminationForConvenience' ? today : kind === 'serviceDiscontinuation' && before?.kind === 'terminationForConvenience' ? before.fixedOn : null;
  const noticeFees = noticeDay ? feesOn(s, noticeDay) : null;
  const compensation = noticeFees ? convenienceCompensation(noticeFees.fixedMonthlyFee, noticeFees.priceList) : null;
  if (compensation) s.scheduledLines.push({ period, line: compensation, tiedToEnd: true });
  s.end = { lastDay, kind, fixedOn: today, by, earlyTerminationFee: etf?.amount ?? 0, compensation: compensation ? -compensation.amount : 0 };
  // D-28: a change for a month after the last day never takes effect; the end's notice names what was dropped.
  const dropped = changesAfter(s, lastDay);
  s.changes = s.changes.filter((c) => !dropped.includes(c));
  return { ...s.end, droppedChanges: dropped.map((c) => c.effectiveMonth) };
}

/** D-28: the end notice's fact for the changes dropped, only when there are some. */
export const dropped = (months: readonly YearMonth[]) => (months.length ? { droppedChanges: [...months] } : {});

/**
 * Art. 29-1: termination for cause takes effect today — by the provider's decision or, D-14, by the overdue
 * policy (Art. 29-1-4). Both end the same way; only the notice's key and rule differ.
 */
export function terminateForCauseToday(s: ContractState, today: IsoDate, by: 'terminateForCause' | 'overdueTermination', key: string): Effect[] {
  const end = fixEnd(s, today, today, 'terminationForCause', 'provider');
  endContract(s, by, today);
  const article = by === 'overdueTermination' ? RULE.overdueTermination : RULE.terminationForCause;
  return [
    notice(s, 'terminated', today, key, { terminationDay: today, earlyTerminationFee: end.earlyTerminationFee, article, ...dropped(end.droppedChanges) }),
  ];
}
