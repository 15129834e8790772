/**
 * What the entry points (console, CLI) read of the workflows: the contract's queries, its workflow type,
 * the search attributes they list by, and the progress of billing runs and provider-wide actions. One
 * place, so an edge depends on the back office only (domain ← workflows ← back office ← edges).
 */
export { previewEndingQuery, quoteCancellationQuery, stateQuery } from '../workflows/contract/messages';
export type { contract } from '../workflows/contract/workflow';
export {
  AllowanceExceededKey,
  BilledThroughKey,
  CancellationDeadlineKey,
  ContractStatusKey,
  MinimumTermEndKey,
  NeedsAttentionKey,
  NextDeadlineKey,
  OverdueYenKey,
  PlanKey,
  RenewalDeclineDeadlineKey,
} from '../workflows/search-attributes';
export { handled, type BillingRunProgress } from '../workflows/billing-run';
export { providerActionHandled, providerActionProgressQuery, type ProviderActionProgress } from '../workflows/provider-action';
