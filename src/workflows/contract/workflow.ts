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
  quoteCancellation,
  receive,
  recordOutcomes,
  balance,
  type CommandResult,
  type ContractState,
  type ContractView,
  type Effect,
  type Refusal,
} from '../../domain/contract';
import type { UpdateDefinition } from '@temporalio/common';
import { jstDateOf } from '../../domain/calendar';
import type { OverduePolicy } from '../../domain/lifecycle';
import { RULE } from '../../domain/rules';
import type { IsoDate } from '../../domain/types';
import { COMMAND_NAMES, type Application, type Command, type CommandName } from '../../domain/validation';
import { workflowNow } from '../clock';
import { carryOut, nextBatch } from './effects';
import { commandUpdate, quoteCancellationQuery, stateQuery } from './messages';
import { parseApplication, parseCommand } from './schemas';
import { StepTimers } from './timers';
import { publishVisibility, searchAttributes } from './visibility';

export interface ContractInput {
  application: Application;
  /** D-14's periods from the settings, fixed for the contract's life. */
  overduePolicy?: OverduePolicy;
  /** Set by continue-as-new: the state and any effect not yet carried out. */
  carried?: { state: ContractState; effects: Effect[] };
}

export async function contract(input: ContractInput): Promise<ContractView> {
  const now = workflowNow;
  const today = (): IsoDate => jstDateOf(now());
  let { state: s, effects: waiting } = checkedStart(input);
  const effects: Effect[] = [...waiting];
  let version = 0;
  const commit = (next: ContractState, produced: Effect[]) => {
    s = next;
    effects.push(...produced);
    version++;
  };
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
      (raw) => {
        catchUp();
        const d = decide(s, name, parsed(name, raw), today());
        if (!d.ok) throw refused(name, d.refusal);
        if (!d.repeated) commit(d.state, d.effects);
        return d.answer;
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
  setHandler(stateQuery, () => contractView(s, today(), effects.length), { description: 'The contract at a glance' });
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
    for (;;) {
      catchUp();
      while (effects.length > 0) {
        const batch = nextBatch(effects);
        const outcomes = await carryOut(s, batch);
        effects.splice(0, batch.length); // handlers may have appended more meanwhile
        s = recordOutcomes(s, batch, outcomes, today());
        for (const [i, o] of outcomes.entries()) if (!o.ok) log.error('effect failed', { contractId: s.contractId, effect: batch[i]!.type, reason: o.reason });
        catchUp();
      }
      if (finished(s)) break;
      // A run a contract-year: short histories, and a new workflow version reaches every contract within a year.
      if (contractYearOn(s, today()) !== yearOfThisRun || workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        if (effects.length > 0) continue;
        timers.cancelAll();
        // The next run starts with the search attributes, instead of an upsert here.
        return await makeContinueAsNewFunc<typeof contract>({ typedSearchAttributes: searchAttributes(s, today()), memo: workflowInfo().memo })({
          application: input.application,
          ...(input.overduePolicy ? { overduePolicy: input.overduePolicy } : {}),
          carried: { state: s, effects },
        });
      }
      published = publishVisibility(s, today(), published);
      timers.arm(s);
      const seen = version;
      await condition(() => version !== seen || effects.length > 0 || timers.fired());
    }
    timers.cancelAll();
    publishVisibility(s, today(), published);
    await condition(allHandlersFinished);
    log.info('contract closed', { contractId: s.contractId, status: s.status, balance: balance(s), rule: RULE.dataDeletion });
    return contractView(s, today(), 0);
  }
}

/**
 * A start is refused, non-retryably and before any effect, unless it is what the CLI or the workflow itself
 * sends: an application for this very contract id, or a carried state from a continue-as-new of this
 * workflow. Anything else — no input, unknown fields, a forged state — would act as another contract.
 */
function checkedStart(input: unknown): { state: ContractState; effects: Effect[] } {
  const { workflowId, continuedFromExecutionRunId } = workflowInfo();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw refusedStart('expected { application } as the input');
  const { application, overduePolicy, carried, ...unknown } = input as ContractInput;
  const extra = Object.keys(unknown);
  if (extra.length) throw refusedStart(`unknown input ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
  if (carried !== undefined) {
    if (!continuedFromExecutionRunId) throw refusedStart('a carried state comes only from a continue-as-new of this workflow');
    if (carried?.state?.contractId !== workflowId) throw refusedStart(`the carried state is not this workflow's (${workflowId})`);
    return { state: carried.state, effects: carried.effects ?? [] };
  }
  const app = validApplication(application);
  if (app.contractId !== workflowId) throw refusedStart(`the application is for ${app.contractId}, but this workflow is ${workflowId}: the workflow id is the contract id`);
  return receive(app, validOverduePolicy(overduePolicy));
}

/** D-14's periods, whole days from 1 to 365 (a setting; a start may leave it out for the default). */
function validOverduePolicy(p: unknown): OverduePolicy | undefined {
  if (p === undefined) return undefined;
  const days = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 365;
  const q = p as Partial<OverduePolicy> | null;
  if (!q || !days(q.suspendAfterDays) || !days(q.terminateAfterDays) || Object.keys(q).length !== 2)
    throw refusedStart('overduePolicy: expected { suspendAfterDays, terminateAfterDays }, whole days from 1 to 365 (D-14)');
  return { suspendAfterDays: q.suspendAfterDays!, terminateAfterDays: q.terminateAfterDays! };
}

function refusedStart(why: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'InvalidStart', message: `contract start refused: ${why}`, nonRetryable: true });
}

/** A client that starts the workflow directly with a malformed application is refused before any notice. */
function validApplication(raw: unknown): Application {
  if (raw === undefined) throw refusedStart('expected { application } as the input');
  const checked = parseApplication(raw);
  if (!checked.ok) throw ApplicationFailure.create({ type: 'InvalidApplication', message: `application refused: ${checked.problems.join('; ')}`, nonRetryable: true });
  return checked.value;
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
