/**
 * The ledger's local service (the CLI's way to the customer master): a Unix socket only its owner may
 * open, the ledger's answers and refusals carried over it, and a clear error when the system is down.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInMemoryLedger, type Ledger } from '../../src/activities';
import { LedgerRefusal, LedgerUnavailable, ledgerClient } from '../../src/backoffice/ledger-client';
import { startLedgerService, type LedgerService } from '../../src/backoffice/ledger-service';

const dir = mkdtempSync(join(tmpdir(), 'neutrix-ls-'));
const socket = join(dir, 'run', 'ledger.sock');
let ledger: Ledger;
let service: LedgerService;

beforeAll(async () => {
  ledger = await openInMemoryLedger();
  service = await startLedgerService(ledger, socket);
});
afterAll(async () => {
  await service?.close();
  await ledger?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the ledger service', () => {
  const client = ledgerClient(socket);

  it('listens on a socket only its owner may open, in a folder only its owner may enter', () => {
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'run')).mode & 0o777).toBe(0o700);
  });

  it('registers a customer once, changes the contact by request id and reads it back', async () => {
    const contact = { name: '株式会社ソケット', email: 'keiri@socket.example.jp', phone: '06-1111-2222' };
    const first = await client.register('S-1', contact);
    expect(first).toEqual({ customerId: expect.stringMatching(/^cus-/), alreadyRegistered: false });
    expect(await client.register('S-1', contact)).toEqual({ customerId: first.customerId, alreadyRegistered: true });
    expect(await client.changeContact('r-1', 'S-1', { email: 'new@socket.example.jp' })).toEqual({
      customerId: first.customerId,
      revision: 2,
      alreadyChanged: false,
    });
    expect(await client.changeContact('r-1', 'S-1', { email: 'new@socket.example.jp' })).toEqual({
      customerId: first.customerId,
      revision: 2,
      alreadyChanged: true,
    });
    expect(await client.customerOf('S-1')).toMatchObject({
      customerId: first.customerId,
      revision: 2,
      contact: { ...contact, email: 'new@socket.example.jp' },
    });
    expect(await client.customerOf('S-NONE')).toBeUndefined();
    expect(await client.invoice('S-1', '2026-01')).toBeUndefined();
  });

  it('carries the ledger’s refusals with their message, and nothing is written', async () => {
    await expect(client.register('S-2', { name: '', email: 'nope' })).rejects.toThrow(LedgerRefusal);
    await expect(client.register('S-2', { name: '', email: 'nope' })).rejects.toThrow(
      /customer refused: name: the customer name \(契約者名\) is empty; email: expected an e-mail address/,
    );
    await expect(client.changeContact('r-9', 'S-NONE', { email: 'a@b.example' })).rejects.toThrow(/no customer on record for contract S-NONE/);
    await expect(client.register('S-1', { name: '別の会社', email: 'other@x.example' })).rejects.toThrow(
      /contract S-1 already has a customer on record with other details/,
    );
    expect(await client.customerOf('S-2')).toBeUndefined();
  });

  it('says clearly when the system is not running', async () => {
    const down = ledgerClient(join(dir, 'nothing-here.sock'));
    await expect(down.customerOf('S-1')).rejects.toThrow(LedgerUnavailable);
    await expect(down.customerOf('S-1')).rejects.toThrow(/the ledger service is not running at .*nothing-here\.sock \(start the system with 'npm start'\)/);
  });
});
