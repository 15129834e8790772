/**
 * Custom search attributes kept current by every contract workflow, so ops can filter in the Web UI
 * without opening payloads. Never personal data: these values are stored unencrypted (docs/temporal-notes.md#search-attributes-are-plaintext).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ContractStatusKey = defineSearchAttributeKey('ContractStatus', SearchAttributeType.KEYWORD);
export const PlanKey = defineSearchAttributeKey('Plan', SearchAttributeType.KEYWORD);
export const MinimumTermEndKey = defineSearchAttributeKey('MinimumTermEnd', SearchAttributeType.DATETIME);
/** The last day to act before the next automatic step (00:00 JST of that day): D-2's A + 60 for a pending application. */
export const NextDeadlineKey = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
/** What is past its due date and unpaid: the clerk's overdue list (an invoice not yet due is not in it). */
export const OverdueYenKey = defineSearchAttributeKey('OverdueYen', SearchAttributeType.INT);
/** The last billing period a contract has invoiced, `YYYY-MM`: lets the billing run skip the done ones. */
export const BilledThroughKey = defineSearchAttributeKey('BilledThrough', SearchAttributeType.KEYWORD);

/**
 * The notice deadlines of `noticeDeadlines` (Art. 11-1, Art. 28), as Japan calendar days `YYYY-MM-DD`.
 * Keywords, not datetimes: SQL visibility has three datetime slots (taken), ISO days compare in order
 * (`>= "2026-12-01"`), and the Web UI shows the day as the terms name it, not 15:00 UTC the day before.
 */
export const RenewalDeclineDeadlineKey = defineSearchAttributeKey('RenewalDeclineDeadline', SearchAttributeType.KEYWORD);
export const CancellationDeadlineKey = defineSearchAttributeKey('CancellationDeadline', SearchAttributeType.KEYWORD);
/** An effect failed for good, or has waited on an outage past the set time: the dashboard's list. */
export const NeedsAttentionKey = defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL);
/** Since when effects have waited on an outage (set once flagged, cleared once through): the age ops alert on. */
export const EffectsWaitingSinceKey = defineSearchAttributeKey('EffectsWaitingSince', SearchAttributeType.DATETIME);

/**
 * D-19: the latest month (`YYYY-MM`, Japan time) whose incidents or ops hours exceed what the plan
 * includes; unset while none has. A keyword (months compare in order): the dashboard lists
 * `AllowanceExceeded >= "<last month>"`.
 */
export const AllowanceExceededKey = defineSearchAttributeKey('AllowanceExceeded', SearchAttributeType.KEYWORD);

export const CONTRACT_SEARCH_ATTRIBUTES = [
  ContractStatusKey,
  PlanKey,
  MinimumTermEndKey,
  NextDeadlineKey,
  OverdueYenKey,
  BilledThroughKey,
  RenewalDeclineDeadlineKey,
  CancellationDeadlineKey,
  NeedsAttentionKey,
  EffectsWaitingSinceKey,
  AllowanceExceededKey,
] as const;
