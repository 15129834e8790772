/**
 * `billing-run now`: start a billing run for a month (default the previous one) and follow its progress;
 * `billing-run status`: the latest run and the `monthly-billing` schedule. A month billed twice bills
 * nothing twice (each contract de-duplicates by the business key), so a run is always safe to repeat.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BillingRunSummary } from '../../backoffice/billing-runs';
import { BILLING_SCHEDULE_ID } from '../../infra/schedule';
import { handled, type BillingRunProgress } from '../../backoffice/contract-workflows';
import { CliError, countArg, EXIT, UsageError, type CommandSpec, type Context } from '../command';
import { fields, jstTime, table } from '../format';

export function progressLine(p: BillingRunProgress): string {
  return `${p.period}: ${handled(p)}/${p.total ?? '?'} contracts — billed ${p.billed} · already billed ${p.alreadyBilled} · nothing to bill ${p.nothingToBill ?? 0} · failed ${p.failed.length}${p.done ? ' · done' : ''}`;
}

function failures(p: BillingRunProgress): string {
  return table(p.failed, [
    { header: 'CONTRACT', value: (f) => f.contractId },
    { header: 'REASON', value: (f) => f.reason.replace(/\s+/g, ' ') },
  ]);
}

/** Poll the run's progress until it is done; its outcome (a failed run's progress comes from its failure). */
async function follow(ctx: Context, workflowId: string): Promise<BillingRunSummary> {
  const pollMs = ctx.io.pollMs ?? 500;
  let last = '';
  for (;;) {
    const run = await ctx.api().get<BillingRunSummary>(`/billing-runs/${encodeURIComponent(workflowId)}`);
    const line = run.progress ? progressLine(run.progress) : '';
    if (line && line !== last) ctx.say(line);
    last = line || last;
    if (run.status !== 'RUNNING' && run.status !== 'CONTINUED_AS_NEW') return run;
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
    'rerun-failed': {
      type: 'string',
      value: 'WORKFLOW_ID',
      help: 're-run the contracts that run could not bill (its month; they are billed once whatever ran before)',
    },
  },
  notes: [
    'Every contract closes each month once: a second run for the same month bills nothing twice.',
    'A month not yet over is refused before anything starts (D-11). A run that could not bill every contract ends failed.',
    'The same request id attaches to the same run (retry safely with --request-id).',
  ],
  fields: { period: '--period', concurrency: '--concurrency', rerunFailed: '--rerun-failed' },
  async run(ctx, values) {
    const concurrency = values.concurrency === undefined ? undefined : countArg(values.concurrency);
    if (concurrency !== undefined && (typeof concurrency !== 'number' || concurrency < 1 || concurrency > 1000))
      throw new UsageError(`--concurrency: expected a whole number from 1 to 1000 (got "${String(values.concurrency)}")`);
    const started = await ctx.api().send<{ workflowId: string; started: boolean; period: string; rerunOf: number | null }>('POST', '/billing-runs', {
      requestId: ctx.requestId,
      ...(values.period === undefined ? {} : { period: String(values.period) }),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(typeof values['rerun-failed'] === 'string' ? { rerunFailed: values['rerun-failed'] } : {}),
    });
    const contractIds = started.rerunOf === null ? undefined : { length: started.rerunOf };
    const { workflowId } = started;
    ctx.say(
      `billing run for ${started.period}${contractIds ? ` (re-run of ${contractIds.length} contract(s))` : ''}: workflow ${workflowId}${started.started ? '' : ' (ran before with this request id)'}\n` +
        `  request id  ${ctx.requestId}  (to repeat safely: --request-id ${ctx.requestId})`,
    );
    if (values['no-wait']) {
      ctx.emit({ ok: true, period: started.period, workflowId, requestId: ctx.requestId, started: started.started });
      return;
    }
    const run = await follow(ctx, workflowId);
    const p = run.progress;
    ctx.emit({
      ok: run.status === 'COMPLETED',
      period: started.period,
      workflowId,
      requestId: ctx.requestId,
      started: started.started,
      status: run.status,
      progress: p,
      note: run.note ?? null,
    });
    if (run.status !== 'COMPLETED') {
      ctx.say(`\nthe run ended ${run.status.toLowerCase()}${run.note ? `: ${run.note}` : ''}`);
      if (p?.failed.length)
        ctx.say(
          `${p.failed.length} contract(s) could not be billed:\n${failures(p)}\nFix the cause, then: neutrix billing-run now --rerun-failed ${workflowId}`,
        );
      return EXIT.error;
    }
    ctx.say(
      `done: ${p?.billed ?? 0} contract(s) billed for ${started.period} (in the ledger and mailed), ${p?.alreadyBilled ?? 0} already billed, ${p?.nothingToBill ?? 0} with nothing to bill`,
    );
  },
};

export const billingRunStatus: CommandSpec = {
  name: 'billing-run status',
  summary: 'Show the latest billing run and the monthly-billing schedule (paused?, next action times).',
  options: {},
  async run(ctx) {
    type Schedule = { paused: boolean; note: string | null; nextActionTimes: string[]; recent: Array<{ scheduledAt: string; workflowId: string }> };
    const answer = await ctx.api().get<{
      latestRun: (Omit<BillingRunSummary, 'startTime' | 'closeTime'> & { startTime: string; closeTime: string | null }) | null;
      schedule: Schedule | null;
    }>('/billing-runs/latest');
    const { schedule } = answer;
    const run = answer.latestRun && {
      ...answer.latestRun,
      startTime: new Date(answer.latestRun.startTime),
      closeTime: answer.latestRun.closeTime ? new Date(answer.latestRun.closeTime) : null,
    };
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
          [
            schedule.paused ? 'next runs (once unpaused)' : 'next runs',
            schedule.nextActionTimes
              .slice(0, 3)
              .map((t) => jstTime(new Date(t)))
              .join(', ') || '—',
          ],
          [
            'recent runs',
            schedule.recent
              .slice(-3)
              .map((r) => `${jstTime(new Date(r.scheduledAt))} ${r.workflowId}`)
              .join(', ') || '—',
          ],
        ]),
      );
    } else lines.push(`Schedule ${BILLING_SCHEDULE_ID}: not created yet ('npm start' creates it)`);
    ctx.say(lines.join('\n'));
    if (run && (run.status === 'FAILED' || run.status === 'TERMINATED' || run.status === 'TIMED_OUT')) return EXIT.error;
    if (!run && !schedule) throw new CliError('no billing run and no schedule: is this the right cluster and namespace?');
  },
};
