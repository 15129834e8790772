/**
 * One contract command as every door sends it (the console, the HTTP API and so the CLI): the input checked
 * with the domain's schema (each problem names the field), the edge's own guards (the same amount paid again
 * within days), four eyes routed by the contract's threshold, then the audited Update. One function, so
 * the edge rules hold the same whichever door a person uses.
 */
import type { Client } from '@temporalio/client';
import type { Actor } from '../../domain/actor';
import type { CommandResult } from '../../domain/contract';
import type { IsoDate } from '../../domain/types';
import { fourEyesWords, V, type Lang } from '../../domain/messages';
import { parseWith, schemasIn, type CommandName } from '../../domain/validation';
import { sendContractCommand } from '../command-path';
import type { OnApprovalAsked } from '../approval-mail';
import type { AuditAccess } from '../ledger-client';
import { routeFourEyes } from './four-eyes';
import { sameAmountPayment, type EarlierPayment } from './same-amount';

/** The input is not a valid command: one `field: reason` per problem; nothing was sent. */
export class InvalidCommand extends Error {
  readonly exitCode = 2;
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = new.target.name;
  }
}

/** A payment of the same amount came within days: asked about before a second one is recorded (nothing was sent). */
export class SameAmountPaid extends Error {
  readonly exitCode = 3;
  constructor(readonly earlier: EarlierPayment) {
    super(
      `a payment of ${earlier.amount} yen was recorded on ${earlier.paidOn} (request id ${earlier.requestId}); if this is another payment, send it again marked as another payment of the same amount`,
    );
    this.name = new.target.name;
  }
}

export interface ContractCommand {
  actor: Actor;
  contractId: string;
  name: CommandName;
  /** The command's fields as given, with its request id, without the actor (the door sets it). */
  input: { requestId: string } & Record<string, unknown>;
  /** For a step that needs four eyes: why it is asked for. */
  reason?: string;
  /** `pay` only: the clerk confirmed that this is another payment of the same amount. */
  sameAmountOk?: boolean;
  /** Japan's calendar date now (a payment without its day is today's). */
  today: IsoDate;
  /** The language of the input's problems (InvalidCommand): the reader's; English unless given. */
  lang?: Lang;
  /** Where the command came from, for the audit row (a bank line's file and record). */
  source?: Record<string, unknown>;
}

export interface SentCommand {
  /** What was sent: the command itself, or `requestApproval` of it (four eyes). */
  command: CommandName;
  fourEyes: boolean;
  result: CommandResult;
}

export interface CommandDeps {
  client: Client;
  audit: AuditAccess;
  /** Told once a four-eyes request is recorded (the supervisors' mail); never awaited by the command. */
  onApprovalAsked?: OnApprovalAsked | undefined;
}

export async function sendCommand(deps: CommandDeps, cmd: ContractCommand): Promise<SentCommand> {
  const { actor, contractId, name } = cmd;
  const lang = cmd.lang ?? 'en';
  const { commands } = schemasIn(lang);
  const parsed = parseWith(commands[name], { ...cmd.input, actor }, '', lang);
  if (!parsed.ok) throw new InvalidCommand(parsed.problems);
  const { actor: _actor, ...input } = parsed.value as { actor: Actor; requestId: string } & Record<string, unknown>;
  if (name === 'pay' && !cmd.sameAmountOk) {
    const earlier = await sameAmountPayment(deps.client, {
      contractId,
      amount: input.amount as number,
      paidOn: (input.paidOn as IsoDate | undefined) ?? cmd.today,
      requestId: input.requestId,
    });
    if (earlier) throw new SameAmountPaid(earlier);
  }
  const routed = await routeFourEyes(deps.client, { actor, contractId, name, input, reason: cmd.reason });
  let sent = routed.input;
  if (routed.fourEyes) {
    if (!cmd.reason?.trim()) throw new InvalidCommand([V.needsReason(name, fourEyesWords(name))[lang]]);
    const request = parseWith(commands.requestApproval, { ...routed.input, actor }, '', lang);
    if (!request.ok) throw new InvalidCommand(request.problems);
    const { actor: _a, ...rest } = request.value as { actor: Actor; requestId: string } & Record<string, unknown>;
    sent = rest;
  }
  const result = await sendContractCommand(deps, { actor, contractId, name: routed.name, input: sent, source: cmd.source });
  if (routed.fourEyes && deps.onApprovalAsked) {
    const expiresOn = (result as { expiresOn?: unknown }).expiresOn;
    void deps
      .onApprovalAsked({
        contractId,
        requestId: input.requestId,
        action: name,
        input: routed.input.input as Record<string, unknown>,
        actor,
        expiresOn: typeof expiresOn === 'string' ? expiresOn : undefined,
      })
      .catch((err: Error) => console.error(`four-eyes mail for ${input.requestId}: ${err.message}`));
  }
  return { command: routed.name, fourEyes: routed.fourEyes, result };
}
