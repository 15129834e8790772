/**
 * Custom search attributes kept current by every contract workflow, so ops can filter in the Web UI
 * without opening payloads. Never personal data: these values are stored unencrypted (SDK notes §0.5).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ContractStatusKey = defineSearchAttributeKey('ContractStatus', SearchAttributeType.KEYWORD);
export const PlanKey = defineSearchAttributeKey('Plan', SearchAttributeType.KEYWORD);
export const MinimumTermEndKey = defineSearchAttributeKey('MinimumTermEnd', SearchAttributeType.DATETIME);
export const NextDeadlineKey = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
/** What is past its due date and unpaid: the clerk's overdue list (an invoice not yet due is not in it). */
export const OverdueYenKey = defineSearchAttributeKey('OverdueYen', SearchAttributeType.INT);
/** The last billing period a contract has invoiced, `YYYY-MM`: lets the billing run skip the done ones. */
export const BilledThroughKey = defineSearchAttributeKey('BilledThrough', SearchAttributeType.KEYWORD);

export const CONTRACT_SEARCH_ATTRIBUTES = [
  ContractStatusKey,
  PlanKey,
  MinimumTermEndKey,
  NextDeadlineKey,
  OverdueYenKey,
  BilledThroughKey,
] as const;
