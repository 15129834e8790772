/**
 * One contract, from the application to the day its last invoice is paid after the data is deleted.
 * The rules live in the domain and in commands.ts/steps.ts; this file is the Temporal part: durable
 * timers for the automatic steps, updates for staff, activities for the outside world, continue-as-new.
 *
 * Rolling out a rule change: wrap the new behaviour in `if (patched('rule-<name>'))` where it alters
 * commands or timers, keep the old branch until every open run has continued-as-new past it (each
 * renewal boundary continues as new, so at most a month after the minimum term), then
 * `deprecatePatch('rule-<name>')`, then remove the old branch. Live examples: 'steps-after-billing-run'
 * and 'lean-history' below (test/histories/*.before-*.json replay the old branches). A run carries the
 * patches already in effect to the next, so a patch costs a marker once, not in every run.
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
  makeContinueAsNewFunc,
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
import { COMMAND_NAMES, type Application, type CommandName } from '../../domain/validation';
import { parseApplication, parseCommand } from './schemas';
import { NON_RETRYABLE_ACTIVITY_ERRORS, type ContractActivities, type EffectInput } from './activities';
import { handlers, quoteCancellation, type Refusal } from './commands';
import { balance, notice } from './effects';
import { commandSignals, commandUpdates, quoteCancellationQuery, stateQuery } from './messages';
import { publishVisibility, searchAttributes } from './visibility';
import { applyStep, nextStep, pendingSteps, stepDueAt, type Step } from './steps';
import type { CommandResult, ContractState, Effect } from './state';
import { contractView, type ContractView } from './view';

export interface ContractInput {
  application: Application;
  overduePolicy?: OverduePolicy;
  /** Simulation only: shifts the workflow's calendar so a scenario can start on any date. Zero in production. */
  clockOffsetMs?: number;
  /** Set by continue-as-new: the state, any effect not yet carried out, and the patches in effect. */
  carried?: { state: ContractState; effects: Effect[]; patches?: string[] };
}

const ANSWERS_KEPT = 500;

