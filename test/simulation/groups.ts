/** Which worked scenarios (test/scenarios/NAME.json) each simulation test file plays. Every scenario is in exactly one group. */
export const GROUPS = {
  /** Applications, approvals, rejections and changes (Art. 7–12, D-2, D-3, D-6, D-9). */
  applications: [
    'monthly-payments',
    'rejected',
    'deemed-rejection',
    'approve-on-day-60',
    'cloud-fee-first-month',
    'change-upgrade',
    'change-downgrade',
    'change-decisions',
    'change-before-start',
  ],
  /** Credits, damages, penalties, charges, suspension and non-payment (Art. 18, 21, 24–27, D-10, D-12–D-14). */
  money: [
    'outage-credits',
    'outage-across-a-change',
    'damages',
    'penalty-and-charges',
    'credit-carried-forward',
    'suspend-resume',
    'overdue-then-paid',
    'overdue-termination',
    'outage-uncapped',
    'overdue-exact-30th-day',
    'bank-statements',
  ],
  /** Ending a contract: cancellation, renewal declined, terminations, deletion (Art. 11, 28–30, D-4, D-5, D-7, D-8). */
  endings: ['cancel-with-etf', 'start-and-end-same-day', 'decline-renewal-on-time', 'decline-renewal-late', 'terminate-for-cause', 'terminate-for-convenience'],
  /** What the provider does to every contract, and the allowances (Art. 4, 5, 17, Appendix 2 notes, D-17–D-19). */
  provider: ['price-rise', 'discontinue-service', 'discontinue-emergency', 'discontinue-pending', 'maintenance', 'allowances-premium', 'allowances-entry'],
  /** An independent audit's five stories: suspension grounds, credits first, approved changes keep their months (D-25–D-28). */
  audit: [
    'changes-approved-out-of-order',
    'change-after-the-end',
    'overdue-paid-within-grace',
    'credit-settles-overdue',
    'overdue-during-back-office-suspension',
  ],
} as const;
