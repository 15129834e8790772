/**
 * History growth: one contract played for ten years on the time-skipping server (the long-life test's
 * approach): approved on 2026-01-20 with usage from 2026-02-02, every month billed on the 1st and paid
 * the same day, the renewal declined on time so it ends 2036-01-01, then closed after the deletion. Every
 * run of the workflow id (one per continue-as-new) is fetched and its events counted.
 */
import type { temporal } from '@temporalio/proto';
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
    const lastMonth = addMonths('2026-01', years * 12); // the month the contract ends in (on its 1st)
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
    let handle = t.env.client.workflow.getHandle(id);
    for (;;) {
      const history: History = await handle.fetchHistory();
      lengths.push(history.events?.length ?? 0);
      const previous = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      if (!previous) break;
      handle = t.env.client.workflow.getHandle(id, previous);
    }
    const totalEvents = lengths.reduce((a, b) => a + b, 0);
    return {
      years,
      runs: lengths.length,
      totalEvents,
      eventsPerYear: totalEvents / years,
      largestRun: Math.max(...lengths),
      invoices: s.invoices.length,
      wallSeconds: (Date.now() - t0) / 1000,
    };
  } finally {
    await t.teardown();
  }
}
