/** Keep the Web UI readable without opening payloads: search attributes and a one-screen summary. */
import type { SearchAttributePair, SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { startOfDayJst } from '../../domain/calendar';
import type { IsoDate } from '../../domain/types';
import {
  BilledThroughKey,
  ContractStatusKey,
  MinimumTermEndKey,
  NextDeadlineKey,
  OutstandingYenKey,
  PlanKey,
} from '../search-attributes';
import { nextStep } from './steps';
import type { ContractState } from './state';
import { termsInForce } from '../../domain/statement';
import { monthlyFees } from '../../domain/pricing';
import { formatYen } from '../../domain/money';

/** The contract's search attributes on `today` (null: not known yet). */
export function searchAttributeValues(s: ContractState, today: IsoDate): SearchAttributeUpdatePair[] {
  const terms = termsInForce(s.terms, today.slice(0, 7));
  const next = nextStep(s);
  const date = (d: IsoDate | null | undefined) => (d ? new Date(startOfDayJst(d)) : null);
  return [
    { key: ContractStatusKey, value: s.status },
    { key: PlanKey, value: terms.plan },
    { key: MinimumTermEndKey, value: date(s.minimumTermEnd) },
    { key: NextDeadlineKey, value: date(next?.on) },
    { key: OutstandingYenKey, value: outstandingOf(s) },
    { key: BilledThroughKey, value: s.billedThrough },
  ];
}

/** The known ones, for the start of the next run (continue-as-new). */
export function searchAttributes(s: ContractState, today: IsoDate): SearchAttributePair[] {
  return searchAttributeValues(s, today).filter((p): p is SearchAttributePair => p.value !== null);
}

const outstandingOf = (s: ContractState) => s.invoices.reduce((a, i) => a + Math.max(0, i.outstanding), 0);

/** Publishes what changed since `previous` (the key it returned last time) and returns the new key. */
export function publishVisibility(s: ContractState, today: IsoDate, previous: string): string {
  const terms = termsInForce(s.terms, today.slice(0, 7));
  const next = nextStep(s);
  const outstanding = outstandingOf(s);
  const pairs = searchAttributeValues(s, today);
  const key = JSON.stringify([pairs.map((p) => p.value), s.failedEffects.length]);
  if (key === previous) return key;
  const current = workflowInfo().typedSearchAttributes;
  const changes = pairs.filter((c) => {
    const was = current.get(c.key as never) as unknown;
    const now = c.value;
    return !(was instanceof Date && now instanceof Date ? was.getTime() === now.getTime() : was === now || (was === undefined && now === null));
  });
  if (changes.length) upsertSearchAttributes(changes);
  const fees = monthlyFees(terms);
  setCurrentDetails(
    [
      `**${s.contractId}** — ${s.status}${s.suspension ? ` (suspended since ${s.suspension.since}, ${s.suspension.cause})` : ''}`,
      `plan ${terms.plan}, ${terms.components.length} component(s); fixed monthly fee ${formatYen(fees.fixedMonthlyFee)}`,
      `start ${s.startDate ?? '—'} · minimum term ends ${s.minimumTermEnd ?? '—'} · current term ends ${s.currentTermEnd ?? '—'}`,
      s.end ? `ends ${s.end.lastDay} (${s.end.kind}); ETF ${formatYen(s.end.earlyTerminationFee)}` : 'no end fixed',
      `billed through ${s.billedThrough ?? '—'} · outstanding ${formatYen(outstanding)} · credit ${formatYen(s.credit)}`,
      next ? `next: ${next.on} — ${next.summary}` : 'next: nothing scheduled',
      s.dataDeletedOn ? `data deleted ${s.dataDeletedOn} (Art. 30)` : '',
      s.failedEffects.length ? `⚠ ${s.failedEffects.length} failed effect(s): ${s.failedEffects.map((f) => `${f.effect.type} (${f.reason})`).join('; ')}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
  return key;
}
