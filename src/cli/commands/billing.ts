/**
 * `billing-run now`: start a billing run for a month (default the previous one) and follow its progress;
 * `billing-run status`: the latest run and the `monthly-billing` schedule. A month billed twice bills
 * nothing twice (each contract de-duplicates by the business key), so a run is always safe to repeat.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ScheduleNotFoundError, WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { jstDateOf } from '../../domain/calendar';
import { periodClosedOn } from '../../domain/deadlines';
import { yearMonth } from '../../domain/validation';
import { BILLING_SCHEDULE_ID } from '../../infra/schedule';
import { billingRunProgressQuery, type billingRun, type BillingRunProgress } from '../../workflows/billing-run';
import { CliError, countArg, EXIT, UsageError, validate, type CommandSpec, type Context } from '../command';
import { fields, jstTime, table } from '../format';

export function progressLine(p: BillingRunProgress): string {
  const handled = p.billed + p.alreadyBilled + p.failed.length;
  return `${p.period}: ${handled}/${p.total ?? '?'} contracts — billed ${p.billed} · already billed ${p.alreadyBilled} · failed ${p.failed.length}${p.done ? ' · done' : ''}`;
}

function failures(p: BillingRunProgress): string {
  return table(p.failed, [
    { header: 'CONTRACT', value: (f) => f.contractId },
    { header: 'REASON', value: (f) => f.reason.replace(/\s+/g, ' ') },
  ]);
}

async function follow(ctx: Context, handle: WorkflowHandle<typeof billingRun>): Promise<BillingRunProgress> {
  const pollMs = ctx.io.pollMs ?? 500;
  let last = '';
  for (;;) {
    let p: BillingRunProgress | undefined;
    try {
      p = await handle.query(billingRunProgressQuery);
    } catch {
      // Not answerable yet (the first workflow task has not run), or between runs of a continue-as-new.
    }
    if (p) {
      const line = progressLine(p);
      if (line !== last) ctx.say(line);
      last = line;
      if (p.done) return handle.result();
    } else {
      const d = await handle.describe();
      if (d.status.name !== 'RUNNING' && d.status.name !== 'CONTINUED_AS_NEW') return handle.result(); // throws WorkflowFailedError if it failed
    }
    await sleep(pollMs);
  }
}

export const billingRunNow: CommandSpec = {
  name: 'billing-run now',
  summary: 'Start a billing run now (D-11) and show its progress until it is done.',
  sendsRequest: true,
  options: {
    period: { type: 'string', value: 'YYYY-MM', help: 'the month to close (default: the previous month, Japan time)' },
    concurrency: { type: 'string', value: 'N', help: 'contracts closed at once (default BILLING_CONCURRENCY)' },
    'no-wait': { type: 'boolean', help: 'start it and return; follow it with `neutrix billing-run status`' },
  },
  notes: [
    'Every contract closes each month once: a second run for the same month bills nothing twice.',
    'The same request id attaches to the same run (retry safely with --request-id).',
  ],
  async run(ctx, values) {
    const period = values.period === undefined ? periodClosedOn(jstDateOf(ctx.now())) : validate(yearMonth, values.period, { '': '--period' }, values);
    const concurrency = values.concurrency === undefined ? ctx.io.settings().BILLING_CONCURRENCY : countArg(values.concurrency);
    if (typeof concurrency !== 'number' || concurrency < 1 || concurrency > 1000)
      throw new UsageError(`--concurrency: expected a whole number from 1 to 1000 (got "${String(values.concurrency)}")`);
    if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(ctx.requestId)) throw new UsageError('--request-id: 1–128 letters, digits, or . _ : -');
    const client: Client = await ctx.client();
    const workflowId = `billing-run-${period}-now-${ctx.requestId}`;
    let started = true;
    try {
      await client.workflow.start<typeof billingRun>('billingRun', {
        taskQueue: ctx.io.settings().TASK_QUEUE,
        workflowId,
        args: [{ period, concurrency }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'USE_EXISTING',
        staticSummary: `Billing run ${period} (started from the back-office CLI)`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      started = false; // the same request id ran before: show that run
    }
    const handle = client.workflow.getHandle<typeof billingRun>(workflowId);
    ctx.say(
      `billing run for ${period}: workflow ${workflowId}${started ? '' : ' (ran before with this request id)'}\n` +
        `  request id  ${ctx.requestId}  (to repeat safely: --request-id ${ctx.requestId})`,
    );
    if (values['no-wait']) {
      ctx.emit({ ok: true, period, workflowId, requestId: ctx.requestId, started });
      return;
    }
    const p = await follow(ctx, handle);
    ctx.emit({ ok: p.failed.length === 0, period, workflowId, requestId: ctx.requestId, started, progress: p });
    if (p.failed.length) {
      ctx.say(`\n${p.failed.length} contract(s) could not be closed:\n${failures(p)}\nFix the cause, then run it again: contracts already billed are skipped.`);
      return EXIT.error;
    }
    ctx.say(`done: ${p.billed} contract(s) billed for ${period}, ${p.alreadyBilled} had nothing more to bill`);
  },
};

export interface LatestRun {
  workflowId: string;
  runId: string;
  status: string;
  startTime: Date;
  closeTime: Date | null;
  progress: BillingRunProgress | null;
  note?: string;
}

/** The newest billing run (of the last 100 listed), with its progress or result. */
export async function latestRun(client: Client): Promise<LatestRun | null> {
  let latest: { workflowId: string; runId: string; status: string; startTime: Date; closeTime?: Date } | null = null;
  let n = 0;
  for await (const wf of client.workflow.list({ query: 'WorkflowType = "billingRun"', pageSize: 100 })) {
    if (!latest || wf.startTime > latest.startTime) latest = { workflowId: wf.workflowId, runId: wf.runId, status: wf.status.name, startTime: wf.startTime, closeTime: wf.closeTime };
    if (++n >= 100) break;
  }
  if (!latest) return null;
  const handle = client.workflow.getHandle<typeof billingRun>(latest.workflowId, latest.runId);
  const run: LatestRun = { ...latest, closeTime: latest.closeTime ?? null, progress: null };
  try {
    if (latest.status === 'RUNNING') run.progress = await handle.query(billingRunProgressQuery);
    else if (latest.status === 'COMPLETED') run.progress = await handle.result();
  } catch (err) {
    run.note = `progress not available: ${(err as Error).message}`;
  }
  return run;
}

