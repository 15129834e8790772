/**
 * The command path (docs/architecture.md): an edge (the console, the CLI) has validated the input; here the
 * attempt goes to the audit trail, the contract's Update carries the actor, and the outcome — accepted,
 * refused with the contract's message, or failed — is recorded once. A refused command changes nothing
 * but its audit row.
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '../domain/actor';
import { MAX_COMMAND_BYTES } from '../domain/command-size';
import type { CommandResult, Refusal } from '../domain/contract';
import { fingerprint } from '../domain/contract/fingerprint';
import type { CommandName } from '../domain/validation';
import { commandUpdate } from '../workflows/contract/messages';
import { LedgerRefusal, type AuditAccess } from './ledger-client';

/**
 * A start or request the back office refused before anything ran (a billing run, a provider-wide action):
 * the field and the reason; exit status 3 in the CLI, like a contract's refusal.
 */
export class EdgeRefusal extends Error {
  readonly exitCode = 3;
  constructor(
    readonly field: string,
    readonly reason: string,
    /** The contract's rule, code and facts when the domain refused: each screen words it in its language. */
    readonly refusal?: Refusal,
  ) {
    super(`${field}: ${reason}`);
    this.name = new.target.name;
  }
}

/** A request id as the back office accepts it; the one check every audited start makes first. */
export function checkRequestId(requestId: string, refuse: (field: string, reason: string) => EdgeRefusal): void {
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(requestId)) throw refuse('requestId', '1–128 letters, digits, or . _ : -');
}

export interface AuditedAction<T> {
  actor: Actor;
  contractId: string | null;
  command: string;
  requestId: string;
  details?: Record<string, unknown>;
  run(): Promise<T>;
  /** The summary to record when it was accepted. */
  summary?(result: T): string;
}

/** A refusal by the contract (its validator), of the input, or by the ledger: the command changed nothing. */
export function isRefusal(err: unknown): boolean {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof LedgerRefusal || (cause as { exitCode?: number } | null)?.exitCode === 3) return true;
  return cause instanceof ApplicationFailure && (cause.type === 'Refused' || cause.type === 'InvalidCommand');
}

/** The message of a refusal or failure: the contract's own words when an Update was refused. */
export function messageOf(err: unknown): string {
  const cause = err instanceof WorkflowUpdateFailedError ? (err.cause ?? err) : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Runs `action.run` between its audit attempt and its outcome. */
export async function audited<T>(audit: Pick<AuditAccess, 'attempt' | 'decide'>, action: AuditedAction<T>): Promise<T> {
  const id = await audit.attempt({
    actor: action.actor,
    contractId: action.contractId,
    command: action.command,
    requestId: action.requestId,
    details: action.details ?? {},
  });
  let result: T;
  try {
    result = await action.run();
  } catch (err) {
    await audit.decide(id, isRefusal(err) ? 'refused' : 'failed', messageOf(err));
    throw err;
  }
  await audit.decide(id, 'accepted', action.summary?.(result) ?? null);
  return result;
}

/** One command to one contract, as `actor`, audited. `input` is the validated command without its actor. */
export function sendContractCommand(
  deps: { client: Client; audit: AuditAccess },
  cmd: { actor: Actor; contractId: string; name: CommandName; input: { requestId: string } & Record<string, unknown>; source?: Record<string, unknown> },
): Promise<CommandResult> {
  const args = { ...cmd.input, actor: cmd.actor };
  // The size the payload converter will encode: refused here, audited without its content, never sent.
  const bytes = Buffer.byteLength(JSON.stringify(args), 'utf8');
  if (bytes > MAX_COMMAND_BYTES)
    return audited(deps.audit, {
      actor: cmd.actor,
      contractId: cmd.contractId,
      command: cmd.name,
      requestId: cmd.input.requestId.slice(0, 128),
      details: { bytes },
      run: () => Promise.reject(new EdgeRefusal('command', `${bytes} bytes is larger than the ${MAX_COMMAND_BYTES} bytes a command may be; nothing was sent`)),
    });
  return audited(deps.audit, {
    actor: cmd.actor,
    contractId: cmd.contractId,
    command: cmd.name,
    requestId: cmd.input.requestId,
    details: cmd.source ? { ...cmd.input, source: cmd.source } : cmd.input,
    // The contract de-duplicates by request id; the update id lets the server answer an identical repeat
    // directly — and carries the content's fingerprint, so a reused request id with other content still
    // reaches the contract's validator and is refused there, not answered with the first result.
    run: () =>
      deps.client.workflow
        .getHandle(cmd.contractId)
        .executeUpdate(commandUpdate(cmd.name), { args: [args as never], updateId: `${cmd.name}:${cmd.input.requestId}:${fingerprint(cmd.name, args)}` }),
    summary: (r) => r.summary,
  });
}
