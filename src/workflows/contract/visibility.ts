/** Keep the Web UI readable without opening payloads: search attributes and a one-screen summary. */
import type { SearchAttributePair, SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  allowanceExceededMonth,
  feesOn,
  needsAttention,
  nextDeadline,
  nextStep,
  noticeDeadlines,
  type WaitingEffects,
  outstanding,
  overdue,
  suspensionGrounds,
  termEndOn,
  termsIn,
  type ContractState,
} from '../../domain/contract';
import { monthOf, startOfDayJst } from '../../domain/calendar';
import { formatYen } from '../../domain/money';
import { RULE } from '../../domain/rules';
import type { IsoDate } from '../../domain/types';
import {
  AllowanceExceededKey,
  BilledThroughKey,
  CancellationDeadlineKey,
  ContractStatusKey,
  EffectsWaitingSinceKey,
  MinimumTermEndKey,
  NeedsAttentionKey,
  NextDeadlineKey,
  OverdueYenKey,
  PlanKey,
  RenewalDeclineDeadlineKey,
} from '../search-attributes';

/** The contract's search attributes on `today` (null: not known yet). Never personal data: they are not encrypted. */
export function searchAttributeValues(s: ContractState, today: IsoDate, waiting: WaitingEffects | null = null): SearchAttributeUpdatePair[] {
  const date = (d: IsoDate | null | undefined) => (d ? new Date(startOfDayJst(d)) : null);
  const notices = noticeDeadlines(s, today);
  return [
    { key: ContractStatusKey, value: s.status },
    { key: PlanKey, value: termsIn(s, monthOf(today)).plan },
    { key: MinimumTermEndKey, value: date(s.minimumTermEnd) },
    { key: NextDeadlineKey, value: date(nextDeadline(s, today)?.actBy) }, // the last day to act (D-2)
    { key: OverdueYenKey, value: overdue(s, today) },
    { key: BilledThroughKey, value: s.billedThrough },
    { key: RenewalDeclineDeadlineKey, value: notices.renewalDecline?.on ?? null },
    { key: CancellationDeadlineKey, value: notices.cancellationWithoutFee?.on ?? null },
    { key: NeedsAttentionKey, value: needsAttention(s, waiting) },
    { key: EffectsWaitingSinceKey, value: waiting ? new Date(waiting.since) : null },
    { key: AllowanceExceededKey, value: allowanceExceededMonth(s) },
  ];
}

/** The known ones, for the start of the next run (continue-as-new). */
export function searchAttributes(s: ContractState, today: IsoDate): SearchAttributePair[] {
  return searchAttributeValues(s, today).filter((p): p is SearchAttributePair => p.value !== null);
}

const comparable = (v: unknown) => (v instanceof Date ? v.getTime() : (v ?? null));

/** Publishes what changed since `previous` (the key it returned last time) and returns the new key. */
export function publishVisibility(s: ContractState, today: IsoDate, previous: string, waiting: WaitingEffects | null = null): string {
  const pairs = searchAttributeValues(s, today, waiting);
  // The details too: a payment changes the balance they show without changing any search attribute.
  const text = details(s, today, waiting);
  const key = JSON.stringify([pairs.map((p) => comparable(p.value)), text]);
  if (key === previous) return key;
  const current = new Map(
    workflowInfo()
      .typedSearchAttributes.getAll()
      .map((p) => [p.key.name, comparable(p.value)]),
  );
  const changes = pairs.filter((p) => current.get(p.key.name) !== comparable(p.value) && !(p.value === null && !current.has(p.key.name)));
  if (changes.length) upsertSearchAttributes(changes);
  setCurrentDetails(text);
  return key;
}

function details(s: ContractState, today: IsoDate, waiting: WaitingEffects | null): string {
  const terms = termsIn(s, monthOf(today));
  const next = nextStep(s);
  return [
    `**${s.contractId}** — ${s.status}${
      s.suspension
        ? ` (suspended since ${s.suspension.since}: ${suspensionGrounds(s)
            .map((g) => (g.ground === 'nonPayment' ? `non-payment of ${g.periods.join(', ')} until ${g.terminationDay}` : 'back office'))
            .join('; ')})`
        : ''
    }`,
    `plan ${terms.plan}, ${terms.components.length} component(s); fixed monthly fee ${formatYen(feesOn(s, today).fixedMonthlyFee)}`,
    `start ${s.startDate ?? '—'} · minimum term ends ${s.minimumTermEnd ?? '—'} · current term ends ${termEndOn(s, today) ?? '—'}`,
    s.end ? `ends ${s.end.lastDay} (${s.end.kind}); ETF ${formatYen(s.end.earlyTerminationFee)}` : `no end fixed (rolling renewal, ${RULE.renewal})`,
    `billed through ${s.billedThrough ?? '—'} · outstanding ${formatYen(outstanding(s))} · credit ${formatYen(s.credit)}`,
    next ? `next: ${next.on} — ${next.summary}` : 'next: nothing scheduled',
    s.dataDeletedOn ? `data deleted ${s.dataDeletedOn} (${RULE.dataDeletion})` : '',
    s.cancellationRequestedAt
      ? `⚠ a Temporal cancellation was requested at ${s.cancellationRequestedAt} and ignored: a contract ends by cancel or terminate (${RULE.cancellation}, ${RULE.terminationForCause})`
      : '',
    waiting ? `⚠ needs attention: ${waiting.effects.join(', ')} waiting since ${waiting.since} (the ledger or mail is unreachable; retried with backoff)` : '',
    s.failedEffects.length ? `⚠ ${s.failedEffects.length} failed effect(s): ${s.failedEffects.map((f) => `${f.effect.type} (${f.reason})`).join('; ')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}
