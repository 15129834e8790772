// Issue 28 (7): a 3 MB update put a contract into failing workflow tasks for ~20 s and a real payment
// sent then failed. An oversized command is refused by the command path (audited, never sent) and, from a
// raw client, by the contract's validator before it is accepted; a payment right after goes through.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeRefusal, sendContractCommand } from '../../src/backoffice/command-path';
import { ledgerAccessOf } from '../../src/backoffice/ledger-client';
import { MAX_COMMAND_BYTES, sizeOver } from '../../src/domain/command-size';
import { jstDateOf } from '../../src/domain/calendar';
import { commandUpdate, stateQuery } from '../../src/workflows/contract/messages';
import { startE2e, type E2e } from '../e2e/harness';

const clerk = { id: 'p-clerk', role: 'clerk', via: 'console' } as const;
const THREE_MB = 'x'.repeat(3 * 1024 * 1024);

describe('sizeOver', () => {
  it('counts JSON bytes (UTF-8) up to the limit and stops past it', () => {
    expect(sizeOver({ requestId: 'r-1', amount: 10_000 })).toBeNull();
    expect(sizeOver({ a: 'é'.repeat(100) }, 150)).toBeGreaterThan(150); // 200 bytes in UTF-8, 100 characters
    expect(sizeOver({ a: 'é'.repeat(60) }, 150)).toBeNull();
    expect(sizeOver({ note: THREE_MB })).toBeGreaterThan(MAX_COMMAND_BYTES);
    expect(sizeOver(new Array(1_000_000).fill(0))).toBeGreaterThan(MAX_COMMAND_BYTES);
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
    expect(sizeOver(wide)).toBeGreaterThan(MAX_COMMAND_BYTES);
    // Never far below what the payload converter encodes.
    const real = { requestId: 'r-2', reason: '株式会社サンプル'.repeat(20), lines: [1, 2, 3] };
    const bytes = Buffer.byteLength(JSON.stringify(real));
    expect([sizeOver(real, Math.floor(bytes * 0.9)), sizeOver(real, Math.ceil(bytes * 1.1))]).toEqual([expect.any(Number), null]);
  });
});

describe('an oversized command on the dev server', () => {
  let e: E2e;
  const id = 'C-BIG-1';
  beforeAll(async () => {
    e = await startE2e();
    const common = ['--email', 'keiri@example.co.jp', '--plan', 'standard', '--linux', '1'];
    expect((await e.cli(['apply', id, '--name', '巨大株式会社', ...common])).code).toBe(0);
    expect((await e.cli(['approve', id, '--start-date', jstDateOf(Date.now())])).code).toBe(0);
  }, 120_000);
  afterAll(() => e?.teardown());

  const updatesIn = async () =>
    ((await e.env.client.workflow.getHandle(id).fetchHistory()).events ?? []).filter((ev) => ev.workflowExecutionUpdateAcceptedEventAttributes).length;

  it('is refused by the command path with its size, audited as refused without its content, and never sent', async () => {
    const audit = ledgerAccessOf(e.deps.ledger).audit;
    const accepted = await updatesIn();
    const sent = sendContractCommand(
      { client: e.env.client, audit },
      { actor: clerk, contractId: id, name: 'pay', input: { requestId: 'pay-big', amount: 10_000, paidOn: THREE_MB } },
    );
    await expect(sent).rejects.toBeInstanceOf(EdgeRefusal);
    await expect(sent).rejects.toThrow(/^command: 314\d{4} bytes is larger than the 65536 bytes a command may be/);
    const row = (await e.deps.ledger.audit.list({ contractId: id })).find((a) => a.requestId === 'pay-big');
    expect(row).toMatchObject({ outcome: 'refused', command: 'pay', details: { bytes: expect.any(Number) } });
    expect(JSON.stringify(row).length).toBeLessThan(2_000);
    expect(await updatesIn()).toBe(accepted);
  });

  it('is refused by the contract itself from a raw client, before it is accepted; a real payment right after goes through', async () => {
    // A command the schema allows (up to 10,000 components) but far larger than any real one: ~100 KB.
    const handle = e.env.client.workflow.getHandle(id);
    const accepted = await updatesIn();
    const components = Array.from({ length: 6_000 }, () => ({ os: 'linux' }));
    const t0 = Date.now();
    const err = await handle
      .executeUpdate(commandUpdate('requestChange'), { args: [{ requestId: 'raw-big', components, actor: clerk } as never] })
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err as WorkflowUpdateFailedError).cause?.message).toMatch(/^requestChange: the command is larger than 65536 bytes/);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await updatesIn()).toBe(accepted);
    expect((await handle.query(stateQuery)).pendingChange).toBeNull();

    const audit = ledgerAccessOf(e.deps.ledger).audit;
    const t1 = Date.now();
    const paid = await sendContractCommand(
      { client: e.env.client, audit },
      { actor: clerk, contractId: id, name: 'pay', input: { requestId: 'pay-real', amount: 10_000 } },
    );
    expect(paid.summary).toMatch(/^payment of 10000 yen applied/);
    expect(Date.now() - t1).toBeLessThan(5_000);
    expect(await updatesIn()).toBe(accepted + 1);
  }, 60_000);
});
