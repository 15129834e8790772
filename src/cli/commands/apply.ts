/**
 * `apply`: record an application (申込, 第7条) by starting the contract's workflow, whose id is the
 * contract id. Ids are never reused (REJECT_DUPLICATE). What the Web UI shows without opening payloads —
 * summary, details, search attributes — carries no personal data (it is stored unencrypted).
 */
import { readFile } from 'node:fs/promises';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { jstDateOf } from '../../domain/calendar';
import { APPROVAL_WINDOW_DAYS, applicationDateVerdict, approvalDeadline } from '../../domain/lifecycle';
import { audited } from '../../backoffice/command-path';
import { initialFee, monthlyFees } from '../../domain/pricing';
import { applicationForm as applicationSchema, type Application, type ApplicationForm } from '../../domain/validation';
import { RULE } from '../../domain/rules';
import { ContractStatusKey, PlanKey, type contract } from '../../backoffice/contract-workflows';
import { contractIdArg, countArg, RefusedError, UsageError, validate, yenArg, type CommandSpec, type Context, type Values } from '../command';
import { fields, yen } from '../format';
import { componentOptions, componentsArg } from './send';

const FIELD_FLAGS = {
  contractId: '<contract>',
  'customer.name': '--name',
  'customer.email': '--email',
  'customer.contactPerson': '--contact-person',
  'customer.address': '--address',
  'customer.phone': '--phone',
  customer: '--name/--email',
  'terms.plan': '--plan',
  'terms.components': '--linux/--windows',
  'terms.metricCapRelaxations': '--metric-cap-relaxations',
  'terms.cloudMonthlyFee': '--cloud-fee',
  appliedOn: '--applied-on',
};

