/**
 * `apply`: record an application (申込, 第7条) — the form from flags or a JSON file, checked here, then
 * recorded by the back office (src/backoffice/commands/apply.ts), which starts the contract's workflow
 * under the contract id. Ids are never reused.
 */
import { readFile } from 'node:fs/promises';
import type { RecordedApplication } from '../../backoffice/commands/apply';
import { jstDateOf } from '../../domain/calendar';
import { APPROVAL_WINDOW_DAYS, applicationDateVerdict } from '../../domain/lifecycle';
import { monthlyFees } from '../../domain/pricing';
import { applicationForm as applicationSchema, type ApplicationForm } from '../../domain/validation';
import { RULE } from '../../domain/rules';
import { contractIdArg, countArg, RefusedError, UsageError, validate, yenArg, type CommandSpec, type Context, type Values } from '../command';
import { fields, yen } from '../format';
import { componentOptions, componentsArg } from './send';

const FIELD_FLAGS: Record<string, string> = {
  contractId: '<contract>',
  'customer.name': '--name',
  'customer.email': '--email',
  'customer.contactPerson': '--contact-person',
  'customer.address': '--address',
  'customer.phone': '--phone',
  customer: '--name/--email',
  customerId: '--customer-id',
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
  // D-32: an existing customer is named by its id; its details are the ledger's already.
  const existing = typeof values['customer-id'] === 'string';
  const details = ['name', 'email', 'contact-person', 'address', 'phone'].filter((f) => values[f] !== undefined);
  if (existing && details.length)
    throw new UsageError(
      `--customer-id: an existing customer's details are on record; give either --customer-id or the new customer's --${details.join(', --')}`,
    );
  const missing = [
    ...(existing
      ? []
      : [
          ['name', 'NAME'],
          ['email', 'ADDRESS'],
        ]),
    ['plan', 'PLAN'],
  ].filter(([f]) => values[f!] === undefined);
  if (values.linux === undefined && values.windows === undefined) missing.push(['linux', 'N> and/or --windows <N']);
  if (missing.length) throw new UsageError(missing.map(([f, v]) => `missing --${f} <${v}>`).join('; '));
  return validate(
    applicationSchema,
    {
      contractId,
      ...(existing
        ? { customerId: values['customer-id'] }
        : { customer: { name: values.name, email: values.email, contactPerson: values['contact-person'], address: values.address, phone: values.phone } }),
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

export const applyCommand: CommandSpec = {
  name: 'apply',
  summary: `Record an application (申込, ${RULE.application}): starts the contract, pending approval for up to ${APPROVAL_WINDOW_DAYS} days.`,
  args: ['contract'],
  sendsRequest: true,
  fields: { ...FIELD_FLAGS, application: '--file' },
  options: {
    'customer-id': { type: 'string', value: 'ID', help: 'an existing customer (cus-…): the contract is added to its contracts (D-32); no details needed' },
    name: { type: 'string', value: 'NAME', help: 'the customer (契約者名), when new' },
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
    'example (a second contract of the same customer): neutrix apply C-1002 --customer-id cus-… --plan entry --linux 1',
  ],
  async run(ctx, values, [id]) {
    const contractId = contractIdArg(id!);
    const form = await applicationFrom(ctx, contractId, values);
    // Art. 7, D-2: dated on or before today and within its approval window, or nothing is started (the back office checks it again).
    const dated = applicationDateVerdict(form.appliedOn, jstDateOf(ctx.now()));
    if (!dated.ok) throw new RefusedError(`${contractId}: refused (${dated.rule}): ${dated.reason}`, dated.rule);
    const recorded = await ctx.api().send<RecordedApplication>('POST', '/contracts', { requestId: ctx.requestId, application: form });
    const { application: app, alreadyApplied: already, decideBy: deadline } = recorded;
    const fees = monthlyFees(app.terms);
    const initial = recorded.initialFee;
    ctx.emit({ ok: true, command: 'apply', ...recorded });
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
