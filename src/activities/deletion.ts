/**
 * Art. 30, D-8: after the contract ends, the customer's accounts, resources and stored data are deleted,
 * irreversibly; then the `dataDeleted` notice goes to the customer (the last use of the address); then the
 * ledger erases the contact details (the name stays on the billing records), the outbox's copies of the
 * contract's mails are deleted, and the ledger's files are compacted so no erased value lingers in them.
 * Each step is recorded or idempotent, so a retry (after a crash, a timeout, a cancellation between steps)
 * skips what is done and the record still lists everything deleted. A run after completion deletes nothing
 * and answers alreadyDeleted: true.
 */
import { z } from 'zod';
import { isIsoDate } from '../domain/calendar';
import { heartbeat, throwIfCancelled } from './context';
import { FAILURE_TYPES, nonRetryable, parseOrFail } from './errors';
import { DELETION_STEPS, type DeletionRecord, type DeletionStep, type Ledger } from './ledger/ledger';
import type { Mailer } from './mail/mailer';
import type { ResourceApi } from './resources';
import type { DeletionInput, NoticeInput } from '../workflows/contract/activities';

export type { DeletionInput as DeleteCustomerDataInput } from '../workflows/contract/activities';

const inputSchema = z
  .object({
    contractId: z.string().trim().min(1, 'must not be empty'),
    customerId: z.string().trim().min(1, 'must not be empty'),
    notice: z.object({ noticeId: z.string().min(1), kind: z.literal('dataDeleted', { error: 'the deletion sends the dataDeleted notice' }) }).passthrough(),
    lastContractDay: z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD'),
    deletionDay: z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD'),
  })
  .refine((i) => i.deletionDay > i.lastContractDay, {
    path: ['deletionDay'],
    message: 'deletion runs only after the last contract day (D-8)',
  });

const PREFIX: Record<DeletionStep, string> = { accounts: 'account', resources: 'resource', storedData: 'data' };
const CALL: Record<DeletionStep, keyof ResourceApi> = { accounts: 'deleteAccounts', resources: 'deleteResources', storedData: 'deleteStoredData' };

/** Everything a deletion record says was deleted, as `account:…`, `resource:…`, `data:…`, `ledger:…`. */
export function deletedItems(record: DeletionRecord): string[] {
  return [...DELETION_STEPS.flatMap((s) => (record[s] ?? []).map((item) => `${PREFIX[s]}:${item}`)), ...(record.ledgerContacts ?? [])];
}

export async function deleteCustomerData(
  deps: { ledger: Ledger; resources: ResourceApi; mailer: Mailer; sendNotice(notice: NoticeInput): Promise<unknown> },
  input: DeletionInput,
): Promise<{ deleted: string[]; alreadyDeleted: boolean }> {
  const { contractId, lastContractDay, deletionDay } = parseOrFail(inputSchema, input, FAILURE_TYPES.badDeletionRequest, 'deletion');
  if (input.notice.contractId !== contractId || input.notice.customerId !== input.customerId)
    throw nonRetryable(FAILURE_TYPES.badDeletionRequest, `the dataDeleted notice is for contract ${input.notice.contractId}, not ${contractId}`);
  const before = await deps.ledger.getDeletion(contractId);
  if (before && (before.lastContractDay !== lastContractDay || before.deletionDay !== deletionDay)) {
    throw nonRetryable(
      FAILURE_TYPES.badDeletionRequest,
      `the deletion of ${contractId} was started for last contract day ${before.lastContractDay} / deletion day ${before.deletionDay}, not ${lastContractDay} / ${deletionDay}`,
    );
  }
  if (before?.completedAt) return { deleted: deletedItems(before), alreadyDeleted: true };

  const record = before ?? (await deps.ledger.beginDeletion(contractId, lastContractDay, deletionDay));
  heartbeat({ contractId, step: 'started' });
  for (const step of DELETION_STEPS) {
    throwIfCancelled();
    if (record[step] !== null) continue; // done by an earlier attempt
    const deleted = await deps.resources[CALL[step]](contractId);
    await deps.ledger.recordDeletionStep(contractId, step, deleted);
    heartbeat({ contractId, step, count: deleted.length });
  }
  throwIfCancelled();
  // D-8: the customer is told while the address still exists; once per notice id, so a retry sends nothing twice.
  await deps.sendNotice(input.notice);
  heartbeat({ contractId, step: 'notice' });
  const stripped = await deps.ledger.eraseContacts(contractId);
  const mails = await deps.mailer.forget(contractId);
  await deps.ledger.compact();
  const done = await deps.ledger.completeDeletion(contractId, [...stripped, `outbox:${mails} mail(s) deleted`, 'ledger:files compacted']);
  heartbeat({ contractId, step: 'ledger', count: done.ledgerContacts?.length ?? 0 });
  return { deleted: deletedItems(done), alreadyDeleted: false };
}
