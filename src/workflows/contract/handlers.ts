/**
 * The contract's message handlers: one validated update per back-office command (a refusal names its rule
 * and changes nothing), and the read-only queries. The workflow (workflow.ts) owns the state; a handler
 * reaches it through `ContractHandle`.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, log, setDefaultSignalHandler, setHandler } from '@temporalio/workflow';
import {
  advance,
  check,
  contractView,
  decide,
  ENDING_COMMANDS,
  previewEnding,
  previewProviderAction,
  quoteCancellation,
  type CommandResult,
  type ContractState,
  type Effect,
  type Refusal,
  type WaitingEffects,
} from '../../domain/contract';
import { isIsoDate, jstDateOf } from '../../domain/calendar';
import { MAX_COMMAND_BYTES, sizeOver } from '../../domain/command-size';
import { providerActionShapeProblem } from '../../domain/provider-actions';
import { RULE } from '../../domain/rules';
import type { IsoDate } from '../../domain/types';
import { COMMAND_NAMES, type Command, type CommandName } from '../../domain/validation';
import { AWAITS_DELIVERY, type Deliveries } from './delivery';
import { commandUpdate, previewEndingQuery, previewProviderActionQuery, quoteCancellationQuery, stateQuery } from './messages';
import { refusedPayloadOf } from '../refused-payload';
import { parseCommand } from './schemas';

/** What the handlers see of the running contract. */
export interface ContractHandle {
  state(): ContractState;
  now(): number;
  today(): IsoDate;
  /** Run the automatic steps already due: a command never sees a day whose steps have not run. */
  catchUp(): void;
  commit(next: ContractState, produced: Effect[]): void;
  deliveries: Deliveries;
  pendingEffects(): number;
  waiting(): WaitingEffects | null;
}

/** Every command as an update; a signal, which cannot be refused, is logged and dropped. */
export function acceptCommands(c: ContractHandle): void {
  for (const name of COMMAND_NAMES) acceptCommand(c, name);
  setDefaultSignalHandler((signalName) => log.warn('signal ignored: contracts take commands as updates', { contractId: c.state().contractId, signalName }));
}

function acceptCommand<N extends CommandName>(c: ContractHandle, name: N): void {
  // What arrives is whatever a client sent: it is parsed here, so the handler takes it as unknown.
  const update: UpdateDefinition<CommandResult, [unknown], string> = commandUpdate(name);
  setHandler(
    update,
    async (raw) => {
      c.catchUp();
      // Past the validator, a refused payload is a command accepted before that this worker cannot read (a
      // replay with a wrong key): the task fails and is retried, rather than answer it otherwise.
      const unreadable = refusedPayloadOf(raw);
      if (unreadable) throw new Error(`${name}: ${unreadable.reason} (NEUTRIX_CODEC_KEYS)`);
      const cmd = parsed(name, raw);
      const s = c.state();
      const d = decide(s, name, cmd, c.today());
      // The JSON log line ops search by: the contract, the command, its request id and who asked.
      const about = { contractId: s.contractId, command: name, requestId: cmd.requestId, actor: cmd.actor.id };
      if (!d.ok) {
        log.info('command refused', { ...about, rule: d.refusal.rule });
        throw refused(name, d.refusal);
      }
      log.info(d.repeated ? 'command repeated' : 'command accepted', about);
      if (!AWAITS_DELIVERY.has(name)) {
        if (!d.repeated) c.commit(d.state, d.effects);
        return d.answer;
      }
      // A repeat is answered as it was, and says so: the billing run counts it as already billed.
      if (d.repeated) return { ...d.answer, repeated: true };
      c.commit(d.state, d.effects);
      if (d.effects.length === 0) return d.answer;
      return { ...d.answer, delivery: await c.deliveries.of(d.effects) };
    },
    {
      // Synchronous and pure: checked against the state as it will be once the due steps have run.
      validator: (raw) => {
        // First and cheaply: an oversized command accepted into the history fails every workflow task after.
        const size = sizeOver(raw);
        if (size !== null)
          throw ApplicationFailure.create({
            type: 'InvalidCommand',
            message: `${name}: the command is larger than ${MAX_COMMAND_BYTES} bytes (over ${size} counted); commands are small`,
            nonRetryable: true,
          });
        const refusal = check(advance(c.state(), c.now()).state, name, parsed(name, raw), c.today());
        if (refusal) throw refused(name, refusal);
      },
      description: `Back-office command ${name}; refused with the rule and the reason, changing nothing`,
    },
  );
}

