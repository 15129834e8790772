/**
 * The calendar (`/calendar`): every dated thing ahead, months ahead — each contract's automatic steps (the
 * deemed rejection, the dunning ladder, the end, the data deletion: its `state` query's own list), the notice
 * deadlines (Art. 11-1, Art. 28: search attributes) and the four-eyes requests' last days. Visibility narrows
 * whom to ask: a contract whose NextDeadline (its earliest step) is past the horizon has no step within it.
 */
import type { StepKind } from '../domain/contract/steps';
import type { Client } from '@temporalio/client';
import { addMonths, firstDayOf, jstDateOf, monthOf, startOfDayJst } from '../domain/calendar';
import type { IsoDate, YearMonth } from '../domain/types';
import { waitingApprovals } from './approvals-waiting';
import { CancellationDeadlineKey, RenewalDeclineDeadlineKey, stateQuery } from './contract-workflows';
import type { Ledger } from './ledger-records';

export const CALENDAR_MONTHS = { default: 3, max: 12 } as const;
/** At most this many contracts' states are asked for one calendar (past it the calendar says so). */
export const CALENDAR_MAX_CONTRACTS = 2000;

/** A contract's automatic steps (a request's lapse is listed as its expiry), its notice deadlines, a request's expiry. */
export type CalendarKind = Exclude<StepKind, 'approvalLapse'> | 'renewalDeclineDeadline' | 'cancellationDeadline' | 'approvalExpiry';

export interface CalendarEvent {
  on: IsoDate;
  kind: CalendarKind;
  contractId: string;
  /** The invoice an overdue step is about; the four-eyes action and its request id. */
  period?: string;
  action?: string;
  requestId?: string;
}

export interface DeadlineCalendar {
  from: IsoDate;
  /** The last day shown: the end of the last month. */
  to: IsoDate;
  months: Array<{ month: YearMonth; events: CalendarEvent[] }>;
  /** More contracts had steps ahead than were asked (CALENDAR_MAX_CONTRACTS). */
  more: boolean;
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return out;
}

export async function deadlineCalendar(d: { client: Client; ledger: Ledger }, today: IsoDate, months: number): Promise<DeadlineCalendar> {
  const first = monthOf(today);
  const end = firstDayOf(addMonths(first, months)); // exclusive
  const horizon = new Date(startOfDayJst(end)).toISOString();
  const running = 'WorkflowType = "contract" AND ExecutionStatus = "Running"';
  const events: CalendarEvent[] = [];

  const withSteps: string[] = [];
  let more = false;
  for await (const wf of d.client.workflow.list({ query: `${running} AND NextDeadline < "${horizon}"`, pageSize: 1000 })) {
    if (withSteps.length === CALENDAR_MAX_CONTRACTS) {
      more = true;
      break;
    }
    withSteps.push(wf.workflowId);
  }
  const views = await inBatches(withSteps, 8, (id) =>
    d.client.workflow
      .getHandle(id)
      .query(stateQuery)
      .catch(() => undefined),
  );
  views.forEach((v, i) => {
    // A request's lapse is listed from the request itself (approvalExpiry, with its action), not again as a step.
    for (const step of (v?.nextDeadlines ?? []).filter((s) => s.kind !== 'approvalLapse'))
      events.push({ on: step.on, kind: step.kind as CalendarKind, contractId: withSteps[i]!, ...(step.period ? { period: step.period } : {}) });
  });

  const notices = `${running} AND ((RenewalDeclineDeadline >= "${today}" AND RenewalDeclineDeadline < "${end}") OR (CancellationDeadline >= "${today}" AND CancellationDeadline < "${end}"))`;
  for await (const wf of d.client.workflow.list({ query: notices, pageSize: 1000 })) {
    const sa = wf.typedSearchAttributes;
    for (const [key, kind] of [
      [RenewalDeclineDeadlineKey, 'renewalDeclineDeadline'],
      [CancellationDeadlineKey, 'cancellationDeadline'],
    ] as const) {
      const on = sa.get(key);
      if (on && on >= today && on < end) events.push({ on, kind, contractId: wf.workflowId });
    }
  }

  for (const a of await waitingApprovals(d.client, d.ledger, today))
    if (a.expiresOn < end) events.push({ on: a.expiresOn, kind: 'approvalExpiry', contractId: a.contractId, action: a.action, requestId: a.requestId });

  const shown = events.filter((e) => e.on >= today && e.on < end).sort((a, b) => a.on.localeCompare(b.on) || a.contractId.localeCompare(b.contractId));
  return {
    from: today,
    to: jstDateOf(startOfDayJst(end) - 1),
    months: Array.from({ length: months }, (_, i) => addMonths(first, i)).map((month) => ({ month, events: shown.filter((e) => monthOf(e.on) === month) })),
    more,
  };
}
