/**
 * What a contract workflow accepts as its start, checked before anything happens: an application for this
 * very contract id (as the back office sends it), or the state its own continue-as-new carries. Anything
 * else — no input, a plaintext input the codec refused (operations.md#encryption), unknown fields (a
 * policy of its own: D-14 and D-29 are the domain's), another contract's id, a forged state — would act
 * as another contract, so it is refused non-retryably in the first workflow task, before any effect.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { receive, type ContractState, type Effect } from '../../domain/contract';
import { applicationDateVerdict } from '../../domain/lifecycle';
import type { IsoDate } from '../../domain/types';
import type { Application } from '../../domain/validation';
import { refusedPayloadOf } from '../refused-payload';
import { parseApplication } from './schemas';

export interface ContractInput {
  application: Application;
  /** Set by continue-as-new: the state and any effect not yet carried out. */
  carried?: { state: ContractState; effects: Effect[] };
}

/**
 * A start is refused, non-retryably and before any effect, unless it is what the CLI or the workflow itself
 * sends: an application for this very contract id, or a carried state from a continue-as-new of this
 * workflow. Anything else — no input, unknown fields, a forged state — would act as another contract.
 */
export function checkedStart(input: unknown, today: IsoDate): { state: ContractState; effects: Effect[] } {
  const { workflowId, continuedFromExecutionRunId } = workflowInfo();
  const refused = refusedPayloadOf(input);
  // Plaintext is never ours: failed for good. An input that fails authentication may be ours read with
  // the wrong key (a continue-as-new, an application): the task fails and is retried until the key is right.
  if (refused?.plaintext) throw refusedStart(`its input is ${refused.reason}`);
  if (refused) throw new Error(`contract start waits: its input is ${refused.reason} (NEUTRIX_CODEC_KEYS)`);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw refusedStart('expected { application } as the input');
  const { application, carried, ...unknown } = input as ContractInput;
  const extra = Object.keys(unknown);
  if (extra.length) throw refusedStart(`unknown input ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
  if (carried !== undefined) {
    if (!continuedFromExecutionRunId) throw refusedStart('a carried state comes only from a continue-as-new of this workflow');
    if (carried?.state?.contractId !== workflowId) throw refusedStart(`the carried state is not this workflow's (${workflowId})`);
    return { state: carried.state, effects: carried.effects ?? [] };
  }
  const app = validApplication(application);
  if (app.contractId !== workflowId)
    throw refusedStart(`the application is for ${app.contractId}, but this workflow is ${workflowId}: the workflow id is the contract id`);
  const dated = applicationDateVerdict(app.appliedOn, today);
  if (!dated.ok) throw refusedStart(`${dated.reason} (${dated.rule})`);
  return receive(app);
}

function refusedStart(why: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'InvalidStart', message: `contract start refused: ${why}`, nonRetryable: true });
}

/** A client that starts the workflow directly with a malformed application is refused before any notice. */
function validApplication(raw: unknown): Application {
  if (raw === undefined) throw refusedStart('expected { application } as the input');
  const checked = parseApplication(raw);
  if (!checked.ok)
    throw ApplicationFailure.create({ type: 'InvalidApplication', message: `application refused: ${checked.problems.join('; ')}`, nonRetryable: true });
  return checked.value;
}
