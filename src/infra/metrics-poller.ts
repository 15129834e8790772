/**
 * Gauges read from visibility: what is stuck and how long, how many contracts need a person,
 * and where the billing run stands. One process polls (the worker), every POLL_MS; a failed read leaves
 * the last values and is logged, so a visibility outage shows as stale gauges and a log line, not a crash.
 */
import type { Client } from '@temporalio/client';
import type { MetricGauge } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import { jstDateOf, monthOf, startOfDayJst } from '../domain/calendar';
import { closedAbnormally, type ClosedRun } from './closed-runs';
import { billingRunProgressQuery, handled, type BillingRunProgress, type billingRun } from '../workflows/billing-run';
import { EffectsWaitingSinceKey } from '../workflows/search-attributes';

export const POLL_MS = 30_000;
/** At most this many waiting contracts are read for the oldest (the count is exact). */
const WAITING_READ = 1000;
/** At most this many contracts closed abnormally are read (each is one person's work: there are few). */
const CLOSED_READ = 1000;

/** Contracts closed abnormally already alerted on by this process (each run once), and where the alert goes. */
export interface ClosedWatch {
  alerted: Set<string>;
  alert(message: string, meta: Record<string, unknown>): void;
}

export function closedWatch(alert: ClosedWatch['alert'] = (m, meta) => Runtime.instance().logger.error(m, meta)): ClosedWatch {
  return { alerted: new Set(), alert };
}

interface Gauges {
  waiting: MetricGauge;
  oldestWaiting: MetricGauge;
  attention: MetricGauge;
  billing: MetricGauge;
  billingCompleted: MetricGauge;
  closedAbnormally: MetricGauge;
}

function gauges(): Gauges {
  const m = Runtime.instance().metricMeter;
  return {
    waiting: m.createGauge('neutrix_effects_waiting_contracts', 'int', 'contracts', 'Contracts whose effects have waited on an outage past the attention time'),
    oldestWaiting: m.createGauge('neutrix_effects_oldest_waiting_seconds', 'float', 's', 'Age of the oldest waiting effects (0: none)'),
    attention: m.createGauge('neutrix_contracts_needing_attention', 'int', 'contracts', 'Contracts flagged NeedsAttention (failed for good or waiting)'),
    billing: m.createGauge('neutrix_billing_run_contracts', 'int', 'contracts', 'The running billing run: contracts by outcome, and remaining'),
    billingCompleted: m.createGauge(
      'neutrix_billing_runs_completed_this_month',
      'int',
      'runs',
      'Full billing runs started this month (Japan time) that completed',
    ),
    closedAbnormally: m.createGauge(
      'neutrix_contracts_closed_abnormally',
      'int',
      'contracts',
      'Contracts whose workflow was terminated, failed or timed out: they no longer bill, end or delete data',
    ),
  };
}

/** Read visibility once and set the gauges. */
export async function pollMetrics(client: Client, now = Date.now(), g: Gauges = gauges(), watch: ClosedWatch = closedWatch()): Promise<void> {
  const contracts = 'WorkflowType = "contract" AND ExecutionStatus = "Running"';
  const waiting = (await client.workflow.count(`${contracts} AND ${EffectsWaitingSinceKey.name} IS NOT NULL`)).count;
  let oldest = 0;
  let read = 0;
  for await (const wf of client.workflow.list({ query: `${contracts} AND ${EffectsWaitingSinceKey.name} IS NOT NULL`, pageSize: 100 })) {
    const since = wf.typedSearchAttributes.get(EffectsWaitingSinceKey);
    if (since) oldest = Math.max(oldest, (now - since.getTime()) / 1000);
    if (++read >= WAITING_READ) break;
  }
  g.waiting.set(waiting);
  g.oldestWaiting.set(oldest);
  g.attention.set((await client.workflow.count(`${contracts} AND NeedsAttention = true`)).count);
  const closed = await closedAbnormally(client, CLOSED_READ);
  g.closedAbnormally.set(closed.runs.length);
  for (const r of closed.runs) alertOnce(watch, r);

  const monthStart = new Date(startOfDayJst(`${monthOf(jstDateOf(now))}-01`)).toISOString();
  let completed = 0;
  let running: string | undefined;
  for await (const wf of client.workflow.list({ query: `WorkflowType = "billingRun" AND StartTime >= "${monthStart}"`, pageSize: 100 })) {
    if (wf.workflowId.includes('-rerun-')) continue; // a re-run covers some contracts, not the month
    if (wf.status.name === 'COMPLETED') completed++;
    if (wf.status.name === 'RUNNING') running = wf.workflowId;
  }
  g.billingCompleted.set(completed);
  const p = running ? await progressOf(client, running) : null;
  const remaining = p?.total != null ? Math.max(0, p.total - handled(p)) : 0;
  for (const [outcome, n] of [
    ['billed', p?.billed ?? 0],
    ['alreadyBilled', p?.alreadyBilled ?? 0],
    ['nothingToBill', p?.nothingToBill ?? 0],
    ['failed', p?.failed.length ?? 0],
    ['remaining', remaining],
  ] as const)
    g.billing.set(n, { outcome });
}

/** One JSON log line per abnormally closed run: the alert a log search pages on, with what ops need first. */
function alertOnce(watch: ClosedWatch, r: ClosedRun): void {
  const key = `${r.contractId}/${r.runId}`;
  if (watch.alerted.has(key)) return;
  watch.alerted.add(key);
  watch.alert('contract closed abnormally: needs attention', {
    contractId: r.contractId,
    status: r.status,
    closedAt: r.closedAt?.toISOString() ?? null,
    reason: r.reason,
    lastStatus: r.lastStatus,
    overdueYen: r.overdueYen,
  });
}

/**
 * A running billing run's progress, by its query (infra reads the workflow's own interface, not the back
 * office); a run that cannot answer counts as none, as the back office's summary answers it.
 */
async function progressOf(client: Client, workflowId: string): Promise<BillingRunProgress | null> {
  return client.workflow
    .getHandle<typeof billingRun>(workflowId)
    .query(billingRunProgressQuery)
    .catch(() => null);
}

/** Poll until stopped; the first read at once. */
export function startMetricsPoller(client: Client, log: (message: string, meta: Record<string, unknown>) => void): { stop(): void } {
  const g = gauges();
  const watch = closedWatch();
  let stopped = false;
  const tick = () =>
    pollMetrics(client, Date.now(), g, watch).catch((err: Error) =>
      log('metrics: visibility could not be read; the gauges keep their last values', { error: err.message }),
    );
  void tick();
  const timer = setInterval(() => void (stopped || tick()), POLL_MS);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
