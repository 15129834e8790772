/**
 * One contract, from the application to the day its last invoice is paid after the data is deleted.
 * The rules are the domain's decider (src/domain/contract); this is the Temporal part, top to bottom:
 * receive commands as validated updates, wait for the next due step on a durable timer, carry out the
 * effects through activities, and continue as new once a contract-year (or when the server suggests it).
 * Changing it once contracts run in production: docs/versioning.md.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  log,
  makeContinueAsNewFunc,
  setDefaultSignalHandler,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  advance,
  check,
  contractView,
  contractYearOn,
  decide,
  finished,
  noteCancellationRequest,
  previewProviderAction,
  quoteCancellation,
  recordOutcomes,
  balance,
  type EffectOutcome,
  type CommandResult,
  type ContractState,
  type ContractView,
  type Effect,
  type Refusal,
  type WaitingEffects,
} from '../../domain/contract';
import type { UpdateDefinition } from '@temporalio/common';
import { jstDateOf } from '../../domain/calendar';
import { RULE } from '../../domain/rules';
import type { IsoDate } from '../../domain/types';
import { COMMAND_NAMES, type Command, type CommandName } from '../../domain/validation';
import { workflowNow, workflowStartedAt } from '../clock';
import { carryOut, nextBatch, type EffectsWatch } from './effects';
import { commandUpdate, previewProviderActionQuery, quoteCancellationQuery, stateQuery, type Delivery } from './messages';
import { PROVIDER_ACTIONS } from '../../domain/provider-actions';
import { parseCommand } from './schemas';
import { checkedStart, type ContractInput } from './start';
import { StepTimers } from './timers';
import { publishVisibility, searchAttributes } from './visibility';

export type { ContractInput } from './start';

/** The commands whose answer waits for their effects, so a bulk run reports the truth: the monthly close and the provider-wide announcements. */
const AWAITS_DELIVERY: ReadonlySet<CommandName> = new Set(['closeBillingPeriod', ...PROVIDER_ACTIONS]);
/** How long such a command waits; longer (SMTP down), its effects are reported pending and carried out later. */
const DELIVERY_WAIT = '2 minutes';


