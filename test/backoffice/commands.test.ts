/**
 * The edge rules the console and the CLI share (src/backoffice/commands): four eyes by the domain's
 * thresholds (D-29), the same-amount guard, and the contact change (the ledger first, then the contract). A
 * stand-in for the Temporal client records what each asks the contract and sends it.
 */
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { changeContact, ContactNotRecorded } from '../../src/backoffice/commands/contact';
import { routeFourEyes } from '../../src/backoffice/commands/four-eyes';
import { sameAmountPayment } from '../../src/backoffice/commands/same-amount';
import { LedgerRefusal, type AuditAccess } from '../../src/backoffice/ledger-client';
import type { Actor } from '../../src/domain/actor';

const supervisor: Actor = { id: 'u-1', role: 'supervisor', via: 'console' };
const system: Actor = { id: 'system:billing-run', role: 'system', via: 'system' };

type Call = { kind: 'query' | 'update'; contractId: string; name: string; args?: unknown };

/** A client whose every contract answers `view` to its state query and `{ summary }` to an update. */
function stubClient(view: Record<string, unknown>, calls: Call[] = []): Client {
  return {
    workflow: {
      getHandle: (contractId: string) => ({
        query: async (q: { name: string }) => {
          calls.push({ kind: 'query', contractId, name: q.name });
          return view;
        },
        executeUpdate: async (u: { name: string }, opts: { args: unknown[] }) => {
          calls.push({ kind: 'update', contractId, name: u.name, args: opts.args[0] });
          return { summary: `${u.name} done` };
        },
      }),
    },
  } as unknown as Client;
}

function memoryAudit() {
  const rows: Array<{ command: string; requestId: string; details: unknown; outcome?: string; message?: string | null }> = [];
  const audit: AuditAccess = {
    attempt: async (a) => rows.push({ command: a.command, requestId: a.requestId, details: a.details }) - 1,
    decide: async (id, outcome, message) => void Object.assign(rows[id]!, { outcome, message }),
    list: async () => [],
  };
  return { rows, audit };
}

describe('four eyes (routeFourEyes)', () => {
  const clerk: Actor = { id: 'u-2', role: 'clerk', via: 'console' };

  it('sends a charge above the domain’s threshold (100,000 yen, D-29) as a request for approval, under the same request id; it asks the contract nothing', async () => {
    const calls: Call[] = [];
    // A contract answering a threshold of its own (as contracts once carried) changes nothing: the domain's holds.
    const client = stubClient({ fourEyesThresholdYen: 1e12 }, calls);
    const routed = await routeFourEyes(client, {
      actor: supervisor,
      contractId: 'C-1',
      name: 'charge',
      input: { requestId: 'r-1', description: 'extra work', amount: 100_001, taxable: true },
      reason: 'agreed with the customer',
    });
    expect(routed).toEqual({
      name: 'requestApproval',
      fourEyes: true,
      input: { requestId: 'r-1', action: 'charge', input: { description: 'extra work', amount: 100_001, taxable: true }, reason: 'agreed with the customer' },
    });
    expect(calls).toEqual([]);
  });

  it('sends a charge at or below the threshold, and a credit of the same size, as itself', async () => {
    const client = stubClient({ fourEyesThresholdYen: 0 });
    for (const amount of [100_000, -100_000]) {
      const routed = await routeFourEyes(client, {
        actor: supervisor,
        contractId: 'C-1',
        name: 'charge',
        input: { requestId: 'r-2', description: 'x', amount },
        reason: undefined,
      });
      expect(routed).toMatchObject({ name: 'charge', fourEyes: false });
    }
  });

  it('always asks for a termination or a reversal; the system never does', async () => {
    const client = stubClient({});
    const cause = await routeFourEyes(client, {
      actor: supervisor,
      contractId: 'C-1',
      name: 'terminateForCause',
      input: { requestId: 'r-3' },
      reason: 'unpaid',
    });
    expect(cause).toMatchObject({ name: 'requestApproval', fourEyes: true, input: { action: 'terminateForCause', reason: 'unpaid' } });
    const bySystem = await routeFourEyes(client, {
      actor: system,
      contractId: 'C-1',
      name: 'reversePayment',
      input: { requestId: 'r-4', paymentRequestId: 'p-1', reason: 'bounced' },
      reason: undefined,
    });
    expect(bySystem).toMatchObject({ name: 'reversePayment', fourEyes: false });
  });

  it('sends a payment up to 10,000,000 yen as itself, a larger one as a request with its size as the reason (D-29)', async () => {
    const calls: Call[] = [];
    const client = stubClient({}, calls);
    const small = await routeFourEyes(client, {
      actor: clerk,
      contractId: 'C-1',
      name: 'pay',
      input: { requestId: 'r-5', amount: 10_000_000 },
      reason: undefined,
    });
    expect(small).toEqual({ name: 'pay', fourEyes: false, input: { requestId: 'r-5', amount: 10_000_000 } });
    const large = await routeFourEyes(client, {
      actor: clerk,
      contractId: 'C-1',
      name: 'pay',
      input: { requestId: 'r-6', amount: 999_999_999, paidOn: '2026-08-03' },
      reason: undefined,
    });
    expect(large).toEqual({
      name: 'requestApproval',
      fourEyes: true,
      input: { requestId: 'r-6', action: 'pay', input: { amount: 999_999_999, paidOn: '2026-08-03' }, reason: 'a payment above 10,000,000 yen (D-29)' },
    });
    expect(calls).toEqual([]);
  });
});

