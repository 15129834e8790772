/**
 * The audit trail on both engines: an attempt recorded before the command is sent, its outcome
 * once; the database itself refuses deleting, changing or deciding a row twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/activities';
import type { Actor } from '../../src/domain/actor';
import { TEST_DATABASE_URL, expectNonRetryable, pgliteEngine, postgresEngine, type LedgerEngine } from './support';

const CLERK: Actor = { id: 'u-clerk-1', role: 'clerk', via: 'console' };
const OPS: Actor = { id: 'ops:yamada', role: 'supervisor', via: 'cli' };

function auditSuite(engine: LedgerEngine) {
  let ledger: Ledger;
  let dispose: () => Promise<void>;
  const contract = `C-AUDIT-${engine.name}`;
  beforeAll(async () => {
    ({ ledger, dispose } = await engine.open());
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('records the attempt, then its outcome once; lists newest first, per contract', async () => {
    const a = await ledger.audit.attempt({
      actor: CLERK,
      contractId: contract,
      command: 'pay',
      requestId: 'p-1',
      details: { requestId: 'p-1', amount: 84_700 },
    });
    const b = await ledger.audit.attempt({ actor: OPS, contractId: contract, command: 'approve', requestId: 'a-1' });
    await ledger.audit.attempt({ actor: OPS, contractId: `${contract}-other`, command: 'approve', requestId: 'a-2' });
    expect((await ledger.audit.list({ contractId: contract }))[0]).toMatchObject({ id: b, outcome: 'pending', message: null, decidedAt: null });
    await ledger.audit.decide(a, 'accepted', 'payment of 84700 yen applied');
    await ledger.audit.decide(b, 'refused', 'approve refused (第8条 D-2): the 60-day window closed');
    await ledger.audit.decide(b, 'accepted', 'a second decision is not taken'); // only from pending
    const rows = await ledger.audit.list({ contractId: contract });
    expect(rows.map((r) => [r.id, r.actor, r.command, r.requestId, r.outcome, r.message])).toEqual([
      [b, OPS, 'approve', 'a-1', 'refused', 'approve refused (第8条 D-2): the 60-day window closed'],
      [a, CLERK, 'pay', 'p-1', 'accepted', 'payment of 84700 yen applied'],
    ]);
    expect(rows[1]!.details).toEqual({ requestId: 'p-1', amount: 84_700 });
    expect(rows[1]!.decidedAt).toEqual(expect.any(String));
    expect(await ledger.audit.list({ actorId: OPS.id })).toHaveLength(2);
  });

  it('reads every row of a contract page by page, none twice and none left out', async () => {
    const many = `${contract}-MANY`;
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await ledger.audit.attempt({ actor: CLERK, contractId: many, command: 'pay', requestId: `p-many-${i}` }));
    const all = await ledger.audit.every({ contractId: many }, 3); // pages of 3, 3 and 1
    expect(all.map((r) => r.id)).toEqual([...ids].reverse());
    expect(await ledger.audit.every({ contractId: many }, 7)).toHaveLength(7); // a full last page, then an empty one
  });

  it('is append-only whoever holds the database: no delete, no change, no truncate', async () => {
    const id = await ledger.audit.attempt({ actor: CLERK, contractId: contract, command: 'cancel', requestId: 'c-1' });
    await ledger.audit.decide(id, 'refused', 'too late');
    await expect(ledger.db.query('DELETE FROM audit_trail WHERE id = $1', [id])).rejects.toThrow(/append-only: row \d+ cannot be deleted/);
    await expect(ledger.db.query("UPDATE audit_trail SET outcome = 'accepted' WHERE id = $1", [id])).rejects.toThrow(
      /append-only: row \d+ is decided \(refused\)/,
    );
    const pending = await ledger.audit.attempt({ actor: CLERK, contractId: contract, command: 'pay', requestId: 'p-2' });
    await expect(ledger.db.query("UPDATE audit_trail SET actor_id = 'someone-else' WHERE id = $1", [pending])).rejects.toThrow(
      /only the outcome of row \d+ may be recorded/,
    );
    await expect(ledger.db.query('TRUNCATE audit_trail')).rejects.toThrow(/cannot be changed/);
    expect((await ledger.audit.list({ contractId: contract })).find((r) => r.id === id)).toMatchObject({ outcome: 'refused', actor: CLERK });
  });

  it('refuses an entry without a valid actor, naming the field', async () => {
    expect(
      await expectNonRetryable(
        ledger.audit.attempt({ actor: { id: '', role: 'clerk', via: 'console' }, contractId: contract, command: 'pay', requestId: 'x' }),
        'AuditRefused',
      ),
    ).toContain('actor');
    expect(
      await expectNonRetryable(
        ledger.audit.attempt({ actor: { id: 'u-1', role: 'boss' as never, via: 'console' }, contractId: contract, command: 'pay', requestId: 'x' }),
        'AuditRefused',
      ),
    ).toContain('role');
  });
}

describe('the audit trail on PGlite', () => auditSuite(pgliteEngine));
describe.runIf(Boolean(TEST_DATABASE_URL))('the audit trail on PostgreSQL (TEST_DATABASE_URL)', () => auditSuite(postgresEngine));
