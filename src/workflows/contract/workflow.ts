/**
 * One contract, from the application to the day its last invoice is paid after the data is deleted.
 * The rules live in the domain and in commands.ts/steps.ts; this file is the Temporal part: durable
 * timers for the automatic steps, updates for staff, activities for the outside world, continue-as-new.
 *
 * Rolling out a rule change: wrap the new behaviour in `if (patched('rule-<name>'))` where it alters
 * commands or timers, keep the old branch until every open run has continued-as-new past it (each
 * renewal boundary continues as new, so at most a month after the minimum term), then
 * `deprecatePatch('rule-<name>')`, then remove the old branch. Live example: 'steps-after-billing-run'
 * below (test/histories/*.before-steps-after-billing-run.json replay the old branch).
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  sleep,
  continueAsNew,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { jstDateOf, startOfDayJst } from '../../domain/calendar';
import { DEFAULT_OVERDUE_POLICY, type OverduePolicy } from '../../domain/lifecycle';
import { RULE } from '../../domain/rules';
import type { IsoDate } from '../../domain/types';
import { application as applicationSchema, COMMAND_NAMES, commands, parseWith, type Application, type CommandName } from '../../domain/validation';
import { NON_RETRYABLE_ACTIVITY_ERRORS, type ContractActivities } from './activities';
import { handlers, quoteCancellation, type Refusal } from './commands';
import { balance, notice } from './effects';
import { commandSignals, commandUpdates, quoteCancellationQuery, stateQuery } from './messages';
import { publishVisibility } from './visibility';
import { applyStep, nextStep, stepDueAt, type Step } from './steps';
import type { CommandResult, ContractState, Effect } from './state';
import { contractView, type ContractView } from './view';

export interface ContractInput {
  application: Application;
  overduePolicy?: OverduePolicy;
  /** Simulation only: shifts the workflow's calendar so a scenario can start on any date. Zero in production. */
  clockOffsetMs?: number;
  /** Set by continue-as-new: the state and any effect not yet carried out. */
  carried?: { state: ContractState; effects: Effect[] };
}

const ANSWERS_KEPT = 500;

// Ledger writes and mails are short and idempotent by business key: local activities record one marker
// each inside the workflow task that asked for them, which keeps a contract-year's history small.
const { issueInvoice, recordPayment, allocateAdvance, sendNotice } = proxyLocalActivities<ContractActivities>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ACTIVITY_ERRORS },
});
const { deleteCustomerData } = proxyActivities<ContractActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ACTIVITY_ERRORS },
});

function initialState(input: ContractInput): ContractState {
  const a = input.application;
  return {
    contractId: a.contractId,
    customer: a.customer,
    appliedOn: a.appliedOn,
    status: 'pending',
    terms: [{ from: a.appliedOn.slice(0, 7), terms: a.terms }],
    overduePolicy: input.overduePolicy ?? DEFAULT_OVERDUE_POLICY,
    approvedOn: null,
    startDate: null,
    minimumTermEnd: null,
    currentTermEnd: null,
    end: null,
    endedOn: null,
    dataDeletedOn: null,
    suspension: null,
    pendingChange: null,
    invoices: [],
    billedThrough: null,
    pendingLines: [],
    scheduledLines: [],
    credit: 0,
    notices: [],
    answers: {},
    answerOrder: [],
    failedEffects: [],
  };
}

/** Done when nothing is left to do: rejected, or ended, deleted, fully billed and paid. */
function finished(s: ContractState): boolean {
  if (s.status === 'rejected') return true;
  return (
    s.status === 'ended' &&
    s.dataDeletedOn !== null &&
    s.billedThrough !== null &&
    s.end !== null &&
    s.billedThrough >= s.end.lastDay.slice(0, 7) &&
    s.pendingLines.length === 0 &&
    s.scheduledLines.length === 0 &&
    s.invoices.every((i) => i.outstanding <= 0)
  );
}

