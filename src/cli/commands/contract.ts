/**
 * The commands that change a contract: each is one update of the contract workflow, named after the
 * domain command, validated here with the same zod schema first (so a typo never reaches the workflow),
 * sent with the request id as its business key: a repeat with the same --request-id takes effect once.
 */
import type { Client } from '@temporalio/client';
import { jstDateOf } from '../../domain/calendar';
import { APPROVAL_WINDOW_DAYS, CANCELLATION_NOTICE_DAYS, CONVENIENCE_NOTICE_DAYS } from '../../domain/lifecycle';
import { changedContactFields, commands, contactChange, type CommandName } from '../../domain/validation';
import { articleOf, RULE } from '../../domain/rules';
import { stateQuery } from '../../workflows/contract/messages';
import { FOUR_EYES_ACTIONS, needsFourEyes } from '../../domain/actor';
import { sameAmountRecently } from '../../domain/contract';
import { audited, sendContractCommand } from '../../backoffice/command-path';
import type { CommandResult } from '../../domain/contract';
import { contractIdArg, countArg, RefusedError, UsageError, validate, yenArg, type CommandSpec, type Context, type OptionSpec, type Values } from '../command';
import { fields, humanKey, resultValue, yen, yenInText } from '../format';

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
  let command: CommandName = name;
  let args = sent;
  if ((FOUR_EYES_ACTIONS as readonly string[]).includes(name)) {
    const { fourEyesThresholdYen } = await client.workflow.getHandle(contractId).query(stateQuery);
    if (needsFourEyes(name, sent, actor, fourEyesThresholdYen)) {
      const reasonGiven = typeof values.reason === 'string' ? values.reason : undefined;
      if (!reasonGiven) throw new UsageError(`--reason: ${name} needs a second supervisor's approval (four eyes); give the reason for the request`);
      const { requestId, ...actionInput } = sent;
      command = 'requestApproval';
      args = validate(commands.requestApproval, { requestId, actor, action: name, input: actionInput, reason: reasonGiven }, { reason: '--reason' }, values) as typeof sent;
      delete (args as { actor?: unknown }).actor;
    }
  }
  const result = await sendContractCommand({ client, audit: ctx.ledger().audit }, { actor, contractId, name: command, input: args });
  printResult(ctx, contractId, command === name ? label : `${label} (asked for approval)`, result);
  if (command !== name) ctx.say(`next: a second supervisor runs neutrix approve-request ${contractId} --request ${ctx.requestId}`);
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

function requireFlags(values: Values, flags: Array<[string, string]>): void {
  const missing = flags.filter(([f]) => values[f] === undefined);
  if (missing.length) throw new UsageError(missing.map(([f, v]) => `missing --${f} <${v}>`).join('; '));
}

/** Above the four-eyes threshold the step is asked for, with a reason, and a second supervisor approves it. */
const fourEyesReason: OptionSpec = { type: 'string', value: 'TEXT', help: 'above the four-eyes threshold (FOUR_EYES_THRESHOLD_YEN): the reason for the request a second supervisor approves' };

const reason: OptionSpec = { type: 'string', value: 'TEXT', help: `the internal reason (kept in the record, never sent to the customer, ${RULE.rejectionUndisclosed})` };

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

const today = (ctx: Context) => jstDateOf(ctx.now());

