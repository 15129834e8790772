/**
 * History growth: one contract played for ten years on the time-skipping server (the long-life test's
 * approach): approved on 2026-01-20 with usage from 2026-02-02, every month billed on the 1st and paid
 * the same day, the renewal declined on time so it ends 2036-01-01, then closed after the deletion. Every
 * run of the workflow id (one per continue-as-new) is fetched and its events counted, and the Temporal Cloud
 * billable Actions they record (bench/actions.ts).
 */
import { temporal } from '@temporalio/proto';
import { countActions, sumActions, type ActionCounts } from './actions';
import { addMonths } from '../src/domain/calendar';
import { approveFeb2, billAndPay, contractTestEnv, standardApplication } from '../test/helpers/contract-env';

type History = temporal.api.history.v1.IHistory;

export interface HistoryFigures {
  years: number;
  runs: number;
  totalEvents: number;
  eventsPerYear: number;
  largestRun: number;
  invoices: number;
  wallSeconds: number;
  /** Median events per cause in the runs after the first and before the last (one contract-year each). */
  perContractYear: Record<string, number>;
  /** Temporal Cloud billable Actions in all the runs' histories, by kind (not per year). */
  actions: ActionCounts;
}

type Event = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;

/**
 * Splits a run into what woke it: each workflow task with the events it caused, named after its trigger
 * (the run's start, a timer, an update by name) — where a month's history goes.
 */
export function eventsByCause(events: Event[]): Record<string, number> {
  const out: Record<string, number> = {};
  let cause = 'start';
  let pending: Event[] = [];
  const flush = () => {
    if (pending.length) out[cause] = (out[cause] ?? 0) + pending.length;
    pending = [];
  };
  for (const e of events) {
    if (e.eventType === T.EVENT_TYPE_TIMER_FIRED || e.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) {
      flush();
      cause = e.eventType === T.EVENT_TYPE_TIMER_FIRED ? 'timer' : `signal ${e.workflowExecutionSignaledEventAttributes?.signalName}`;
    } else if (e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED && pending.some((p) => p.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) {
      flush();
      cause = 'update';
    }
    pending.push(e);
    if (e.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
      cause = `update ${e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name}`;
  }
  flush();
  return out;
}

export async function historyOverYears(years = 10, log: (l: string) => void = () => undefined): Promise<HistoryFigures> {
  const t0 = Date.now();
  const t = await contractTestEnv();
  try {
    const id = `HISTORY-${years}Y`;
    const d = await t.start(standardApplication(id));
    await approveFeb2(d);
    // Renewal terms after the minimum term run 2nd → 1st; the term ending on the 1st of month M + 1 starts
    // on the 2nd of M, and its decline deadline is the 1st of M.
    // The month the contract ends in (on its 1st), never before the minimum term's end (2027-02-01):
    // with years = 1 a decline ends it there, one month later than twelve months would say.
    const lastMonth = addMonths('2026-01', Math.max(years * 12, 13));
    const declineMonth = addMonths(lastMonth, -1);
    for (let p = '2026-02'; p < declineMonth; p = addMonths(p, 1)) {
      await billAndPay(d, p);
      if (p.endsWith('-12')) log(`  history: billed and paid through ${p}`);
    }
    await d.advanceTo(`${declineMonth}-01`, 10);
    const r = await d.command('declineRenewal', { requestId: 'decline', by: 'customer' });
    if (!r.ok) throw new Error(r.message);
    await billAndPay(d, declineMonth);
    await billAndPay(d, lastMonth);
    await d.advanceTo(`${addMonths(lastMonth, 1)}-02`, 10);
    const s = await d.state();
    if (!(await d.closed())) throw new Error(`the contract did not close: ${s.status}`);

    const lengths: number[] = [];
    const causes: Array<Record<string, number>> = [];
    const actions: ActionCounts[] = [];
    let handle = t.env.client.workflow.getHandle(id);
    for (;;) {
      const history: History = await handle.fetchHistory();
      lengths.push(history.events?.length ?? 0);
      causes.push(eventsByCause(history.events ?? []));
      actions.push(countActions(history.events ?? []));
      const previous = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      if (!previous) break;
      handle = t.env.client.workflow.getHandle(id, previous);
    }
    const totalEvents = lengths.reduce((a, b) => a + b, 0);
    // Runs after the first (the application and the minimum term), but not the last (the end): a contract-year each.
    const yearly = causes.slice(1, -1);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const kinds = [...new Set(yearly.flatMap((c) => Object.keys(c)))];
    const perContractYear = Object.fromEntries(kinds.map((k) => [k, median(yearly.map((c) => c[k] ?? 0))]));
    return {
      years,
      runs: lengths.length,
      totalEvents,
      eventsPerYear: totalEvents / years,
      largestRun: Math.max(...lengths),
      perContractYear,
      actions: sumActions(actions),
      invoices: s.invoices.length,
      wallSeconds: (Date.now() - t0) / 1000,
    };
  } finally {
    await t.teardown();
  }
}