// Ledger writes and mails are short and idempotent by business key: a local activity records its marker
// inside the workflow task that asked for it — since 'lean-history' one for the whole batch
// (carryOutEffects), before it one per effect — which keeps a contract-year's history small.
const { carryOutEffects, issueInvoice, recordPayment, allocateAdvance, sendNotice } = proxyLocalActivities<ContractActivities>({
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
    const checked = parseApplication(input.application);
    if (!checked.ok)
      throw ApplicationFailure.create({ type: 'InvalidApplication', message: `application refused: ${checked.problems.join('; ')}`, nonRetryable: true });
  }
  const offset = input.clockOffsetMs ?? 0;
  const now = () => Date.now() + offset;
  const today = (): IsoDate => jstDateOf(now());
  const s = input.carried?.state ?? initialState(input);
  const effects: Effect[] = input.carried?.effects ?? [notice(s, 'applicationReceived', s.appliedOn, 'application', { appliedOn: s.appliedOn, article: '第7条' })];
  const patches = new Set(input.carried?.patches ?? []);
  /** A patch in effect in this run: carried from the run before, or asked of the SDK (one marker). */
  function inEffect(id: string): boolean {
    if (patches.has(id)) return true;
    if (!patched(id)) return false;
    patches.add(id);
    return true;
  }
  // Rolled out with a patch: runs started before it keep their steps at 00:00 JST (see the file comment).
  const stepsAfterBillingRun = inEffect('steps-after-billing-run');
  // Rolled out with a patch: a task's ledger writes and notices in one local activity, a timer per step
  // kept while its step stays pending, search attributes handed to the next run (history per year).
  const lean = inEffect('lean-history');
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

  type Checked = { command: { requestId: string } } | { problems: string[] } | { refusal: Refusal };

  /** Parse and check a command against the state now: the parsed command, or why it is refused. */
  function check(name: CommandName, raw: unknown): Checked {
    const parsed = parseCommand(name, raw);
    if (!parsed.ok) return { problems: parsed.problems };
    const command = parsed.value as { requestId: string };
    const answered = s.answers[command.requestId];
    if (answered) return answered.command === name ? { command } : { problems: [`requestId: already used for ${answered.command}`] };
    const refusal = (handlers[name].check as (st: ContractState, c: unknown, d: IsoDate) => Refusal | null)(s, command, today());
    return refusal ? { refusal } : { command };
  }

  function fail(name: CommandName, r: Exclude<Checked, { command: unknown }>): never {
    if ('problems' in r) throw ApplicationFailure.create({ type: 'InvalidCommand', message: `${name}: ${r.problems.join('; ')}`, nonRetryable: true });
    throw ApplicationFailure.create({ type: 'Refused', message: `${name} refused (${r.refusal.rule}): ${r.refusal.message}`, nonRetryable: true, details: [r.refusal] });
  }

  function execute(name: CommandName, raw: unknown): CommandResult {
    catchUp();
    const checked = check(name, raw);
    if (!('command' in checked)) fail(name, checked);
    const cmd = checked.command;
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
        const checked = check(name, raw);
        if (!('command' in checked)) fail(name, checked);
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

  type LedgerOrMail = Exclude<Effect, { type: 'deleteData' }>;

  /** What the activities take for a ledger or mail effect. */
  function inputOf(e: LedgerOrMail): EffectInput {
    switch (e.type) {
      case 'notice':
        return { type: 'notice', input: { noticeId: e.id, contractId: s.contractId, kind: e.kind, on: e.on, to: s.customer, facts: e.facts } };
      case 'issueInvoice': {
        const { paid: _p, outstanding: _o, overdueNoticeSent: _n, invoiceNumber: _i, ...issued } = s.invoices.find((i) => i.period === e.period)!;
        return { type: 'issueInvoice', input: { contractId: s.contractId, customer: s.customer, invoice: issued } };
      }
      case 'recordPayment':
        return { type: 'recordPayment', input: { contractId: s.contractId, paymentId: e.paymentId, paidOn: e.paidOn, amount: e.amount, allocations: e.allocations } };
      case 'allocateAdvance':
        return { type: 'allocateAdvance', input: { contractId: s.contractId, paymentId: e.paymentId, period: e.period, amount: e.amount } };
      case 'applyCredit':
        return { type: 'applyCredit', input: { contractId: s.contractId, fromPeriod: e.fromPeriod, toPeriod: e.period, amount: e.amount } };
    }
  }

  function summaryOf(e: Effect): string {
    switch (e.type) {
      case 'notice':
        return `notice ${e.kind}`;
      case 'issueInvoice':
        return `invoice ${e.period}`;
      case 'recordPayment':
        return `payment ${e.amount} yen`;
      case 'allocateAdvance':
        return `advance ${e.amount} yen to ${e.period}`;
      case 'applyCredit':
        return `credit ${e.amount} yen from ${e.fromPeriod} to ${e.period}`;
      case 'deleteData':
        return 'delete customer data (Art. 30)';
    }
  }

  function recordInvoiceNumber(period: string, invoiceNumber: string | undefined): void {
    const invoice = s.invoices.find((i) => i.period === period);
    if (invoice && invoiceNumber) invoice.invoiceNumber = invoiceNumber;
  }

  /**
   * Only a non-retryable failure (bad data) gets here: keep the effect for ops (`retryFailedEffects`)
   * instead of failing the whole contract.
   */
  function keepFailed(effect: Effect, reason: string): void {
    s.failedEffects.push({ effect, reason, on: today() });
    log.error('effect failed', { contractId: s.contractId, effect: effect.type, reason });
  }

  async function guarded(effects: Effect[], work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      // (A local activity's failure arrives as the ApplicationFailure itself, a remote one wrapped.)
      if (!(err instanceof ActivityFailure || err instanceof ApplicationFailure)) throw err;
      const reason = err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : err.message;
      for (const effect of effects) keepFailed(effect, reason);
    }
  }

  async function deleteData(e: Extract<Effect, { type: 'deleteData' }>): Promise<void> {
    await deleteCustomerData.executeWithOptions({ summary: summaryOf(e) }, [{ contractId: s.contractId, lastContractDay: e.lastContractDay, deletionDay: e.deletionDay }]);
  }

  /** 'lean-history': the ledger writes and notices of a batch in one local activity (one marker), in order. */
  async function carryOutTogether(batch: Effect[]): Promise<void> {
    const first = batch[0]!;
    if (first.type === 'deleteData') return guarded(batch, () => deleteData(first));
    const ledgerAndMail = batch as LedgerOrMail[];
    const summary = ledgerAndMail.map(summaryOf).join(', ');
    await guarded(batch, async () => {
      const outcomes = await carryOutEffects.executeWithOptions({ summary: summary.length > 200 ? `${summary.slice(0, 199)}…` : summary }, [ledgerAndMail.map(inputOf)]);
      outcomes.forEach((o, i) => {
        const e = ledgerAndMail[i]!;
        if (!o.ok) keepFailed(e, o.reason);
        else if (e.type === 'issueInvoice') recordInvoiceNumber(e.period, o.invoiceNumber);
      });
    });
  }

  /** Before 'lean-history': one local activity per effect. */
  async function carryOutAlone(e: Effect): Promise<void> {
    if (e.type === 'deleteData') return deleteData(e);
    const options = { summary: summaryOf(e) };
    const x = inputOf(e);
    switch (x.type) {
      case 'notice':
        await sendNotice.executeWithOptions(options, [x.input]);
        return;
      case 'issueInvoice':
        recordInvoiceNumber(x.input.invoice.period, (await issueInvoice.executeWithOptions(options, [x.input])).invoiceNumber);
        return;
      case 'recordPayment':
        await recordPayment.executeWithOptions(options, [x.input]);
        return;
      case 'allocateAdvance':
        await allocateAdvance.executeWithOptions(options, [x.input]);
        return;
      case 'applyCredit':
        // A run still on the branch before 'lean-history' must not schedule a local activity its history
        // lacks: its credit stays unrecorded in the ledger, as it always was there.
        return;
    }
  }

  /**
   * Carry out waiting effects in batches. An effect that depends on what came before waits for it: the
   * deletion after its notices; before 'lean-history' also an advance set against an invoice just issued
   * (the rest of a batch ran at once, one local activity each).
   */
  async function drain(): Promise<void> {
    const waitsForEarlier = (e: Effect) => e.type === 'deleteData' || (!lean && e.type === 'allocateAdvance');
    while (effects.length > 0) {
      const barrier = effects.findIndex(waitsForEarlier);
      const batch = effects.slice(0, barrier === 0 ? 1 : barrier === -1 ? effects.length : barrier);
      if (lean) await carryOutTogether(batch);
      else await Promise.all(batch.map((e) => guarded([e], () => carryOutAlone(e))));
      effects.splice(0, batch.length); // handlers may have appended more meanwhile
      catchUp();
    }
  }

  /** A durable timer for the instant `at`, cancellable; `fired` once it went off. */
  function startTimer(at: number, summary: string): Timer {
    const t: Timer = { at, fired: false, scope: new CancellationScope() };
    t.scope
      .run(() => sleep(Math.max(1, at - now()), { summary }))
      .then(
        () => void (t.fired = true),
        (err) => {
          if (!isCancellation(err)) throw err;
        },
      );
    return t;
  }

  // Before 'lean-history': one timer for the next step, cancelled whenever another step comes first.
  let single: Timer | undefined;
  function armSingleTimer(): void {
    const step = nextStep(s);
    if (step && single && single.at === dueAt(step) && !single.fired) return;
    single?.scope.cancel();
    single = step ? startTimer(dueAt(step), step.summary) : undefined;
  }

  // 'lean-history': a timer for the next step, kept as long as some step is still due at its instant, so a
  // bill or a payment that puts another step first (or removes it) does not cancel and restart the rest.
  const timers = new Map<number, Timer>();
  function armStepTimers(): void {
    const dueInstants = new Set(pendingSteps(s).map(dueAt));
    for (const [at, t] of timers) {
      if (t.fired || !dueInstants.has(at)) {
        t.scope.cancel();
        timers.delete(at);
      }
    }
    const step = nextStep(s);
    if (step && !timers.has(dueAt(step))) timers.set(dueAt(step), startTimer(dueAt(step), step.summary));
  }
  const timerFired = () => (lean ? [...timers.values()].some((t) => t.fired) : single?.fired === true);

  for (;;) {
    catchUp();
    await drain();
    // Each Art. 11 renewal boundary (monthly after the first year) starts a new run: short histories,
    // and a rule change reaches every contract within a month.
    const continuing = !finished(s) && (renewed || workflowInfo().continueAsNewSuggested);
    // 'lean-history': the next run gets the search attributes with its start instead of an upsert here.
    if (!(lean && continuing)) published = publishVisibility(s, today(), published);
    if (finished(s)) break;
    if (continuing) {
      await condition(allHandlersFinished);
      if (effects.length > 0) continue;
      const carried = { state: s, effects, patches: [...patches] };
      if (!lean) return await continueAsNew<typeof contract>({ ...input, carried });
      return await makeContinueAsNewFunc<typeof contract>({ typedSearchAttributes: searchAttributes(s, today()) })({ ...input, carried });
    }
    if (lean) armStepTimers();
    else armSingleTimer();
    const seen = version;
    await condition(() => version !== seen || effects.length > 0 || timerFired());
  }
  single?.scope.cancel();
  for (const t of timers.values()) t.scope.cancel();
  await condition(allHandlersFinished);
  log.info('contract closed', { contractId: s.contractId, status: s.status, balance: balance(s), rule: RULE.dataDeletion });
  return contractView(s, today(), 0, dueAt);
}

interface Timer {
  at: number;
  fired: boolean;
  scope: CancellationScope;
}