export const contractCommands: CommandSpec[] = [
  updateCommand({
    name: 'approve',
    command: 'approve',
    summary: `Approve an application (承諾, ${articleOf(RULE.approvalWindow)}・${RULE.usageStart}): the contract is established on the usage start date.`,
    options: { 'start-date': { type: 'string', value: 'YYYY-MM-DD', help: 'the usage start date (利用開始日), on or after today; default today (Japan time)' } },
    fields: { startDate: '--start-date' },
    input: (v, ctx) => ({ startDate: v['start-date'] ?? today(ctx) }),
    notes: [`Within ${APPROVAL_WINDOW_DAYS} days of the application (D-2); later it is deemed rejected.`, 'example: neutrix approve C-1001 --start-date 2026-12-01'],
  }),
  updateCommand({
    name: 'reject',
    command: 'reject',
    summary: `Reject an application (${RULE.rejectionUndisclosed}). The customer is notified without a reason.`,
    options: { reason },
    fields: { internalReason: '--reason' },
    input: (v) => ({ internalReason: v.reason }),
  }),
  updateCommand({
    name: 'change',
    command: 'requestChange',
    summary: `Record a change request (plan, components, options; ${RULE.contractChange}). Approve or reject it within ${APPROVAL_WINDOW_DAYS} days.`,
    options: {
      plan: { type: 'string', value: 'PLAN', help: 'entry, standard, advanced or premium' },
      ...componentOptions,
      'metric-cap-relaxations': { type: 'string', value: 'N', help: 'components with the metric-cap relaxation option' },
      'cloud-fee': { type: 'string', value: 'YEN', help: 'the Neutrix Cloud resource fee per month, before tax' },
    },
    fields: { plan: '--plan', components: '--linux/--windows', metricCapRelaxations: '--metric-cap-relaxations', cloudMonthlyFee: '--cloud-fee', '': 'change' },
    input: (v) => ({
      plan: v.plan,
      components: componentsArg(v),
      metricCapRelaxations: countArg(v['metric-cap-relaxations']),
      cloudMonthlyFee: yenArg(v['cloud-fee']),
    }),
    notes: ['--linux/--windows give the whole new set of components.', 'example: neutrix change C-1001 --plan premium --linux 3'],
  }),
  updateCommand({
    name: 'approve-change',
    command: 'approveChange',
    summary: 'Approve the pending change request; it takes effect on the 1st of a month (D-3).',
    options: { 'effective-month': { type: 'string', value: 'YYYY-MM', help: 'the month it takes effect; default the month after today' } },
    fields: { effectiveMonth: '--effective-month' },
    input: (v) => ({ effectiveMonth: v['effective-month'] }),
  }),
  updateCommand({
    name: 'reject-change',
    command: 'rejectChange',
    summary: `Reject the pending change request (${RULE.contractChange}).`,
    options: { reason },
    fields: { internalReason: '--reason' },
    input: (v) => ({ internalReason: v.reason }),
  }),
  updateCommand({
    name: 'cancel',
    command: 'cancel',
    summary: `Record the customer's cancellation notice (解約, ${RULE.cancellation}): at least ${CANCELLATION_NOTICE_DAYS} days before the end day.`,
    options: { 'end-date': { type: 'string', value: 'YYYY-MM-DD', help: 'the last contract day the customer asks for' } },
    required: [['end-date', 'YYYY-MM-DD']],
    fields: { endDate: '--end-date' },
    input: (v) => ({ endDate: v['end-date'] }),
    notes: [
      'A notice later than the deadline is refused with the earliest end day it could reach (exit 3).',
      `Inside the minimum term the early termination fee applies (${articleOf(RULE.earlyTermination)}). See 'neutrix quote-cancel'.`,
    ],
  }),
  updateCommand({
    name: 'decline-renewal',
    command: 'declineRenewal',
    summary: `Decline the rolling renewal (${RULE.contractTerm}): the contract ends on the current term’s last day.`,
    options: { by: { type: 'string', value: 'PARTY', help: 'customer or provider' } },
    required: [['by', 'customer|provider']],
    fields: { by: '--by' },
    input: (v) => ({ by: v.by }),
  }),
  {
    name: 'terminate',
    summary: `Terminate the contract: --for-cause now (${RULE.terminationForCause}), or --for-convenience with ${CONVENIENCE_NOTICE_DAYS} days’ notice (${articleOf(RULE.terminationForConvenience)}).`,
    args: ['contract'],
    sendsRequest: true,
    options: {
      'for-cause': { type: 'boolean', help: 'immediately, for cause; the early termination fee applies inside the minimum term' },
      'for-convenience': { type: 'boolean', help: "at the provider's convenience; pays three months' fees as compensation, no ETF" },
      'end-date': { type: 'string', value: 'YYYY-MM-DD', help: `with --for-convenience: the last contract day, at least ${CONVENIENCE_NOTICE_DAYS} days ahead` },
      reason: { ...reason, help: `${reason.help}; the reason for the request a second supervisor approves (four eyes)` },
    },
    async run(ctx, values, [id]) {
      const contractId = contractIdArg(id!);
      const cause = values['for-cause'] === true;
      const convenience = values['for-convenience'] === true;
      if (cause === convenience) throw new UsageError('give exactly one of --for-cause or --for-convenience');
      if (cause) {
        if (values['end-date'] !== undefined) throw new UsageError('--end-date: not with --for-cause (the termination takes effect today)');
        await sendCommand(ctx, contractId, 'terminateForCause', { internalReason: values.reason }, { internalReason: '--reason' }, values, 'terminate');
      } else {
        requireFlags(values, [['end-date', 'YYYY-MM-DD']]);
        await sendCommand(ctx, contractId, 'terminateForConvenience', { endDate: values['end-date'] }, { endDate: '--end-date' }, values, 'terminate');
      }
    },
  },
  updateCommand({
    name: 'suspend',
    command: 'suspend',
    summary: `Suspend the service (${articleOf(RULE.suspension)}); fees continue.`,
    options: { reason },
    fields: { internalReason: '--reason' },
    input: (v) => ({ internalReason: v.reason }),
  }),
  updateCommand({ name: 'resume', command: 'resume', summary: 'Resume a suspended service.' }),
  updateCommand({
    name: 'retry-effects',
    command: 'retryFailedEffects',
    summary: 'Carry out again the effects the ledger or the mail server refused for good, once the cause is fixed (a supervisor).',
    notes: ['`neutrix show` lists them under NEEDS ATTENTION; each is idempotent by its business key, so nothing is done twice.'],
  }),
  updateCommand({
    name: 'pay',
    command: 'pay',
    summary: `Record a payment received (${RULE.billingAndPayment}): the oldest due invoice first; late damages where late, to the day received (${articleOf(RULE.lateDamages)}).`,
    options: {
      amount: { type: 'string', value: 'YEN', help: 'the amount received, whole yen (84700, 84,700, ８４，７００ or 84,700円)' },
      'received-on': { type: 'string', value: 'YYYY-MM-DD', help: 'the day the money was received (the bank statement’s); default today, at most 31 days back' },
      'same-amount-ok': { type: 'boolean', help: 'record it although a payment of the same amount came within 7 days (it is another payment)' },
    },
    required: [['amount', 'YEN']],
    fields: { amount: '--amount', paidOn: '--received-on' },
    input: (v) => ({ amount: yenArg(v.amount), paidOn: v['received-on'] }),
    guard: async (ctx, contractId, input, v) => {
      // The same amount within 7 days: the same transfer keyed twice? Only with --same-amount-ok.
      if (v['same-amount-ok'] === true || typeof input.amount !== 'number') return;
      const view = await (await ctx.client()).workflow.getHandle(contractId).query(stateQuery);
      const earlier = sameAmountRecently(view, input.amount, (input.paidOn as string | undefined) ?? jstDateOf(ctx.now()));
      // A repeat of that very payment (its request id) is a retry: the contract answers it once.
      if (earlier && earlier.requestId !== ctx.requestId)
        throw new RefusedError(
          `${contractId}: a payment of ${yen(earlier.amount)} was recorded on ${earlier.paidOn} (request id ${earlier.requestId}); if this is another payment, repeat with --same-amount-ok (nothing was sent)`,
        );
    },
    notes: ['The request id is the payment id in the ledger: repeat with the same --request-id, never a new one, to retry.'],
  }),
  updateCommand({
    name: 'reverse-payment',
    command: 'reversePayment',
    summary: `Take a payment back (a bounced transfer, a slip): what it settled is owed again (${RULE.paymentOrder}). Four eyes: asked for here, approved by a second supervisor.`,
    options: {
      payment: { type: 'string', value: 'REQUEST-ID', help: 'the request id the payment was recorded with (its payment id in the ledger)' },
      reason: { type: 'string', value: 'TEXT', help: 'why it is taken back (kept in the contract and the ledger)' },
    },
    required: [
      ['payment', 'REQUEST-ID'],
      ['reason', 'TEXT'],
    ],
    fields: { paymentRequestId: '--payment', reason: '--reason' },
    input: (v) => ({ paymentRequestId: v.payment, reason: v.reason }),
  }),
  updateCommand({
    name: 'outage',
    command: 'reportOutage',
    summary: `Report an outage (${articleOf(RULE.outageCredit)}): the credit, if any, goes on the next invoice.`,
    options: {
      scope: { type: 'string', value: 'SCOPE', help: 'cloud or managed' },
      'known-at': { type: 'string', value: 'INSTANT', help: 'when the provider knew of it, e.g. 2026-05-01T09:00:00+09:00' },
      'restored-at': { type: 'string', value: 'INSTANT', help: 'when it was restored' },
      'gross-negligence': { type: 'boolean', help: "the outage was the provider's gross negligence" },
    },
    required: [
      ['scope', 'cloud|managed'],
      ['known-at', 'INSTANT'],
      ['restored-at', 'INSTANT'],
    ],
    fields: { scope: '--scope', knownAt: '--known-at', restoredAt: '--restored-at', grossNegligence: '--gross-negligence' },
    input: (v) => ({ scope: v.scope, knownAt: v['known-at'], restoredAt: v['restored-at'], grossNegligence: v['gross-negligence'] === true }),
  }),
  updateCommand({
    name: 'damages',
    command: 'recogniseDamages',
    summary: `Recognise damages the customer claimed (${RULE.damagesReduction}): a reduction on a later invoice, capped at the monthly fee.`,
    options: {
      'occurred-on': { type: 'string', value: 'YYYY-MM-DD', help: 'the day the damage occurred' },
      amount: { type: 'string', value: 'YEN', help: 'the damages recognised, whole yen' },
      reason: fourEyesReason,
    },
    required: [
      ['occurred-on', 'YYYY-MM-DD'],
      ['amount', 'YEN'],
    ],
    fields: { occurredOn: '--occurred-on', amount: '--amount' },
    input: (v) => ({ occurredOn: v['occurred-on'], amount: yenArg(v.amount) }),
  }),
  updateCommand({
    name: 'penalty',
    command: 'penalty',
    summary: `Charge the penalty for evaded fees (${RULE.penalty}): the evaded amount plus twice it, and tax, on the next invoice.`,
    options: { 'evaded-amount': { type: 'string', value: 'YEN', help: 'the fees the customer evaded, whole yen' }, reason: fourEyesReason },
    required: [['evaded-amount', 'YEN']],
    fields: { evadedAmount: '--evaded-amount' },
    input: (v) => ({ evadedAmount: yenArg(v['evaded-amount']) }),
  }),
  updateCommand({
    name: 'charge',
    command: 'charge',
    summary: 'Put an extra charge (or, negative, a credit) on the next invoice.',
    options: {
      description: { type: 'string', value: 'TEXT', help: 'what it is for, as the invoice shows it' },
      amount: { type: 'string', value: 'YEN', help: 'whole yen before tax; negative for a credit' },
      taxable: { type: 'boolean', help: 'subject to consumption tax' },
      'non-taxable': { type: 'boolean', help: 'outside the scope of consumption tax (不課税)' },
      reason: fourEyesReason,
    },
    required: [
      ['description', 'TEXT'],
      ['amount', 'YEN'],
    ],
    fields: { description: '--description', amount: '--amount', taxable: '--taxable/--non-taxable' },
    input: (v) => {
      if (v.taxable === true && v['non-taxable'] === true) throw new UsageError('give only one of --taxable or --non-taxable');
      return { description: v.description, amount: yenArg(v.amount), taxable: v.taxable === true ? true : v['non-taxable'] === true ? false : undefined };
    },
  }),
  updateCommand({
    name: 'approve-request',
    command: 'approveRequest',
    summary: 'Approve a step another supervisor asked for (four eyes): it is carried out now, as they asked.',
    options: { request: { type: 'string', value: 'ID', help: 'the request id the asking supervisor was given' } },
    required: [['request', 'ID']],
    fields: { approvalOf: '--request' },
    input: (v) => ({ approvalOf: v.request }),
  }),
  updateCommand({
    name: 'withdraw-request',
    command: 'withdrawRequest',
    summary: 'Withdraw a step waiting for a second supervisor (four eyes), with the reason.',
    options: { request: { type: 'string', value: 'ID', help: 'the request id' }, reason: { type: 'string', value: 'TEXT', help: 'why it is withdrawn' } },
    required: [['request', 'ID'], ['reason', 'TEXT']],
    fields: { approvalOf: '--request', reason: '--reason' },
    input: (v) => ({ approvalOf: v.request, reason: v.reason }),
  }),
  {
    name: 'contact',
    summary: `Change the customer's contact (${RULE.contactChange}); every later notice goes to it (${RULE.noticesToLatestContact}).`,
    args: ['contract'],
    sendsRequest: true,
    options: {
      email: { type: 'string', value: 'ADDRESS', help: 'the new e-mail address for notices' },
      name: { type: 'string', value: 'NAME', help: 'the new customer name (契約者名)' },
      'contact-person': { type: 'string', value: 'NAME', help: 'the new contact person (担当者)' },
      address: { type: 'string', value: 'TEXT', help: 'the new postal address (住所)' },
      phone: { type: 'string', value: 'NUMBER', help: 'the new phone number (電話番号)' },
    },
    notes: ['Give the fields that changed; the ledger keeps the contact, the contract learns only its new revision.'],
    async run(ctx, values, [id]) {
      const contractId = contractIdArg(id!);
      const flags = { email: '--email', name: '--name', contactPerson: '--contact-person', address: '--address', phone: '--phone' };
      const change = validate(contactChange, { email: values.email, name: values.name, contactPerson: values['contact-person'], address: values.address, phone: values.phone }, flags, values);
      const ledger = ctx.ledger();
      let revision: number;
      try {
        // The ledger first (idempotent by request id), then the contract's update (audited there).
        revision = (await ledger.changeContact(ctx.requestId, contractId, change)).revision;
      } catch (err) {
        // A write the ledger refused reached no contract; the attempt is audited all the same, with the field
        // names only (the values are personal data) — as the console does.
        const run = () => Promise.reject(err);
        await audited(ledger.audit, { actor: ctx.actor(), contractId, command: 'changeContact', requestId: ctx.requestId, details: { fields: changedContactFields(change) }, run }).catch(() => undefined);
        throw err;
      }
      await sendCommand(ctx, contractId, 'changeContact', { contactRevision: revision }, {}, values, 'contact');
    },
  },
];