export const billingRunStatus: CommandSpec = {
  name: 'billing-run status',
  summary: 'Show the latest billing run and the monthly-billing schedule (paused?, next action times).',
  options: {},
  async run(ctx) {
    const client: Client = await ctx.client();
    const run = await latestRun(client);
    let schedule: { paused: boolean; note: string | null; nextActionTimes: Date[]; recent: Array<{ scheduledAt: Date; workflowId: string }> } | null = null;
    try {
      const d = await client.schedule.getHandle(BILLING_SCHEDULE_ID).describe();
      schedule = {
        paused: d.state.paused,
        note: d.state.note ?? null,
        nextActionTimes: d.info.nextActionTimes,
        recent: d.info.recentActions.map((a) => ({ scheduledAt: a.scheduledAt, workflowId: a.action.workflow.workflowId })),
      };
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
    ctx.emit({ latestRun: run, schedule });
    const lines: string[] = [];
    if (run) {
      lines.push(
        `Latest billing run: ${run.workflowId}`,
        fields([
          ['status', run.status.toLowerCase()],
          ['started', jstTime(run.startTime)],
          run.closeTime ? ['closed', jstTime(run.closeTime)] : false,
          run.progress ? ['progress', progressLine(run.progress)] : ['progress', run.note ?? '—'],
        ]),
      );
      if (run.progress?.failed.length) lines.push(failures(run.progress));
    } else lines.push('No billing run yet.');
    lines.push('');
    if (schedule) {
      lines.push(
        `Schedule ${BILLING_SCHEDULE_ID}: ${schedule.paused ? `PAUSED${schedule.note ? ` (${schedule.note})` : ''}` : 'active'}`,
        fields([
          [schedule.paused ? 'next runs (once unpaused)' : 'next runs', schedule.nextActionTimes.slice(0, 3).map(jstTime).join(', ') || '—'],
          ['recent runs', schedule.recent.slice(-3).map((r) => `${jstTime(r.scheduledAt)} ${r.workflowId}`).join(', ') || '—'],
        ]),
      );
    } else lines.push(`Schedule ${BILLING_SCHEDULE_ID}: not created yet ('npm start' creates it)`);
    ctx.say(lines.join('\n'));
    if (run && (run.status === 'FAILED' || run.status === 'TERMINATED' || run.status === 'TIMED_OUT')) return EXIT.error;
    if (!run && !schedule) throw new CliError('no billing run and no schedule: is this the right cluster and namespace?');
  },
};
