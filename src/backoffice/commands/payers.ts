/**
 * What identifies a customer's money (issue 29): a payer name added, the 振込依頼人コード or the virtual
 * account set or cleared — by a clerk or above, audited with the person (no contract: the customer's id in
 * the details). A value the ledger refuses names its field and changes nothing.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Ledger } from '../../activities';
import type { Actor } from '../../domain/actor';
import { PAYER_CHANGE, perLang, V, type Lang, type Words } from '../../domain/messages';
import { audited, checkRequestId, EdgeRefusal } from '../command-path';
import type { AuditAccess } from '../ledger-client';

export type PayerChange = { field: 'payerName'; name: string } | { field: 'payerCode' | 'virtualAccount'; value: string | null };

/** The forms' and the API's checks, before the ledger's own. */
function payerFields(lang: Lang) {
  return {
    payerNameField: z.string().trim().min(1, V.payerName()[lang]).max(48, V.atMostChars(48)[lang]),
    payerCodeField: z
      .string({ error: V.digitsOrClear(10)[lang] })
      .regex(/^[0-9]{10}$/, { message: V.payerCode()[lang] })
      .nullable(),
    virtualAccountField: z
      .string({ error: V.digitsOrClear(7)[lang] })
      .regex(/^[0-9]{7}$/, { message: V.virtualAccount()[lang] })
      .nullable(),
  };
}
/** The fields with their messages in `lang`: English for the API, the reader's in the console. */
export const payerFieldsIn = perLang(payerFields);
export const { payerNameField, payerCodeField, virtualAccountField } = payerFieldsIn('en');

export const PAYER_COMMANDS = { payerName: 'addPayerName', payerCode: 'setPayerCode', virtualAccount: 'setVirtualAccount' } as const;

/** The customer is not on record. */
export class CustomerNotFound extends Error {}

/** The ledger's `field: reason` refusal as the back office's: the field named, nothing changed. */
function asRefusal(err: unknown, field: string): unknown {
  if (!(err instanceof ApplicationFailure && err.nonRetryable)) return err;
  const m = /^([A-Za-z]+): (.*)$/s.exec(err.message);
  return m ? new EdgeRefusal(m[1]!, m[2]!) : new EdgeRefusal(field, err.message);
}

export async function changePayer(
  deps: { ledger: Ledger; audit: Pick<AuditAccess, 'attempt' | 'decide'>; virtualAccountRange: string },
  cmd: { actor: Actor; customerId: string; requestId: string; change: PayerChange },
): Promise<{ customerId: string; summary: string; words: Words }> {
  checkRequestId(cmd.requestId, (field, reason) => new EdgeRefusal(field, reason));
  const [first, last] = deps.virtualAccountRange.split('-') as [string, string];
  if (cmd.change.field === 'virtualAccount' && cmd.change.value !== null && (cmd.change.value < first || cmd.change.value > last))
    throw new EdgeRefusal('virtualAccount', `${cmd.change.value} is not one of the provider's virtual accounts (${first}–${last}, VIRTUAL_ACCOUNT_RANGE)`);
  if (!(await deps.ledger.payers.profile(cmd.customerId))) throw new CustomerNotFound(`no customer ${cmd.customerId}`);
  const c = cmd.change;
  // The code and the account are the bank's numbers, kept in the row; a name may be a person's: its field only.
  const details = c.field === 'payerName' ? { customerId: cmd.customerId, field: c.field } : { customerId: cmd.customerId, field: c.field, value: c.value };
  return audited(deps.audit, {
    actor: cmd.actor,
    contractId: null,
    command: PAYER_COMMANDS[c.field],
    requestId: cmd.requestId,
    details,
    run: async () => {
      try {
        if (c.field === 'payerName') {
          const r = await deps.ledger.payers.addPayerName(cmd.customerId, c.name, cmd.actor.id);
          const words = (r.added ? PAYER_CHANGE.nameAdded : PAYER_CHANGE.nameKnown)(r.matchKey);
          return { customerId: cmd.customerId, summary: words.en, words };
        }
        await deps.ledger.payers.setKey(cmd.customerId, c.field, c.value);
        const words = c.value === null ? PAYER_CHANGE[`${c.field}Cleared`]() : PAYER_CHANGE[`${c.field}Set`](c.value);
        return { customerId: cmd.customerId, summary: words.en, words };
      } catch (err) {
        throw asRefusal(err, c.field);
      }
    },
    summary: (r) => r.summary,
  });
}
