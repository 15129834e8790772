/**
 * Gauges read from visibility: what is stuck and how long, how many contracts need a person,
 * and where the billing run stands. One process polls (the worker), every POLL_MS; a failed read leaves
 * the last values and is logged, so a visibility outage shows as stale gauges and a log line, not a crash.
 */
import type { Client } from '@temporalio/client';
import type { MetricGauge } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import { jstDateOf, monthOf, startOfDayJst } from '../domain/calendar';
import { billingRunProgressQuery, handled, type BillingRunProgress, type billingRun } from '../workflows/billing-run';
import { EffectsWaitingSinceKey } from '../workflows/search-attributes';

export const POLL_MS = 30_000;
/** At most this many waiting contracts are read for the oldest (the count is exact). */
const WAITING_READ = 1000;

interface Gauges {
  waiting: MetricGauge;
  oldestWaiting: MetricGauge;
  attention: MetricGauge;
  billing: MetricGauge;
  billingCompleted: MetricGauge;
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
  };
}

/** Read visibility once and set the gauges. */
export async function pollMetrics(client: Client, now = Date.now(), g: Gauges = gauges()): Promise<void> {
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
  let stopped = false;
  const tick = () =>
    pollMetrics(client, Date.now(), g).catch((err: Error) =>
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