export async function contract(input: ContractInput): Promise<ContractView> {
  if (!input.carried) {
    // The CLI validates an application before starting; a client that starts the workflow directly with
    // a malformed one is refused here, before any notice, instead of failing workflow tasks forever.
    const checked = parseWith(applicationSchema, input.application, 'application');
    if (!checked.ok)
      throw ApplicationFailure.create({ type: 'InvalidApplication', message: `application refused: ${checked.problems.join('; ')}`, nonRetryable: true });
  }
  const offset = input.clockOffsetMs ?? 0;
  const now = () => Date.now() + offset;
  const today = (): IsoDate => jstDateOf(now());
  const s = input.carried?.state ?? initialState(input);
  const effects: Effect[] = input.carried?.effects ?? [notice(s, 'applicationReceived', s.appliedOn, 'application', { appliedOn: s.appliedOn, article: '第7条' })];
  // Rolled out with a patch: runs started before it keep their steps at 00:00 JST (see the file comment).
  const stepsAfterBillingRun = patched('steps-after-billing-run');
  const dueAt = (step: Step) => stepDueAt(step, !stepsAfterBillingRun);
  let version = 0;
  let renewed = false;
  let published = '';

  /** Run the automatic steps already due (a command never sees a day whose steps have not run). */
  function catchUp(): void {
    for (let step = nextStep(s); step && dueAt(step) <= now(); step = nextStep(s)) {
      const before = s.currentTermEnd;
      effects.push(...applyStep(s, step, today()));
      if (step.kind === 'renewal' && s.currentTermEnd !== before) renewed = true;
      version++;
    }
  }

  function refusalOf(name: CommandName, raw: unknown): { problems: string[] } | { refusal: Refusal } | null {
    const parsed = parseWith(commands[name], raw);
    if (!parsed.ok) return { problems: parsed.problems };
    const answered = s.answers[parsed.value.requestId];
    if (answered) return answered.command === name ? null : { problems: [`requestId: already used for ${answered.command}`] };
    const refusal = (handlers[name].check as (st: ContractState, c: unknown, d: IsoDate) => Refusal | null)(s, parsed.value, today());
    return refusal ? { refusal } : null;
  }

  function fail(name: CommandName, r: NonNullable<ReturnType<typeof refusalOf>>): never {
    if ('problems' in r) throw ApplicationFailure.create({ type: 'InvalidCommand', message: `${name}: ${r.problems.join('; ')}`, nonRetryable: true });
    throw ApplicationFailure.create({ type: 'Refused', message: `${name} refused (${r.refusal.rule}): ${r.refusal.message}`, nonRetryable: true, details: [r.refusal] });
  }

  function execute(name: CommandName, raw: unknown): CommandResult {
    catchUp();
    const r = refusalOf(name, raw);
    if (r) fail(name, r);
    const cmd = (commands[name].parse(raw)) as { requestId: string };
    const previous = s.answers[cmd.requestId];
    if (previous) return previous.result; // a repeat: the first answer, no second effect
    const { result, effects: produced } = (handlers[name].apply as (st: ContractState, c: unknown, d: IsoDate) => { result: CommandResult; effects: Effect[] })(s, cmd, today());
    effects.push(...produced);
    s.answers[cmd.requestId] = { command: name, result };
    s.answerOrder.push(cmd.requestId);
    while (s.answerOrder.length > ANSWERS_KEPT) delete s.answers[s.answerOrder.shift()!];
    version++;
    return result;
  }

  for (const name of COMMAND_NAMES) {
    setHandler(commandUpdates[name], (raw: unknown) => execute(name, raw), {
      validator: (raw: unknown) => {
        const r = refusalOf(name, raw);
        if (r) fail(name, r);
      },
      description: `Back-office command ${name}; refused with the rule and the reason, changing nothing`,
    });
    setHandler(commandSignals[name], (raw: unknown) => {
      try {
        execute(name, raw);
      } catch (err) {
        log.warn(`signal ${name} refused`, { contractId: s.contractId, error: (err as Error).message });
      }
    });
  }
  setHandler(stateQuery, () => contractView(s, today(), effects.length, dueAt), { description: 'The contract at a glance' });
  setHandler(quoteCancellationQuery, (endDay: IsoDate) => quoteCancellation(s, endDay, today()), {
    description: 'Art. 28: could the customer end on this day with notice given today, and at what early termination fee',
  });

  async function carryOut(e: Effect): Promise<void> {
    switch (e.type) {
      case 'notice':
        await sendNotice.executeWithOptions({ summary: `notice ${e.kind}` }, [
          { noticeId: e.id, contractId: s.contractId, kind: e.kind, on: e.on, to: s.customer, facts: e.facts },
        ]);
        return;
      case 'issueInvoice': {
        const invoice = s.invoices.find((i) => i.period === e.period)!;
        const { paid: _p, outstanding: _o, overdueNoticeSent: _n, invoiceNumber: _i, ...issued } = invoice;
        const { invoiceNumber } = await issueInvoice.executeWithOptions({ summary: `invoice ${e.period}` }, [
          { contractId: s.contractId, customer: s.customer, invoice: issued },
        ]);
        invoice.invoiceNumber = invoiceNumber;
        return;
      }
      case 'recordPayment':
        await recordPayment.executeWithOptions({ summary: `payment ${e.amount} yen` }, [{ contractId: s.contractId, ...e }]);
        return;
      case 'allocateAdvance':
        await allocateAdvance.executeWithOptions({ summary: `advance ${e.amount} yen to ${e.period}` }, [
          { contractId: s.contractId, paymentId: e.paymentId, period: e.period, amount: e.amount },
        ]);
        return;
      case 'deleteData':
        await deleteCustomerData.executeWithOptions({ summary: 'delete customer data (Art. 30)' }, [
          { contractId: s.contractId, lastContractDay: e.lastContractDay, deletionDay: e.deletionDay },
        ]);
        return;
    }
  }

  /**
   * Carry out waiting effects: independent ones together (fewer workflow tasks). An effect that depends
   * on what came before (an advance set against an invoice just issued; a deletion before its notice)
   * waits for those and runs alone.
   */
  async function drain(): Promise<void> {
    const dependsOnEarlier = (e: Effect) => e.type === 'allocateAdvance' || e.type === 'deleteData';
    while (effects.length > 0) {
      const barrier = effects.findIndex(dependsOnEarlier);
      const batch = effects.slice(0, barrier === 0 ? 1 : barrier === -1 ? effects.length : barrier);
      await Promise.all(
        batch.map(async (effect) => {
          try {
            await carryOut(effect);
          } catch (err) {
            // Only a non-retryable failure (bad data) gets here: keep the effect for ops instead of
            // failing the whole contract.
            // (A local activity's failure arrives as the ApplicationFailure itself, a remote one wrapped.)
            if (!(err instanceof ActivityFailure || err instanceof ApplicationFailure)) throw err;
            const reason = err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : err.message;
            s.failedEffects.push({ effect, reason, on: today() });
            log.error('effect failed', { contractId: s.contractId, effect: effect.type, reason });
          }
        }),
      );
      effects.splice(0, batch.length); // handlers may have appended more meanwhile
      catchUp();
    }
  }

  // One durable timer for the next automatic step, kept while that day stays the next one, so a
  // command does not cancel and restart it (history stays short).
  let timer: { at: number; fired: boolean; scope: CancellationScope } | undefined;
  function armTimer(at: number, summary: string): void {
    if (timer && timer.at === at && !timer.fired) return;
    timer?.scope.cancel();
    const armed = { at, fired: false, scope: new CancellationScope() };
    armed.scope
      .run(() => sleep(Math.max(1, at - now()), { summary }))
      .then(
        () => void (armed.fired = true),
        (err) => {
          if (!isCancellation(err)) throw err;
        },
      );
    timer = armed;
  }

  for (;;) {
    catchUp();
    await drain();
    published = publishVisibility(s, today(), published);
    if (finished(s)) break;
    if (renewed || workflowInfo().continueAsNewSuggested) {
      // Art. 11 renewal boundaries (monthly after the first year) keep each run's history short.
      await condition(allHandlersFinished);
      if (effects.length === 0) return await continueAsNew<typeof contract>({ ...input, carried: { state: s, effects } });
      continue;
    }
    const step = nextStep(s);
    if (step) armTimer(dueAt(step), step.summary);
    else {
      timer?.scope.cancel();
      timer = undefined;
    }
    const seen = version;
    await condition(() => version !== seen || effects.length > 0 || timer?.fired === true);
  }
  timer?.scope.cancel();
  await condition(allHandlersFinished);
  log.info('contract closed', { contractId: s.contractId, status: s.status, balance: balance(s), rule: RULE.dataDeletion });
  return contractView(s, today(), 0, dueAt);
}