export async function contract(input: ContractInput): Promise<ContractView> {
  const now = workflowNow;
  const today = (): IsoDate => jstDateOf(now());
  // The application is judged on the day it was recorded (the start), even if the first task runs later.
  let { state: s, effects: carried } = checkedStart(input, jstDateOf(workflowStartedAt()));
  const effects: Effect[] = [...carried];
  let version = 0;
  /** Effects on the patient path past EFFECTS_ATTENTION_AFTER_MS (an outage), shown and flagged until through. */
  let waiting: WaitingEffects | null = null;
  const commit = (next: ContractState, produced: Effect[]) => {
    s = next;
    effects.push(...produced);
    version++;
  };
  /** Effects a command waits for (AWAITS_DELIVERY), and what became of each once carried out. */
  const awaited = new Map<Effect, EffectOutcome | null>();
  /**
   * Wait (at most DELIVERY_WAIT) until the effects are carried out: "billed" means in the ledger and mailed,
   * not only in this state. A failure is reported with its reason; what is still under way, as pending.
   */
  async function deliveryOf(produced: readonly Effect[]): Promise<Delivery> {
    for (const e of produced) awaited.set(e, null);
    await condition(() => produced.every((e) => awaited.get(e) !== null), DELIVERY_WAIT);
    const outcomes = produced.map((e) => awaited.get(e) ?? null);
    produced.forEach((e) => awaited.delete(e));
    const problems = outcomes.flatMap((o, i) => (o && !o.ok ? [`${produced[i]!.type}: ${o.reason}`] : []));
    return problems.length ? { status: 'failed', problems } : outcomes.includes(null) ? { status: 'pending', problems: [] } : { status: 'done', problems: [] };
  }
  /** The automatic steps already due: a command never sees a day whose steps have not run. */
  const catchUp = () => {
    const r = advance(s, now());
    if (r.applied) commit(r.state, r.effects);
  };

  function acceptCommand<N extends CommandName>(name: N): void {
    // What arrives is whatever a client sent: it is parsed here, so the handler takes it as unknown.
    const update: UpdateDefinition<CommandResult, [unknown], string> = commandUpdate(name);
    setHandler(
      update,
      async (raw) => {
        catchUp();
        const c = parsed(name, raw);
        const d = decide(s, name, c, today());
        // The JSON log line ops search by: the contract, the command, its request id and who asked.
        const about = { contractId: s.contractId, command: name, requestId: c.requestId, actor: c.actor.id };
        if (!d.ok) {
          log.info('command refused', { ...about, rule: d.refusal.rule });
          throw refused(name, d.refusal);
        }
        log.info(d.repeated ? 'command repeated' : 'command accepted', about);
        if (!AWAITS_DELIVERY.has(name)) {
          if (!d.repeated) commit(d.state, d.effects);
          return d.answer;
        }
        // A repeat is answered as it was, and says so: the billing run counts it as already billed.
        if (d.repeated) return { ...d.answer, repeated: true };
        commit(d.state, d.effects);
        if (d.effects.length === 0) return d.answer;
        return { ...d.answer, delivery: await deliveryOf(d.effects) };
      },
      {
        // Synchronous and pure: checked against the state as it will be once the due steps have run.
        validator: (raw) => {
          const refusal = check(advance(s, now()).state, name, parsed(name, raw), today());
          if (refusal) throw refused(name, refusal);
        },
        description: `Back-office command ${name}; refused with the rule and the reason, changing nothing`,
      },
    );
  }
  COMMAND_NAMES.forEach(acceptCommand);
  // Commands are updates only. A signal cannot be refused, so one sent anyway is logged and dropped.
  setDefaultSignalHandler((signalName) => log.warn('signal ignored: contracts take commands as updates', { contractId: s.contractId, signalName }));
  setHandler(stateQuery, () => contractView(s, today(), effects.length, waiting), { description: 'The contract at a glance' });
  setHandler(
    previewProviderActionQuery,
    (action, at) => {
      // A query sees the workflow's clock as of its last task (days old for an idle contract): the caller says when.
      // Read-only: no schema here (zod defines properties lazily, which a query's frozen context refuses). The
      // providerAction run parsed the action at its start; anything else is refused by its shape.
      if (!action || typeof action !== 'object' || !PROVIDER_ACTIONS.includes(action.command) || !action.input || typeof action.input !== 'object')
        throw new Error(`expected a provider action { command: ${PROVIDER_ACTIONS.join(' | ')}, input }`);
      if (!Number.isFinite(at)) throw new Error('expected the moment to preview at (epoch ms)');
      return previewProviderAction(advance(s, at).state, action, jstDateOf(at));
    },
    { description: 'What a provider-wide action (Art. 4, 5, 17) would do to this contract today, without doing it (the bulk run\'s dry run)' },
  );
  setHandler(quoteCancellationQuery, (endDay) => quoteCancellation(s, endDay, today()), {
    description: `${RULE.cancellation}: could the customer end on this day with notice given today, and at what early termination fee`,
  });

  // A Temporal cancellation request (the Web UI's button) is not an Art. 28 cancellation: noted, shown, and
  // the contract runs on in a scope it cannot cancel.
  CancellationScope.current().cancelRequested.catch(() => {
    s = noteCancellationRequest(s, new Date(now()).toISOString());
    version++;
    log.warn('cancellation request ignored: end a contract with cancel or terminate', { contractId: s.contractId });
  });
  return await CancellationScope.nonCancellable(() => live());

  async function live(): Promise<ContractView> {
    const timers = new StepTimers(now);
    const yearOfThisRun = contractYearOn(s, today());
    let published = '';
    // Effects that waited too long on the patient path: flagged at once (the loop itself is waiting on them).
    const watch: EffectsWatch = {
      waiting(since, batch) {
        waiting = { since: new Date(since).toISOString(), effects: batch.map((e) => e.type) };
        log.error('effects waiting: needs attention', { contractId: s.contractId, since: waiting.since, effects: waiting.effects });
        published = publishVisibility(s, today(), published, waiting);
      },
      through() {
        waiting = null;
      },
    };
    for (;;) {
      catchUp();
      while (effects.length > 0) {
        const batch = nextBatch(effects);
        const outcomes = await carryOut(s, batch, now, watch);
        effects.splice(0, batch.length); // handlers may have appended more meanwhile
        s = recordOutcomes(s, batch, outcomes, today());
        batch.forEach((e, i) => awaited.has(e) && awaited.set(e, outcomes[i]!));
        for (const [i, o] of outcomes.entries()) if (!o.ok) log.error('effect failed', { contractId: s.contractId, effect: batch[i]!.type, reason: o.reason });
        catchUp();
      }
      if (finished(s)) break;
      // A run a contract-year: short histories, and a new workflow version reaches every contract within a year.
      if (contractYearOn(s, today()) !== yearOfThisRun || workflowInfo().continueAsNewSuggested) {
        // A handler may wait for its effects (deliveryOf): carry them out rather than wait for it.
        await condition(() => allHandlersFinished() || effects.length > 0);
        if (effects.length > 0) continue;
        timers.cancelAll();
        // The next run starts with the search attributes, instead of an upsert here.
        return await makeContinueAsNewFunc<typeof contract>({ typedSearchAttributes: searchAttributes(s, today()), memo: workflowInfo().memo })({
          application: input.application,
          ...(input.overduePolicy ? { overduePolicy: input.overduePolicy } : {}),
          carried: { state: s, effects },
        });
      }
      published = publishVisibility(s, today(), published, waiting);
      timers.arm(s);
      const seen = version;
      await condition(() => version !== seen || effects.length > 0 || timers.fired());
    }
    timers.cancelAll();
    publishVisibility(s, today(), published, waiting);
    await condition(allHandlersFinished);
    log.info('contract closed', { contractId: s.contractId, status: s.status, balance: balance(s), rule: RULE.dataDeletion });
    return contractView(s, today(), 0);
  }
}

/** The command as the decider takes it, or an InvalidCommand failure naming each field and reason. */
function parsed<N extends CommandName>(name: N, raw: unknown): Command<N> {
  const p = parseCommand(name, raw);
  if (!p.ok) throw ApplicationFailure.create({ type: 'InvalidCommand', message: `${name}: ${p.problems.join('; ')}`, nonRetryable: true });
  return p.value;
}

function refused(name: CommandName, r: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: 'Refused', message: `${name} refused (${r.rule}): ${r.message}`, nonRetryable: true, details: [r] });
}
