/**
 * Provider-wide actions (Art. 4 price list, Art. 5 discontinuation, Art. 17 maintenance) from the CLI, the
 * action as a JSON file `{ "command": "...", "input": { ... } }`:
 * `provider dry-run FILE` — what each contract would do and owe, changing nothing;
 * `provider start FILE` — a price list or a maintenance window to every contract it reaches;
 * `provider request FILE --reason` — a discontinuation, for a second supervisor to approve in the console.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderRunSummary } from '../../backoffice/provider-actions';
import { providerActionHandled, type ProviderActionProgress } from '../../backoffice/contract-workflows';
import type { ProviderActionOutcome } from '../../backoffice/ledger-client';
import { EXIT, UsageError, type CommandSpec, type Context } from '../command';
import { table } from '../format';

async function actionFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`FILE: ${path} is not a readable JSON file (${(err as Error).message})`);
  }
}

const progressLine = (p: ProviderActionProgress) =>
  `${providerActionHandled(p)}/${p.total ?? '?'} contracts — ${p.dryRun ? 'would change' : 'changed'} ${p.changed} · unchanged ${p.unchanged} · refused ${p.refused} · failed ${p.failed.length}${p.done ? ' · done' : ''}`;

/** Follow the run until it closes; its progress (a failed run's from its failure) and what each contract answered. */
async function follow(ctx: Context, workflowId: string): Promise<ProviderRunSummary & { outcomes: ProviderActionOutcome[] }> {
  let last = '';
  for (;;) {
    const run = await ctx.api().get<ProviderRunSummary & { outcomes: ProviderActionOutcome[] }>(`/provider-actions/runs/${encodeURIComponent(workflowId)}`);
    if (run.status !== 'RUNNING') return run;
    const line = run.progress ? progressLine(run.progress) : '';
    if (line && line !== last) {
      last = line;
      ctx.say(line);
    }
    await sleep(ctx.io.pollMs ?? 500);
  }
}

// biome-ignore lint/suspicious/noConfusingVoidType: the exit code, or nothing when it succeeded (CommandSpec.run)
async function runAndReport(ctx: Context, dryRun: boolean, file: string): Promise<number | void> {
  const started = await ctx
    .api()
    .send<{ workflowId: string; started: boolean }>('POST', '/provider-actions/runs', { requestId: ctx.requestId, action: await actionFile(file), dryRun });
  ctx.say(`${dryRun ? 'dry run' : 'run'}: workflow ${started.workflowId}${started.started ? '' : ' (already started: following it)'}`);
  const run = await follow(ctx, started.workflowId);
  const { outcomes } = run;
  ctx.emit({ ok: run.status === 'COMPLETED', workflowId: started.workflowId, status: run.status, progress: run.progress, note: run.note, outcomes });
  if (run.progress) ctx.say(progressLine(run.progress));
  ctx.say(
    table(outcomes, [
      { header: 'CONTRACT', value: (o) => o.contractId },
      { header: dryRun ? 'WOULD' : 'OUTCOME', value: (o) => o.outcome },
      { header: 'STATUS', value: (o) => o.preview?.status ?? '' },
      { header: 'LAST DAY', value: (o) => o.preview?.lastDay ?? '' },
      { header: 'OWES (JPY)', value: (o) => (o.preview?.owes === undefined ? '' : o.preview.owes.toLocaleString('en-US')) },
      { header: 'NOTE', value: (o) => o.reason ?? '' },
    ]),
  );
  if (run.status !== 'COMPLETED') {
    ctx.say(`the run ended ${run.status.toLowerCase()}${run.note ? `: ${run.note}` : ''}`);
    return EXIT.error;
  }
}

export const providerDryRun: CommandSpec = {
  name: 'provider dry-run',
  summary: 'What a provider-wide action would do to each contract and what each would owe; changes nothing.',
  args: ['FILE'],
  sendsRequest: true,
  options: {},
  notes: ['FILE: { "command": "announcePriceList" | "discontinueService" | "announceMaintenance", "input": { … the command\'s fields } }'],
  run: (ctx, _values, [file]) => runAndReport(ctx, true, file!),
};

export const providerStart: CommandSpec = {
  name: 'provider start',
  summary: 'Carry a price list (Art. 4) or a maintenance window (Art. 17) to every contract it reaches.',
  args: ['FILE'],
  sendsRequest: true,
  options: {},
  notes: ['Each contract changes once: a second run of the same action changes nothing. A discontinuation needs a second supervisor: `provider request`.'],
  run: (ctx, _values, [file]) => runAndReport(ctx, false, file!),
};

export const providerRequest: CommandSpec = {
  name: 'provider request',
  summary: 'Ask for a service discontinuation (Art. 5); a second supervisor approves it in the console.',
  args: ['FILE'],
  sendsRequest: true,
  options: { reason: { type: 'string', value: 'TEXT', help: 'why (5–500 characters; shown to the approver)' } },
  async run(ctx, values, [file]) {
    if (typeof values.reason !== 'string') throw new UsageError('missing --reason <TEXT>');
    const r = await ctx
      .api()
      .send<{ id: string }>('POST', '/provider-actions/requests', { requestId: ctx.requestId, action: await actionFile(file!), reason: values.reason });
    ctx.emit({ ok: true, request: r });
    ctx.say(`request ${r.id}: awaits a second supervisor's approval in the console (Provider-wide actions)`);
  },
};

export const providerCommands = [providerDryRun, providerStart, providerRequest];
