/**
 * The commands that change a contract: each is one update of the contract workflow, named after the
 * domain command, validated here with the same zod schema first (so a typo never reaches the workflow),
 * sent with the request id as its business key: a repeat with the same --request-id takes effect once.
 */
import type { Actor } from '../../domain/actor';
import type { CommandResult } from '../../domain/contract';
import { RULE } from '../../domain/rules';
import { commands, type CommandName } from '../../domain/validation';
import { contractIdArg, countArg, UsageError, validate, type CommandSpec, type Context, type OptionSpec, type Values } from '../command';
import { summaryIn } from '../../domain/messages';
import { fields, humanKey, resultValue, yenInText } from '../format';

/** Stands for the caller while the CLI checks a command's fields: the back office sets the token's person. */
const ANY_CALLER: Actor = { id: 'api:caller', role: 'supervisor', via: 'api' };

/**
 * Send one command to a contract through the back office's API, as the token's person, and print its
 * answer. Validation errors never leave the CLI. A step that needs four eyes is sent by the back office as
 * a request for a second supervisor's approval (with --reason), which `neutrix approve-request` completes.
 */
export async function sendCommand<N extends CommandName>(
  ctx: Context,
  contractId: string,
  name: N,
  raw: Record<string, unknown>,
  fieldToFlag: Record<string, string>,
  values: Values,
  label: string = name,
  extra: { sameAmountOk?: boolean } = {},
): Promise<CommandResult> {
  // Checked here with the command's own schema (the back office checks it again as the token's person).
  const { actor: _actor, ...input } = validate(
    commands[name],
    { requestId: ctx.requestId, actor: ANY_CALLER, ...raw },
    { ...fieldToFlag, requestId: '--request-id' },
    values,
  ) as Record<string, unknown>;
  const reason = typeof values.reason === 'string' ? values.reason : undefined;
  const sent = await ctx
    .api()
    .send<{ command: string; fourEyes: boolean; result: CommandResult }>('POST', `/contracts/${encodeURIComponent(contractId)}/commands/${name}`, {
      ...input,
      ...(reason !== undefined && !('reason' in input) ? { reason } : {}),
      ...(extra.sameAmountOk ? { sameAmountOk: true } : {}),
    });
  printResult(ctx, contractId, sent.fourEyes ? `${label} (asked for approval)` : label, sent.result);
  if (sent.fourEyes) ctx.say(`next: a second supervisor runs neutrix approve-request ${contractId} --request ${ctx.requestId}`);
  return sent.result;
}

export function printResult(ctx: Context, contractId: string, name: string, result: CommandResult): void {
  ctx.emit({ ok: true, contractId, command: name, requestId: ctx.requestId, result });
  // `said` is the summary for a screen's language (the message catalogue): in Japanese with NEUTRIX_LANG=ja.
  const { summary, said, ...facts } = result;
  const pairs: Array<[string, string]> = Object.entries(facts).map(([k, v]) => [humanKey(k), resultValue(k, v)]);
  pairs.push(['request id', `${ctx.requestId}  (to repeat safely: --request-id ${ctx.requestId})`]);
  const japanese = ctx.io.env.NEUTRIX_LANG === 'ja' && said ? summaryIn('ja', said.code, said.facts) : null;
  ctx.say(`${contractId} ${name}: ${japanese ?? yenInText(summary)}\n${fields(pairs)}`);
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
  /** What the door adds to the command's own fields (pay: another payment of the same amount, confirmed). */
  extra?: (values: Values) => { sameAmountOk?: boolean };
  notes?: string[];
}): CommandSpec {
  return {
    name: def.name,
    summary: def.summary,
    args: ['contract'],
    options: def.options ?? {},
    sendsRequest: true,
    notes: def.notes,
    fields: { ...(def.fields ?? {}), reason: '--reason' },
    async run(ctx, values, [id]) {
      const contractId = contractIdArg(id!);
      requireFlags(values, def.required ?? []);
      const input = def.input?.(values, ctx) ?? {};
      await sendCommand(ctx, contractId, def.command, input, def.fields ?? {}, values, def.name, def.extra?.(values));
    },
  };
}