async function applicationFrom(ctx: Context, contractId: string, values: Values): Promise<ApplicationForm> {
  if (typeof values.file === 'string') {
    const conflicting = [
      'name',
      'email',
      'contact-person',
      'address',
      'phone',
      'plan',
      'linux',
      'windows',
      'metric-cap-relaxations',
      'cloud-fee',
      'applied-on',
    ].filter((f) => values[f] !== undefined);
    if (conflicting.length)
      throw new UsageError(`--file: give the application either in the file or with flags, not both (also got --${conflicting.join(', --')})`);
    let data: unknown;
    try {
      data = JSON.parse(await readFile(values.file, 'utf8'));
    } catch (err) {
      throw new UsageError(`--file: cannot read ${values.file} as JSON: ${(err as Error).message}`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`--file: ${values.file} holds no JSON object`);
    const fromFile = data as Record<string, unknown>;
    if (fromFile.contractId !== undefined && fromFile.contractId !== contractId)
      throw new UsageError(`--file: the file is for contract ${String(fromFile.contractId)}, not ${contractId}`);
    return validate(applicationSchema, { appliedOn: jstDateOf(ctx.now()), ...fromFile, contractId }, { contractId: '<contract>' }, values);
  }
  const missing = [
    ['name', 'NAME'],
    ['email', 'ADDRESS'],
    ['plan', 'PLAN'],
  ].filter(([f]) => values[f!] === undefined);
  if (values.linux === undefined && values.windows === undefined) missing.push(['linux', 'N> and/or --windows <N']);
  if (missing.length) throw new UsageError(missing.map(([f, v]) => `missing --${f} <${v}>`).join('; '));
  return validate(
    applicationSchema,
    {
      contractId,
      customer: { name: values.name, email: values.email, contactPerson: values['contact-person'], address: values.address, phone: values.phone },
      terms: {
        plan: values.plan,
        components: componentsArg(values),
        metricCapRelaxations: values['metric-cap-relaxations'] === undefined ? undefined : countArg(values['metric-cap-relaxations']),
        cloudMonthlyFee: values['cloud-fee'] === undefined ? undefined : yenArg(values['cloud-fee']),
      },
      appliedOn: values['applied-on'] ?? jstDateOf(ctx.now()),
    },
    FIELD_FLAGS,
    values,
  );
}

/** The workflow start options of an application: also used by tests that start a contract themselves. */
export function applicationStartOptions(app: Application, requestId: string, taskQueue: string) {
  const n = app.terms.components.length;
  const windows = app.terms.components.filter((c) => c.os === 'windows').length;
  return {
    taskQueue,
    workflowId: app.contractId,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    workflowIdConflictPolicy: 'FAIL' as const,
    // No personal data in what visibility and the Web UI store unencrypted: id, plan, counts, dates.
    staticSummary: `Contract ${app.contractId}: ${app.terms.plan}, ${n} component(s)`,
    staticDetails: [
      `**Contract ${app.contractId}**`,
      '',
      `- plan: ${app.terms.plan}`,
      `- components: ${n} (${n - windows} linux, ${windows} windows)`,
      `- metric-cap relaxations: ${app.terms.metricCapRelaxations}`,
      `- applied on: ${app.appliedOn}`,
      '',
      'The customer’s contact details live in the ledger only (`neutrix show` reads them from there).',
    ].join('\n'),
    typedSearchAttributes: [
      { key: ContractStatusKey, value: 'pending' },
      { key: PlanKey, value: app.terms.plan },
    ],
    memo: { requestId },
  };
}

export const applyCommand: CommandSpec = {
  name: 'apply',
  summary: `Record an application (申込, ${RULE.application}): starts the contract, pending approval for up to ${APPROVAL_WINDOW_DAYS} days.`,
  args: ['contract'],
  sendsRequest: true,
  options: {
    name: { type: 'string', value: 'NAME', help: 'the customer (契約者名)' },
    email: { type: 'string', value: 'ADDRESS', help: 'the e-mail address for notices' },
    'contact-person': { type: 'string', value: 'NAME', help: 'the contact person (担当者), optional' },
    address: { type: 'string', value: 'TEXT', help: 'the postal address (住所), optional' },
    phone: { type: 'string', value: 'NUMBER', help: 'the phone number (電話番号), optional' },
    plan: { type: 'string', value: 'PLAN', help: 'entry, standard, advanced or premium' },
    ...componentOptions,
    'metric-cap-relaxations': { type: 'string', value: 'N', help: 'components with the metric-cap relaxation option (default 0)' },
    'cloud-fee': { type: 'string', value: 'YEN', help: 'the Neutrix Cloud resource fee per month, before tax (default 0)' },
    'applied-on': { type: 'string', value: 'YYYY-MM-DD', help: 'the day the application arrived; default today (Japan time)' },
    file: { type: 'string', value: 'PATH', help: 'read the application (customer, terms, appliedOn) from a JSON file instead' },
  },
  notes: [
    'The contract id is the workflow id: letters, digits, - and _, never personal data; it cannot be reused.',
    'example: neutrix apply C-1001 --name "株式会社サンプル" --email billing@example.co.jp --plan standard --linux 1 --windows 1 --cloud-fee 30000',
  ],
  async run(ctx, values, [id]) {
    const contractId = contractIdArg(id!);
    const form = await applicationFrom(ctx, contractId, values);
    // Art. 7, D-2: dated on or before today and within its approval window, or nothing is started.
    const dated = applicationDateVerdict(form.appliedOn, jstDateOf(ctx.now()));
    if (!dated.ok) throw new RefusedError(`${contractId}: refused (${dated.rule}): ${dated.reason}`, dated.rule);
    const settings = ctx.io.settings();
    const client: Client = await ctx.client();
    const actor = ctx.actor();
    const { runId, already, app } = await audited(ctx.ledger().audit, {
      actor,
      contractId,
      command: 'apply',
      requestId: ctx.requestId,
      details: { terms: form.terms, appliedOn: form.appliedOn },
      summary: (r) => (r.already ? 'already recorded with this request id' : 'application recorded'),
      run: async () => {
        // Who the customer is goes to the ledger (once per contract id); the contract gets the id only.
        const { customerId } = await ctx.ledger().register(contractId, form.customer);
        const app: Application = { contractId, customerId, terms: form.terms, appliedOn: form.appliedOn };
        const options = applicationStartOptions(app, ctx.requestId, settings.TASK_QUEUE);
        try {
          const handle = await client.workflow.start<typeof contract>('contract', {
            ...options,
            args: [{ application: app }],
          });
          return { runId: handle.firstExecutionRunId, already: false, app };
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          const existing = await client.workflow.getHandle(contractId).describe();
          if (existing.memo?.requestId !== ctx.requestId)
            throw new RefusedError(
              `a contract ${contractId} already exists (its workflow started ${existing.startTime.toISOString().slice(0, 10)} and is ${existing.status.name.toLowerCase()}); contract ids are never reused`,
              RULE.application,
            );
          return { runId: existing.runId, already: true, app };
        }
      },
    });
    const fees = monthlyFees(app.terms);
    const initial = initialFee(app.terms.components.length);
    const deadline = approvalDeadline(app.appliedOn);
    ctx.emit({
      ok: true,
      contractId,
      command: 'apply',
      requestId: ctx.requestId,
      alreadyApplied: already,
      runId,
      application: app,
      fixedMonthlyFee: fees.fixedMonthlyFee,
      initialFee: initial,
      decideBy: deadline,
    });
    const windows = app.terms.components.filter((c) => c.os === 'windows').length;
    ctx.say(
      [
        already
          ? `${contractId} apply: already recorded with this request id; nothing changed`
          : `${contractId} apply: application recorded (申込, ${RULE.application}), pending approval`,
        fields([
          [
            'plan',
            `${app.terms.plan} · ${app.terms.components.length} component(s) (${app.terms.components.length - windows} linux, ${windows} windows) · ${app.terms.metricCapRelaxations} metric-cap relaxation(s)`,
          ],
          ['monthly fee', `${yen(fees.fixedMonthlyFee)} before tax (managed ${yen(fees.managedTotal)} + cloud ${yen(fees.cloudMonthly)})`],
          ['initial fee', `${yen(initial)} before tax, with the first month`],
          ['applied on', app.appliedOn],
          ['decide by', `${deadline} (afterwards deemed rejected, D-2)`],
          ['request id', `${ctx.requestId}  (to repeat safely: --request-id ${ctx.requestId})`],
        ]),
        `next: neutrix approve ${contractId} --start-date YYYY-MM-DD`,
      ].join('\n'),
    );
  },
};
