/**
 * One contract, from the application to the day its last invoice is paid after the data is deleted.
 * The rules are the domain's decider (src/domain/contract); this is the Temporal part, top to bottom:
 * receive commands as validated updates (handlers.ts), wait for the next due step on a durable timer, carry out the
 * effects through activities, and continue as new once a contract-year, or sooner when its history grows
 * too big (history.ts: the server's suggestion or our own limits).
 * Changing it once contracts run in production: docs/versioning.md.
 */
import { allHandlersFinished, CancellationScope, condition, log, makeContinueAsNewFunc, workflowInfo } from '@temporalio/workflow';
import {
  advance,
  balance,
  contractView,
  contractYearOn,
  finished,
  noteCancellationRequest,
  recordOutcomes,
  type ContractState,
  type ContractView,
  type Effect,
  type WaitingEffects,
} from '../../domain/contract';
import { jstDateOf } from '../../domain/calendar';
import { RULE } from '../../domain/rules';
import type { IsoDate } from '../../domain/types';
import { workflowNow, workflowStartedAt } from '../clock';
import { Deliveries } from './delivery';
import { carryOut, nextBatch, type EffectsWatch } from './effects';
import { acceptCommands, answerQueries } from './handlers';
import { historyTooBig } from './history';
import { historyLimits } from './history-limits';
import { readDunningLadder } from './ladder';
import { checkedStart, type ContractInput } from './start';
import { StepTimers } from './timers';
import { publishVisibility, searchAttributes } from './visibility';

export type { ContractInput } from './start';

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
  const deliveries = new Deliveries();
  /** The automatic steps already due: a command never sees a day whose steps have not run. */
  const catchUp = () => {
    const r = advance(s, now());
    if (r.applied) commit(r.state, r.effects);
  };
  const handle = { state: () => s, now, today, catchUp, commit, deliveries, pendingEffects: () => effects.length, waiting: () => waiting };
  acceptCommands(handle);
  answerQueries(handle);

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
    // Read afresh at every activation: a run the server would terminate at its hard limit moves on first.
    const tooBig = () => historyTooBig(workflowInfo(), historyLimits());
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
    let ladderRead = false;
    for (;;) {
      // D-31: the ladder as the settings say, at the run's start and before the steps a timer woke the contract for.
      if (!ladderRead || timers.fired()) {
        const next = await readDunningLadder(() => s);
        if (next) commit(next, []);
        ladderRead = true;
      }
      catchUp();
      while (effects.length > 0) {
        const batch = nextBatch(effects);
        const outcomes = await carryOut(s, batch, now, watch);
        effects.splice(0, batch.length); // handlers may have appended more meanwhile
        s = recordOutcomes(s, batch, outcomes, today());
        deliveries.settle(batch, outcomes);
        for (const [i, o] of outcomes.entries()) if (!o.ok) log.error('effect failed', { contractId: s.contractId, effect: batch[i]!.type, reason: o.reason });
        catchUp();
      }
      if (finished(s)) break;
      // A run a contract-year: short histories, and a new workflow version reaches every contract within a year.
      if (contractYearOn(s, today()) !== yearOfThisRun || tooBig()) {
        const { historyLength, historySize } = workflowInfo();
        if (tooBig()) log.warn('history near its limit: continuing as new', { contractId: s.contractId, events: historyLength, bytes: historySize });
        // A handler may wait for its effects (Deliveries.of): carry them out rather than wait for it.
        await condition(() => allHandlersFinished() || effects.length > 0);
        if (effects.length > 0) continue;
        timers.cancelAll();
        // The next run starts with the search attributes, instead of an upsert here.
        return await makeContinueAsNewFunc<typeof contract>({ typedSearchAttributes: searchAttributes(s, today()), memo: workflowInfo().memo })({
          application: input.application,
          carried: { state: s, effects },
        });
      }
      published = publishVisibility(s, today(), published, waiting);
      timers.arm(s);
      const seen = version;
      // Also woken by a history grown too big: signals (which change nothing) are recorded all the same.
      await condition(() => version !== seen || effects.length > 0 || timers.fired() || tooBig());
    }
    timers.cancelAll();
    publishVisibility(s, today(), published, waiting);
    await condition(allHandlersFinished);
    log.info('contract closed', { contractId: s.contractId, status: s.status, balance: balance(s), rule: RULE.dataDeletion });
    return contractView(s, today(), 0);
  }
}
