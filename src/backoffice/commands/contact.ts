/**
 * A contact change (第12条3項): the ledger keeps the contact (personal data stays out of the workflow
 * history), the contract learns only its new revision — so notices go to the latest contact (第12条4項).
 * The ledger first (idempotent by request id), then the contract's `changeContact` update (audited there).
 */
import type { Client } from '@temporalio/client';
import type { Actor } from '../../domain/actor';
import type { CommandResult } from '../../domain/contract';
import type { ContactChange } from '../../domain/validation';
import { audited, sendContractCommand } from '../command-path';
import type { LedgerAccess } from '../ledger-client';

/** The ledger did not record the change (`cause`: its refusal or failure): no contract was sent anything. */
export class ContactNotRecorded extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = new.target.name;
  }
}

export async function changeContact(
  deps: { client: Client; ledger: Pick<LedgerAccess, 'changeContact' | 'audit'> },
  cmd: { actor: Actor; contractId: string; requestId: string; change: ContactChange },
): Promise<CommandResult> {
  let revision: number;
  try {
    revision = (await deps.ledger.changeContact(cmd.requestId, cmd.contractId, cmd.change)).revision;
  } catch (err) {
    // The attempt is audited all the same, with the field names only (the values are personal data).
    const details = { fields: changedContactFields(cmd.change) };
    await audited(deps.ledger.audit, {
      actor: cmd.actor,
      contractId: cmd.contractId,
      command: 'changeContact',
      requestId: cmd.requestId,
      details,
      run: () => Promise.reject(err),
    }).catch(() => undefined);
    throw new ContactNotRecorded(err);
  }
  return sendContractCommand(
    { client: deps.client, audit: deps.ledger.audit },
    { actor: cmd.actor, contractId: cmd.contractId, name: 'changeContact', input: { requestId: cmd.requestId, contactRevision: revision } },
  );
}

/** The fields a contact change names (Art. 12-3): what the audit trail records, never their values. */
export function changedContactFields(change: Record<string, unknown>): string[] {
  return Object.keys(change).filter((k) => change[k] !== undefined);
}
