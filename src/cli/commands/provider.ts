/**
 * Provider-wide actions (Art. 4 price list, Art. 5 discontinuation, Art. 17 maintenance) from the CLI, the
 * action as a JSON file `{ "command": "...", "input": { ... } }`:
 * `provider dry-run FILE` — what each contract would do and owe, changing nothing;
 * `provider start FILE` — a price list or a maintenance window to every contract it reaches;
 * `provider request FILE --reason` — a discontinuation, for a second supervisor to approve in the console.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ProviderActionRefused, requestProviderAction, startProviderAction } from '../../backoffice/provider-actions';
import { jstDateOf } from '../../domain/calendar';
import { providerActionHandled, providerActionProgressQuery, type ProviderActionProgress } from '../../backoffice/contract-workflows';
import { EXIT, RefusedError, UsageError, type CommandSpec, type Context } from '../command';
import { table } from '../format';

async function actionFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`FILE: ${path} is not a readable JSON file (${(err as Error).message})`);
  }
}

/** A field of the file is wrong: exit 2, nothing sent; a rule refused it (D-17, D-18, four eyes): exit 3. */
const refusal = (err: unknown): never => {
  if (!(err instanceof ProviderActionRefused)) throw err;
  if (err.field.startsWith('input') || err.field === 'command' || err.field === '(input)') throw new UsageError(`FILE ${err.field}: ${err.reason}`);
  throw new RefusedError(`${err.field}: ${err.reason}`);
};

const progressLine = (p: ProviderActionProgress) =>
  `${providerActionHandled(p)}/${p.total ?? '?'} contracts — ${p.dryRun ? 'would change' : 'changed'} ${p.changed} · unchanged ${p.unchanged} · refused ${p.refused} · failed ${p.failed.length}${p.done ? ' · done' : ''}`;

/** Follow the run until it closes; its progress (a failed run's from its failure). */
async function follow(
  ctx: Context,
  client: Client,
  workflowId: string,
): Promise<{ progress: ProviderActionProgress | null; status: string; note: string | null }> {
  const handle = client.workflow.getHandle(workflowId);
  let last = '';
  for (;;) {
    const d = await handle.describe();
    if (d.status.name === 'RUNNING') {
      const line = progressLine(await handle.query(providerActionProgressQuery));
      if (line !== last) {
        last = line;
        ctx.say(line);
      }
      await sleep(ctx.io.pollMs ?? 500);
      continue;
    }
    try {
      return { progress: (await handle.result()) as ProviderActionProgress, status: d.status.name, note: null };
    } catch (err) {
      const cause = err instanceof WorkflowFailedError ? err.cause : undefined;
      const details = cause instanceof ApplicationFailure ? (cause.details?.[0] as ProviderActionProgress | undefined) : undefined;
      return { progress: details && 'changed' in details ? details : null, status: d.status.name, note: cause?.message ?? (err as Error).message };
    }
  }
}

// biome-ignore lint/suspicious/noConfusingVoidType: the exit code, or nothing when it succeeded (CommandSpec.run)
async function runAndReport(ctx: Context, dryRun: boolean, file: string): Promise<number | void> {
  const settings = ctx.io.settings();
  const client = await ctx.client();
  const started = await startProviderAction(
    { client, audit: ctx.ledger().audit },
    {
      actor: ctx.actor(),
      requestId: ctx.requestId,
      action: await actionFile(file),
      dryRun,
      today: jstDateOf(ctx.now()),
      taskQueue: settings.TASK_QUEUE,
      via: 'cli',
    },
  ).catch(refusal);
  ctx.say(`${dryRun ? 'dry run' : 'run'}: workflow ${started.workflowId}${started.started ? '' : ' (already started: following it)'}`);
  const run = await follow(ctx, client, started.workflowId);
  const outcomes = await ctx.ledger().providerActionOutcomes(started.workflowId);
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
    const r = await requestProviderAction(
      {
        audit: ctx.ledger().audit,
        requests: { request: ctx.ledger().requestProviderAction, approve: () => Promise.reject(new Error('approved in the console')) },
      },
      { actor: ctx.actor(), requestId: ctx.requestId, action: await actionFile(file!), reason: values.reason, today: jstDateOf(ctx.now()) },
    ).catch(refusal);
    ctx.emit({ ok: true, request: r });
    ctx.say(`request ${r.id}: awaits a second supervisor's approval in the console (Provider-wide actions)`);
  },
};

export const providerCommands = [providerDryRun, providerStart, providerRequest];