describe('the same-amount guard (sameAmountPayment)', () => {
  const payment = (requestId: string, paidOn: string, amount: number, reversed: { on: string; reason: string } | null = null) => ({
    paymentId: `C-1:${requestId}`,
    requestId,
    paidOn,
    amount,
    settled: [],
    damages: [],
    reversed,
  });
  const client = stubClient({
    payments: [
      payment('p-old', '2026-05-01', 84_700),
      payment('p-1', '2026-06-10', 84_700),
      payment('p-2', '2026-06-11', 5_000, { on: '2026-06-12', reason: 'bounced' }),
    ],
  });

  it('finds a payment of the same amount within 7 days either side', async () => {
    expect(await sameAmountPayment(client, { contractId: 'C-1', amount: 84_700, paidOn: '2026-06-17' })).toMatchObject({ requestId: 'p-1' });
    expect(await sameAmountPayment(client, { contractId: 'C-1', amount: 84_700, paidOn: '2026-06-03' })).toMatchObject({ requestId: 'p-1' });
  });

  it('finds none further away, of another amount, or reversed', async () => {
    expect(await sameAmountPayment(client, { contractId: 'C-1', amount: 84_700, paidOn: '2026-06-18' })).toBeUndefined();
    expect(await sameAmountPayment(client, { contractId: 'C-1', amount: 84_701, paidOn: '2026-06-10' })).toBeUndefined();
    expect(await sameAmountPayment(client, { contractId: 'C-1', amount: 5_000, paidOn: '2026-06-11' })).toBeUndefined();
  });

  it('takes the same request id again for a retry of that payment, not a repeat', async () => {
    expect(await sameAmountPayment(client, { contractId: 'C-1', amount: 84_700, paidOn: '2026-06-10', requestId: 'p-1' })).toBeUndefined();
    expect(await sameAmountPayment(client, { contractId: 'C-1', amount: 84_700, paidOn: '2026-06-10', requestId: 'p-9' })).toMatchObject({ requestId: 'p-1' });
  });
});

describe('the contact change (changeContact)', () => {
  const change = { email: 'new@example.jp', phone: '06-0000-0000' };

  it('writes the ledger first, then sends the contract only the new revision, audited', async () => {
    const calls: Call[] = [];
    const { rows, audit } = memoryAudit();
    const ledger = {
      audit,
      changeContact: async (requestId: string, contractId: string) => {
        calls.push({ kind: 'query', contractId, name: `ledger:${requestId}` });
        return { customerId: 'cus-1', revision: 3, alreadyChanged: false };
      },
    };
    const result = await changeContact({ client: stubClient({}, calls), ledger }, { actor: supervisor, contractId: 'C-1', requestId: 'contact-1', change });
    expect(result).toEqual({ summary: 'changeContact done' });
    expect(calls.map((c) => c.name)).toEqual(['ledger:contact-1', 'changeContact']);
    expect(calls[1]!.args).toEqual({ requestId: 'contact-1', contactRevision: 3, actor: supervisor });
    expect(rows).toEqual([
      {
        command: 'changeContact',
        requestId: 'contact-1',
        details: { requestId: 'contact-1', contactRevision: 3 },
        outcome: 'accepted',
        message: 'changeContact done',
      },
    ]);
  });

  it('sends nothing when the ledger refuses, and audits the attempt with the field names only', async () => {
    const calls: Call[] = [];
    const { rows, audit } = memoryAudit();
    const ledger = {
      audit,
      changeContact: async () => {
        throw new LedgerRefusal('email: not an address');
      },
    };
    const err = await changeContact({ client: stubClient({}, calls), ledger }, { actor: supervisor, contractId: 'C-1', requestId: 'contact-2', change }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ContactNotRecorded);
    expect((err as ContactNotRecorded).cause).toBeInstanceOf(LedgerRefusal);
    expect(calls).toEqual([]);
    expect(rows).toEqual([
      { command: 'changeContact', requestId: 'contact-2', details: { fields: ['email', 'phone'] }, outcome: 'refused', message: 'email: not an address' },
    ]);
  });
});
