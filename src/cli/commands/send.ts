/**
 * The commands that change a contract: each is one update of the contract workflow, named after the
 * domain command, validated here with the same zod schema first (so a typo never reaches the workflow),
 * sent with the request id as its business key: a repeat with the same --request-id takes effect once.
 */
import type { Client } from '@temporalio/client';
import { sendContractCommand } from '../../backoffice/command-path';
import { routeFourEyes } from '../../backoffice/commands/four-eyes';
import type { CommandResult } from '../../domain/contract';
import { RULE } from '../../domain/rules';
import { commands, type CommandName } from '../../domain/validation';
import { contractIdArg, countArg, UsageError, validate, type CommandSpec, type Context, type OptionSpec, type Values } from '../command';
import { fields, humanKey, resultValue, yenInText } from '../format';

/**
 * Send one command to a contract as the CLI's ops identity, audited, and print its answer. Validation
 * errors never reach Temporal. A step that needs four eyes is sent as a request for a second supervisor's
 * approval (with --reason), which `neutrix approve-request` completes.
 */
export async function sendCommand<N extends CommandName>(
  ctx: Context,
  contractId: string,
  name: N,
  raw: Record<string, unknown>,
  fieldToFlag: Record<string, string>,
  values: Values,
  label: string = name,
): Promise<CommandResult> {
  const actor = ctx.actor();
  const input = validate(commands[name], { requestId: ctx.requestId, actor, ...raw }, { ...fieldToFlag, requestId: '--request-id' }, values);
  const client: Client = await ctx.client();
  const { actor: _actor, ...sent } = input as { actor: unknown; requestId: string } & Record<string, unknown>;
  const reasonGiven = typeof values.reason === 'string' ? values.reason : undefined;
  const routed = await routeFourEyes(client, { actor, contractId, name, input: sent, reason: reasonGiven });
  let args = routed.input;
  if (routed.fourEyes) {
    if (!reasonGiven) throw new UsageError(`--reason: ${name} needs a second supervisor's approval (four eyes); give the reason for the request`);
    args = validate(commands.requestApproval, { ...routed.input, actor }, { reason: '--reason' }, values) as typeof sent;
    delete (args as { actor?: unknown }).actor;
  }
  const result = await sendContractCommand({ client, audit: ctx.ledger().audit }, { actor, contractId, name: routed.name, input: args });
  printResult(ctx, contractId, routed.fourEyes ? `${label} (asked for approval)` : label, result);
  if (routed.fourEyes) ctx.say(`next: a second supervisor runs neutrix approve-request ${contractId} --request ${ctx.requestId}`);
  return result;
}

export function printResult(ctx: Context, contractId: string, name: string, result: CommandResult): void {
  ctx.emit({ ok: true, contractId, command: name, requestId: ctx.requestId, result });
  const { summary, ...facts } = result;
  const pairs: Array<[string, string]> = Object.entries(facts).map(([k, v]) => [humanKey(k), resultValue(k, v)]);
  pairs.push(['request id', `${ctx.requestId}  (to repeat safely: --request-id ${ctx.requestId})`]);
  ctx.say(`${contractId} ${name}: ${yenInText(summary)}\n${fields(pairs)}`);
}
/** `--linux 2 --windows 1` → two linux and one windows component; undefined when neither is given. */
export function componentsArg(values: Values): Array<{ os: 'linux' | 'windows' }> | undefined {
  if (values.linux === undefined && values.windows === undefined) return undefined;
  const n = (flag: 'linux' | 'windows'): number => {
    const v = values[flag];
    if (v === undefined) return 0;
    const c = countArg(v);
    if (typeof c !== 'number' || c > 10_000) throw new UsageError(`--${flag}: expected a whole number of components (got "${String(v)}")`);
    return c;
  };
  const linux = n('linux');
  const windows = n('windows');
  return [...Array.from({ length: linux }, () => ({ os: 'linux' as const })), ...Array.from({ length: windows }, () => ({ os: 'windows' as const }))];
}

export const componentOptions: Record<string, OptionSpec> = {
  linux: { type: 'string', value: 'N', help: 'number of Linux components (VMs)' },
  windows: { type: 'string', value: 'N', help: 'number of Windows components (VMs)' },
};

export function requireFlags(values: Values, flags: Array<[string, string]>): void {
  const missing = flags.filter(([f]) => values[f] === undefined);
  if (missing.length) throw new UsageError(missing.map(([f, v]) => `missing --${f} <${v}>`).join('; '));
}

/** Above the four-eyes threshold the step is asked for, with a reason, and a second supervisor approves it. */
export const fourEyesReason: OptionSpec = {
  type: 'string',
  value: 'TEXT',
  help: 'above the four-eyes threshold (D-29): the reason for the request a second supervisor approves',
};

export const reason: OptionSpec = {
  type: 'string',
  value: 'TEXT',
  help: `the internal reason (kept in the record, never sent to the customer, ${RULE.rejectionUndisclosed})`,
};

export function updateCommand<N extends CommandName>(def: {
  name: string;
  command: N;
  summary: string;
  options?: Record<string, OptionSpec>;
  required?: Array<[string, string]>;
  fields?: Record<string, string>;
  input?: (values: Values, ctx: Context) => Record<string, unknown>;
  /** A check at the edge before anything is sent (the command's input as built above). */
  guard?: (ctx: Context, contractId: string, input: Record<string, unknown>, values: Values) => Promise<void>;
  notes?: string[];
}): CommandSpec {
  return {
    name: def.name,
    summary: def.summary,
    args: ['contract'],
    options: def.options ?? {},
    sendsRequest: true,
    notes: def.notes,
    async run(ctx, values, [id]) {
      const contractId = contractIdArg(id!);
      requireFlags(values, def.required ?? []);
      const input = def.input?.(values, ctx) ?? {};
      await def.guard?.(ctx, contractId, input, values);
      await sendCommand(ctx, contractId, def.command, input, def.fields ?? {}, values, def.name);
    },
  };
}
