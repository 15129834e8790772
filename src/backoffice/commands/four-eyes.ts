/**
 * Four eyes (運用, the domain's `needsFourEyes`): a termination, a payment's reversal, and a charge, damages
 * or penalty above the contract's own threshold are not sent as themselves but as a request a second
 * supervisor approves. The threshold is the contract's (set at its start), so every edge asks it.
 */
import type { Client } from '@temporalio/client';
import { FOUR_EYES_ACTIONS, needsFourEyes, type Actor } from '../../domain/actor';
import type { CommandName } from '../../domain/validation';
import { stateQuery } from '../../workflows/contract/messages';

export type CommandInputOf = { requestId: string } & Record<string, unknown>;

export interface RoutedCommand {
  name: CommandName;
  input: CommandInputOf;
  /** Sent as `requestApproval` of the command asked for. */
  fourEyes: boolean;
}

/**
 * The command to send for `name` with its validated `input` (without its actor): itself, or a
 * `requestApproval` of it with `reason` under the same request id. The edge validates the request (its
 * schema names the reason when it is missing) and sends it through `sendContractCommand`.
 */
export async function routeFourEyes(
  client: Client,
  cmd: { actor: Actor; contractId: string; name: CommandName; input: CommandInputOf; reason: string | undefined },
): Promise<RoutedCommand> {
  if (!(FOUR_EYES_ACTIONS as readonly string[]).includes(cmd.name)) return { name: cmd.name, input: cmd.input, fourEyes: false };
  const { fourEyesThresholdYen } = await client.workflow.getHandle(cmd.contractId).query(stateQuery);
  if (!needsFourEyes(cmd.name, cmd.input, cmd.actor, fourEyesThresholdYen)) return { name: cmd.name, input: cmd.input, fourEyes: false };
  const { requestId, ...actionInput } = cmd.input;
  return { name: 'requestApproval', input: { requestId, action: cmd.name, input: actionInput, reason: cmd.reason }, fourEyes: true };
}
