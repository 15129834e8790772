/**
 * The contract's decider: the one entry the workflow, the simulator and the tests call.
 * - `decide`: a parsed command on a day → the new state, the effects to carry out and the answer, or a
 *   refusal with its article. A request id already answered gets its first answer again, with no effect.
 * - `advance`: a state and a moment → the automatic steps due by then, applied in order, with their effects.
 * - `receive` opens a contract from its application; `recordOutcomes` notes what the activities did.
 * All are pure: the state passed in is never changed.
 */
import { jstDateOf } from '../calendar';
import { contractYear } from '../lifecycle';
import { RULE } from '../rules';
import type { IsoDate } from '../types';
import type { Application, Command, CommandName } from '../validation';
import { AUTHORITY, FOUR_EYES, mayAsk, needsFourEyes } from '../actor';
import { approvalHandlers, retireLapsed } from './approvals';
import { handlers as lifeHandlers } from './commands';
import type { Handler } from './handler';
import { fingerprint } from './fingerprint';
import { notice } from './notices';
import { byActor, refuse, type Refusal } from './refusals';
import { initialState, type CommandResult, type ContractState, type Effect } from './state';
import { applyStep, nextStep, stepDueAt } from './steps';

/** How many answers a contract remembers for repeats (the oldest are forgotten first). */
export const ANSWERS_KEPT = 500;

export type Decision = { ok: true; state: ContractState; effects: Effect[]; answer: CommandResult; repeated: boolean } | { ok: false; refusal: Refusal };

/** A deep copy of the state (plain JSON), so a decision never touches the state it was given. */
function copy(s: ContractState): ContractState {
  return JSON.parse(JSON.stringify(s)) as ContractState;
}

const handlers: { [N in CommandName]: Handler<N> } = { ...lifeHandlers, ...approvalHandlers };

/** Whether the command would be accepted on `today`: null, or the refusal (the update validator). */
export function check<N extends CommandName>(s: ContractState, name: N, command: Command<N>, today: IsoDate): Refusal | null {
  const answered = s.answers[command.requestId];
  if (answered) {
    if (answered.command !== name) return refuse('requestId', 'requestIdUsedFor', { requestId: command.requestId, command: answered.command });
    if (answered.fingerprint !== undefined && answered.fingerprint !== fingerprint(name, command))
      return refuse('requestId', 'requestIdUsedOtherwise', { requestId: command.requestId, command: name });
    return null;
  }
  const { actor } = command;
  const roles = mayAsk(name, command as { action?: unknown });
  if (!roles.includes(actor.role))
    return refuse(AUTHORITY, 'notAllowed', { ...byActor(actor), command: name, roles: roles.filter((r) => r !== 'system').join(' or ') });
  if (needsFourEyes(name, command as Record<string, unknown>, actor)) return refuse(FOUR_EYES, 'needsSecondSupervisor', { command: name });
  return (handlers[name] as Handler<N>).check(s, command, today);
}

export function decide<N extends CommandName>(s: ContractState, name: N, command: Command<N>, today: IsoDate): Decision {
  const refusal = check(s, name, command, today);
  if (refusal) return { ok: false, refusal };
  const previous = s.answers[command.requestId];
  if (previous) return { ok: true, state: s, effects: [], answer: previous.result, repeated: true };
  const next = copy(s);
  retireLapsed(next, today);
  const { result, effects } = (handlers[name] as Handler<N>).apply(next, command, today);
  next.answers[command.requestId] = { command: name, result, fingerprint: fingerprint(name, command), actor: command.actor };
  next.answerOrder.push(command.requestId);
  while (next.answerOrder.length > ANSWERS_KEPT) delete next.answers[next.answerOrder.shift()!];
  return { ok: true, state: next, effects, answer: result, repeated: false };
}

/** Apply every automatic step due at `now` (epoch ms), in order: a command never sees a day whose steps have not run. */
export function advance(s: ContractState, now: number): { state: ContractState; effects: Effect[]; applied: number } {
  let step = nextStep(s);
  if (!step || stepDueAt(step) > now) return { state: s, effects: [], applied: 0 };
  const next = copy(s);
  const effects: Effect[] = [];
  let applied = 0;
  for (; step && stepDueAt(step) <= now; step = nextStep(next)) {
    effects.push(...applyStep(next, step, jstDateOf(now)));
    // Each step removes itself (a status, a flag or a date changes); a step that did not is a bug.
    if (++applied > 100) throw new Error(`contract ${s.contractId}: step ${step.kind} does not complete`);
  }
  return { state: next, effects, applied };
}

/** Art. 7: an application received opens a contract, pending approval, and the customer is told. */
export function receive(application: Application): { state: ContractState; effects: Effect[] } {
  const state = initialState(application);
  const effects = [notice(state, 'applicationReceived', state.appliedOn, 'application', { appliedOn: state.appliedOn, article: RULE.application })];
  return { state, effects };
}

/** The contract year on `today` (0 until the first anniversary of S, and while not yet approved). */
export function contractYearOn(s: ContractState, today: IsoDate): number {
  return s.startDate ? contractYear(s.startDate, today) : 0;
}

/** What became of one carried-out effect. */
export type EffectOutcome = { ok: true; invoiceNumber?: string } | { ok: false; reason: string };

/**
 * Record what the outside world did with a batch of effects: the ledger's invoice numbers, and the
 * effects it refused for good, which are kept for ops (`retryFailedEffects`), never dropped.
 */
export function recordOutcomes(s: ContractState, batch: readonly Effect[], outcomes: readonly EffectOutcome[], today: IsoDate): ContractState {
  if (outcomes.every((o) => o.ok && !o.invoiceNumber)) return s;
  const next = copy(s);
  batch.forEach((effect, i) => {
    const o = outcomes[i]!;
    if (!o.ok) next.failedEffects.push({ effect, reason: o.reason, on: today });
    else if (o.invoiceNumber && effect.type === 'issueInvoice') {
      const invoice = next.invoices.find((inv) => inv.period === effect.period);
      if (invoice) invoice.invoiceNumber = o.invoiceNumber;
    }
  });
  return next;
}

/** A Temporal cancellation request noted (an instant, ISO 8601): recorded and shown, the contract goes on. */
export function noteCancellationRequest(s: ContractState, at: string): ContractState {
  return { ...s, cancellationRequestedAt: at };
}
