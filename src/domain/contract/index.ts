/** The contract's decider and its vocabulary: what the workflow, the simulator and the console share. */
export {
  ANSWERS_KEPT,
  advance,
  check,
  contractYearOn,
  decide,
  noteCancellationRequest,
  receive,
  recordOutcomes,
  type Decision,
  type EffectOutcome,
} from './decider';
export { finished, initialState } from './state';
export { adoptDunningLadder, DUNNING_KINDS } from './dunning';
export type {
  Answer,
  CommandResult,
  ContractState,
  DunningKind,
  Effect,
  NoticeEffect,
  EndKind,
  FixedEnd,
  InvoiceRecord,
  NoticeRecord,
  PendingChange,
  ScheduledLine,
} from './state';
export { nextDeadline, nextStep, pendingSteps, stepDueAt, type Step, type StepKind } from './steps';
export { quoteCancellation, type CancellationQuote } from './quote';
export { contractView, noticeDeadlines, termEndOn, upcomingLines, type ContractView, type NoticeDeadlines, type WaitingEffects } from './view';
export { TRANSITIONS, transitionFor, type Transition } from './transitions';
export { balance, outstanding, overdue } from './balances';
export { feesOn, termsHistory, termsIn, termsOn } from './terms';
export { suspensionGrounds } from './suspension';
export { sameAmountRecently, SAME_AMOUNT_WARNING_DAYS } from './money';
export type { Refusal } from './refusals';
export { previewProviderAction, type ProviderActionPreview } from './preview';
export { ENDING_COMMANDS, previewEnding, type EndingCommand, type EndingPreview } from './preview-end';
export { allowanceExceededMonth, needsAttention } from './attention';