/** The queries: the contract at a glance, a provider action's dry run, a cancellation's quote. */
export function answerQueries(c: ContractHandle): void {
  setHandler(stateQuery, () => contractView(c.state(), c.today(), c.pendingEffects(), c.waiting()), { description: 'The contract at a glance' });
  setHandler(
    previewProviderActionQuery,
    (action, at) => {
      // A query sees the workflow's clock as of its last task (days old for an idle contract): the caller says when.
      // Read-only, no schema (zod defines properties lazily, which a query's frozen context refuses): the
      // providerAction run parsed the action at its start; here it is held to the run's own shape check.
      const shape = providerActionShapeProblem(action);
      if (shape) throw new Error(`expected a provider action: ${shape}`);
      if (!Number.isFinite(at)) throw new Error('expected the moment to preview at (epoch ms)');
      return previewProviderAction(advance(c.state(), at).state, action, jstDateOf(at));
    },
    { description: "What a provider-wide action (Art. 4, 5, 17) would do to this contract today, without doing it (the bulk run's dry run)" },
  );
  setHandler(
    previewEndingQuery,
    (command, input, at) => {
      // No schema here either (see above): the few fields an ending takes, checked by hand.
      if (!(ENDING_COMMANDS as readonly string[]).includes(command)) throw new Error(`expected one of ${ENDING_COMMANDS.join(', ')}`);
      if (!Number.isFinite(at)) throw new Error('expected the moment to preview at (epoch ms)');
      const endDate = input?.endDate;
      if ((command === 'cancel' || command === 'terminateForConvenience') && (typeof endDate !== 'string' || !isIsoDate(endDate)))
        throw new Error('endDate: expected a date YYYY-MM-DD');
      if (command === 'declineRenewal' && input?.by !== 'customer' && input?.by !== 'provider') throw new Error('by: expected customer or provider');
      const own = command === 'declineRenewal' ? { by: input.by } : command === 'cancel' || command === 'terminateForConvenience' ? { endDate } : {};
      return previewEnding(advance(c.state(), at).state, command, own, jstDateOf(at));
    },
    { description: 'What an irreversible step would fix (last day, ETF, compensation, what is owed at the end), without doing it' },
  );
  setHandler(quoteCancellationQuery, (endDay) => quoteCancellation(c.state(), endDay, c.today()), {
    description: `${RULE.cancellation}: could the customer end on this day with notice given today, and at what early termination fee`,
  });
}

/** The command as the decider takes it, or an InvalidCommand failure naming each field and reason. */
function parsed<N extends CommandName>(name: N, raw: unknown): Command<N> {
  // A command the codec refused (not encrypted by our clients, operations.md#encryption): rejected by the
  // validator, leaving no trace.
  const refused = refusedPayloadOf(raw);
  if (refused) throw ApplicationFailure.create({ type: 'RefusedPayload', message: `${name} refused: ${refused.reason}`, nonRetryable: true });
  const p = parseCommand(name, raw);
  if (!p.ok) throw ApplicationFailure.create({ type: 'InvalidCommand', message: `${name}: ${p.problems.join('; ')}`, nonRetryable: true });
  return p.value;
}

function refused(name: CommandName, r: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: 'Refused', message: `${name} refused (${r.rule}): ${r.message}`, nonRetryable: true, details: [r] });
}
