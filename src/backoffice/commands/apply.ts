/**
 * An application (申込, 第7条) as every door records it: dated on or before today and within its approval
 * window (D-2), the customer registered in the ledger (the contract gets the id only), then the contract's
 * workflow started with the contract id as its id. Ids are never reused (REJECT_DUPLICATE). What the Web UI
 * shows without opening payloads — summary, details, search attributes — carries no personal data.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Actor } from '../../domain/actor';
import { applicationDateVerdict, approvalDeadline } from '../../domain/lifecycle';
import { monthOf } from '../../domain/calendar';
import { FIRST_PRICE_LIST } from '../../domain/catalog';
import { catalogIn } from '../../domain/price-lists';
import { initialFee, monthlyFees } from '../../domain/pricing';
import { RULE } from '../../domain/rules';
import type { IsoDate, Yen } from '../../domain/types';
import type { Lang } from '../../domain/messages';
import { parseWith, schemasIn, type Application, type ApplicationForm } from '../../domain/validation';
import { audited } from '../command-path';
import { ContractStatusKey, PlanKey, type contract } from '../contract-workflows';
import type { AuditAccess, LedgerAccess } from '../ledger-client';
import { InvalidCommand } from './contract-command';

/** The application is refused by the terms (its date; an id already used): the rule and the reason. */
export class ApplicationRefused extends Error {
  readonly exitCode = 3;
  constructor(
    message: string,
    readonly rule: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
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

export interface RecordedApplication {
  contractId: string;
  requestId: string;
  alreadyApplied: boolean;
  runId: string;
  application: Application;
  fixedMonthlyFee: Yen;
  initialFee: Yen;
  decideBy: IsoDate;
}

export async function recordApplication(
  deps: {
    client: Client;
    /** `priceLists`: the versions the ledger recorded (D-17); without it, the first price list only. */
    ledger: Pick<LedgerAccess, 'register' | 'link'> & Partial<Pick<LedgerAccess, 'priceLists'>>;
    audit: AuditAccess;
    taskQueue: string;
  },
  /** `lang`: the language of the form's problems (English unless the door's reader reads Japanese). */
  a: { actor: Actor; requestId: string; form: unknown; today: IsoDate; lang?: Lang },
): Promise<RecordedApplication> {
  const parsed = parseWith(schemasIn(a.lang ?? 'en').applicationForm, a.form, '', a.lang);
  if (!parsed.ok) throw new InvalidCommand(parsed.problems);
  const form: ApplicationForm = parsed.value;
  const { contractId } = form;
  const dated = applicationDateVerdict(form.appliedOn, a.today);
  if (!dated.ok) throw new ApplicationRefused(`${contractId}: refused (${dated.rule}): ${dated.reason}`, dated.rule);
  // D-17, D-21: the versions announced before the application reach the contract, as later ones will.
  const priceLists = (await deps.ledger.priceLists?.())?.filter((v) => v.id !== FIRST_PRICE_LIST.id) ?? [];
  const { runId, already, app } = await audited(deps.audit, {
    actor: a.actor,
    contractId,
    command: 'apply',
    requestId: a.requestId,
    details: { terms: form.terms, appliedOn: form.appliedOn, ...(form.customerId ? { customerId: form.customerId } : {}) },
    summary: (r) => (r.already ? 'already recorded with this request id' : 'application recorded'),
    run: async () => {
      // D-32: a new customer's details go to the ledger; an existing customer is linked by its id.
      const { customerId } = form.customerId ? await deps.ledger.link(contractId, form.customerId) : await deps.ledger.register(contractId, form.customer!);
      const app: Application = { contractId, customerId, terms: form.terms, appliedOn: form.appliedOn, ...(priceLists.length ? { priceLists } : {}) };
      try {
        const handle = await deps.client.workflow.start<typeof contract>('contract', {
          ...applicationStartOptions(app, a.requestId, deps.taskQueue),
          args: [{ application: app }],
        });
        return { runId: handle.firstExecutionRunId, already: false, app };
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        const existing = await deps.client.workflow.getHandle(contractId).describe();
        if (existing.memo?.requestId !== a.requestId)
          throw new ApplicationRefused(
            `a contract ${contractId} already exists (its workflow started ${existing.startTime.toISOString().slice(0, 10)} and is ${existing.status.name.toLowerCase()}); contract ids are never reused`,
            RULE.application,
          );
        return { runId: existing.runId, already: true, app };
      }
    },
  });
  return {
    contractId,
    requestId: a.requestId,
    alreadyApplied: already,
    runId,
    application: app,
    // The price list in force on the application day (D-17), as the contract will price it.
    fixedMonthlyFee: monthlyFees(app.terms, catalogIn(app.priceLists ?? [], monthOf(app.appliedOn))).fixedMonthlyFee,
    initialFee: initialFee(app.terms.components.length),
    decideBy: approvalDeadline(app.appliedOn),
  };
}
