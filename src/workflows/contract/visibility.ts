/** Keep the Web UI readable without opening payloads: search attributes and a one-screen summary. */
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

/** Publishes what changed since `previous` (the key it returned last time) and returns the new key. */
export function publishVisibility(s: ContractState, today: IsoDate, previous: string): string {
  const terms = termsInForce(s.terms, today.slice(0, 7));
  const next = nextStep(s);
  const outstanding = s.invoices.reduce((a, i) => a + Math.max(0, i.outstanding), 0);
  const values = {
    status: s.status,
    plan: terms.plan,
    minimumTermEnd: s.minimumTermEnd,
    next: next?.on ?? null,
    outstanding,
    billedThrough: s.billedThrough,
    failed: s.failedEffects.length,
  };
  const key = JSON.stringify(values);
  if (key === previous) return key;
  const date = (d: IsoDate | null) => (d ? new Date(startOfDayJst(d)) : null);
  const current = workflowInfo().typedSearchAttributes;
  const changes = [
    { key: ContractStatusKey, value: values.status },
    { key: PlanKey, value: values.plan },
    { key: MinimumTermEndKey, value: date(values.minimumTermEnd) },
    { key: NextDeadlineKey, value: date(values.next) },
    { key: OutstandingYenKey, value: values.outstanding },
    { key: BilledThroughKey, value: values.billedThrough },
  ].filter((c) => {
    const was = current.get(c.key as never) as unknown;
    const now = c.value;
    return !(was instanceof Date && now instanceof Date ? was.getTime() === now.getTime() : was === now || (was === undefined && now === null));
  });
  if (changes.length) upsertSearchAttributes(changes as never);
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
