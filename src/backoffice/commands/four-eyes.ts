/**
 * Four eyes (運用, the domain's `needsFourEyes`): a termination, a payment's reversal, a charge, damages or
 * penalty above the domain's threshold, and a payment above its own (D-29) are not sent as themselves but
 * as a request a second supervisor approves. The thresholds are the domain's: nothing to ask the contract.
 */
import type { Client } from '@temporalio/client';
import { FOUR_EYES_ACTIONS, needsFourEyes, PAYMENT_FOUR_EYES_THRESHOLD_YEN, type Actor } from '../../domain/actor';
import type { CommandName } from '../../domain/validation';

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
  // Kept for the edges that pass it: the thresholds no longer come from the contract (D-29).
  _client: Client,
  cmd: { actor: Actor; contractId: string; name: CommandName; input: CommandInputOf; reason: string | undefined },
): Promise<RoutedCommand> {
  if (!(FOUR_EYES_ACTIONS as readonly string[]).includes(cmd.name)) return { name: cmd.name, input: cmd.input, fourEyes: false };
  if (!needsFourEyes(cmd.name, cmd.input, cmd.actor)) return { name: cmd.name, input: cmd.input, fourEyes: false };
  const { requestId, ...actionInput } = cmd.input;
  // A payment form asks no reason: its size is the reason (D-29).
  const reason = cmd.reason ?? (cmd.name === 'pay' ? `a payment above ${PAYMENT_FOUR_EYES_THRESHOLD_YEN.toLocaleString('en-US')} yen (D-29)` : undefined);
  return { name: 'requestApproval', input: { requestId, action: cmd.name, input: actionInput, reason }, fourEyes: true };
}
