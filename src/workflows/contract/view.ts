/** What the `state` query shows: the contract at a glance for staff, the CLI and the simulator. */
import { monthlyFees } from '../../domain/pricing';
import { termsInForce } from '../../domain/statement';
import { monthOf } from '../../domain/calendar';
import type { IsoDate } from '../../domain/types';
import { balance } from './effects';
import { pendingSteps, type Step } from './steps';
import type { ContractState } from './state';
import type { quoteCancellation } from './commands';

export type CancellationQuote = ReturnType<typeof quoteCancellation>;

/** `dueAt` tells when each step runs (epoch ms, workflow clock). */
export function contractView(s: ContractState, today: IsoDate, pendingEffects: number, dueAt: (step: Step) => number) {
  const terms = termsInForce(s.terms, monthOf(today));
  const deadlines = pendingSteps(s)
    .map((step) => ({ ...step, dueAt: new Date(dueAt(step)).toISOString() }))
    .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
  return {
    contractId: s.contractId,
    status: s.status,
    customer: s.customer,
    today,
    appliedOn: s.appliedOn,
    approvedOn: s.approvedOn,
    startDate: s.startDate,
    minimumTermEnd: s.minimumTermEnd,
    currentTermEnd: s.currentTermEnd,
    endDate: s.end?.lastDay ?? null,
    end: s.end,
    endedOn: s.endedOn,
    dataDeletedOn: s.dataDeletedOn,
    terms,
    scheduledTerms: s.terms.filter((t) => t.from > monthOf(today)),
    fees: monthlyFees(terms),
    suspension: s.suspension,
    pendingChange: s.pendingChange,
    nextDeadlines: deadlines,
    invoices: s.invoices,
    billedThrough: s.billedThrough,
    pendingLines: s.pendingLines,
    scheduledLines: s.scheduledLines,
    outstanding: s.invoices.reduce((a, i) => a + Math.max(0, i.outstanding), 0),
    credit: s.credit,
    balance: balance(s),
    notices: s.notices,
    failedEffects: s.failedEffects,
    /** Effects (notices, invoices, deletion) not yet carried out. */
    pendingEffects,
  };
}
export type ContractView = ReturnType<typeof contractView>;
