/**
 * The commands that change a contract's course: approval, changes, cancellation, renewal, termination,
 * suspension, and the contact. Money and four-eyes requests are in payments.ts; how each is validated and
 * sent (audited, four eyes routed by the back office) is send.ts.
 */
import type { z } from 'zod';
import type { CommandResult } from '../../domain/contract';
import { jstDateOf } from '../../domain/calendar';
import { APPROVAL_WINDOW_DAYS, CANCELLATION_NOTICE_DAYS, CONVENIENCE_NOTICE_DAYS } from '../../domain/lifecycle';
import { articleOf, RULE } from '../../domain/rules';
import { commands, contactChange } from '../../domain/validation';
import { contractIdArg, countArg, UsageError, validate, yenArg, type CommandSpec, type Context } from '../command';
import { paymentCommands } from './payments';
import { componentOptions, componentsArg, printResult, reason, requireFlags, sendCommand, updateCommand } from './send';

const today = (ctx: Context) => jstDateOf(ctx.now());
const contactRequestId = (commands.changeContact as unknown as z.ZodObject<z.ZodRawShape>).pick({ requestId: true });

export const contractCommands: CommandSpec[] = [
  updateCommand({
    name: 'approve',
    command: 'approve',
    summary: `Approve an application (承諾, ${articleOf(RULE.approvalWindow)}・${RULE.usageStart}): the contract is established on the usage start date.`,
    options: {
      'start-date': { type: 'string', value: 'YYYY-MM-DD', help: 'the usage start date (利用開始日), on or after today; default today (Japan time)' },
    },
    fields: { startDate: '--start-date' },
    input: (v, ctx) => ({ startDate: v['start-date'] ?? today(ctx) }),
    notes: [
      `Within ${APPROVAL_WINDOW_DAYS} days of the application (D-2); later it is deemed rejected.`,
      'example: neutrix approve C-1001 --start-date 2026-12-01',
    ],
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
      'end-date': {
        type: 'string',
        value: 'YYYY-MM-DD',
        help: `with --for-convenience: the last contract day, at least ${CONVENIENCE_NOTICE_DAYS} days ahead`,
      },
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
  ...paymentCommands,
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
      const change = validate(
        contactChange,
        { email: values.email, name: values.name, contactPerson: values['contact-person'], address: values.address, phone: values.phone },
        flags,
        values,
      );
      // The request id as the contract will check it, before the ledger records anything.
      validate(contactRequestId, { requestId: ctx.requestId }, { requestId: '--request-id' }, values);
      const result = await ctx
        .api()
        .send<CommandResult>('PUT', `/contracts/${encodeURIComponent(contractId)}/contact`, { requestId: ctx.requestId, ...change });
      printResult(ctx, contractId, 'contact', result);
    },
  },
];
