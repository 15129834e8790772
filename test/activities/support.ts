/** Real components for the activity tests: ledgers on PGlite and PostgreSQL, an SMTP server, fixtures. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { ApplicationFailure } from '@temporalio/common';
import { expect } from 'vitest';
import { Ledger, openInMemoryLedger, openPostgres } from '../../src/activities';
import type { Contact, Invoice, InvoiceLine, IsoDate } from '../../src/domain/types';
import type { DeletionInput } from '../../src/workflows/contract/activities';
import { loadSettings, type Settings } from '../../src/settings';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export interface LedgerEngine {
  name: string;
  open(): Promise<{ ledger: Ledger; dispose(): Promise<void> }>;
}

export const pgliteEngine: LedgerEngine = {
  name: 'PGlite',
  async open() {
    const ledger = await openInMemoryLedger();
    return { ledger, dispose: () => ledger.close() };
  },
};

/** A ledger in a schema of its own on the TEST_DATABASE_URL server, dropped afterwards. */
export const postgresEngine: LedgerEngine = {
  name: 'PostgreSQL',
  async open() {
    const url = TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    const schema = `ledger_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const u = new URL(url);
    u.searchParams.set('options', `-c search_path=${schema}`);
    const ledger = await Ledger.open(await openPostgres(u.toString(), { max: 12 }));
    return {
      ledger,
      async dispose() {
        await ledger.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      },
    };
  },
};

export function testSettings(overrides: Partial<Record<keyof Settings, string>> = {}): Settings {
  return loadSettings({
    DATA_DIR: join(tmpdir(), 'neutrix-activities-unused'),
    INVOICE_ISSUER_NAME: '株式会社オプテージ',
    INVOICE_REGISTRATION_NUMBER: 'T1120001059675',
    MAIL_FROM: 'Neutrix Cloud <billing@neutrix.example>',
    ...overrides,
  });
}

export const ISSUER = { name: '株式会社オプテージ', registrationNumber: 'T1120001059675' };
export const CUSTOMER = { name: '株式会社サンプル', email: 'billing@example.co.jp' };

/** Registers `contact` (CUSTOMER by default) as the customer of `contractId` in the ledger (Art. 7, 12-3); answers its id. */
export async function registerCustomer(ledger: Ledger, contractId: string, contact: Contact = CUSTOMER): Promise<string> {
  return (await ledger.customers.register({ contractId, contact })).customerId;
}

/** What the workflow hands the deletion (D-8): the days and the dataDeleted notice it sends before erasing. */
export function deletionInput(contractId: string, customerId: string, lastContractDay: IsoDate, deletionDay: IsoDate): DeletionInput {
  return {
    contractId,
    customerId,
    lastContractDay,
    deletionDay,
    notice: {
      noticeId: `${contractId}:dataDeleted:deletion`,
      contractId,
      customerId,
      kind: 'dataDeleted',
      on: deletionDay,
      facts: { endDate: lastContractDay, article: '第30条 D-8' },
    },
  };
}

const line = (kind: InvoiceLine['kind'], amount: number, taxable: boolean, rule: string, description: string): InvoiceLine => ({
  kind,
  amount,
  taxable,
  rule,
  description,
});

/** The scenario's first invoice (Standard, 2 components, cloud 30,000): 139,700円. */
export function firstInvoice(period = '2026-02'): Invoice {
  return {
    period,
    issuedOn: '2026-03-01',
    dueOn: '2026-03-31',
    lines: [
      line('initialFee', 50000, true, '別表2', '初期費用 (initial fee)'),
      line('managedMonthly', 47000, true, '別表2', 'マネージドサービス月額 (managed monthly fee)'),
      line('cloudMonthly', 30000, true, '別表3', 'Neutrix Cloud 月額 (cloud fee)'),
    ],
    taxableSubtotal: 127000,
    tax: 12700,
    nonTaxableSubtotal: 0,
    total: 139700,
  };
}

/** A monthly invoice: 84,700円 (77,000 taxable + 7,700 tax), optionally with a non-taxable line. */
export function monthlyInvoice(period: string, nonTaxable = 0): Invoice {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  const lines = [
    line('managedMonthly', 47000, true, '別表2', 'マネージドサービス月額 (managed monthly fee)'),
    line('cloudMonthly', 30000, true, '別表3', 'Neutrix Cloud 月額 (cloud fee)'),
  ];
  if (nonTaxable) lines.push(line('lateDamages', nonTaxable, false, '第27条 D-13', '遅延損害金 (late-payment damages)'));
  const lastDay = new Date(Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)), 0)).getUTCDate();
  return {
    period,
    issuedOn: `${next}-01`,
    dueOn: `${next}-${String(lastDay).padStart(2, '0')}`,
    lines,
    taxableSubtotal: 77000,
    tax: 7700,
    nonTaxableSubtotal: nonTaxable,
    total: 84700 + nonTaxable,
  };
}

/** Asserts `promise` rejects with a non-retryable ApplicationFailure of `type`; returns its message. */
export async function expectNonRetryable(promise: Promise<unknown>, type: string): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a ${type} failure`).toBeInstanceOf(ApplicationFailure);
  const f = err as ApplicationFailure;
  expect(f.type).toBe(type);
  expect(f.nonRetryable).toBe(true);
  return f.message;
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

/**
 * A real SMTP server on 127.0.0.1 (random port). Recipients at `reject.example` get 550; the mail is
 * parsed (MIME decoded) before the server acknowledges it, so it is in `received` when sendMail resolves.
 */
export async function startSmtpServer(): Promise<{ url: string; received: ReceivedMail[]; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@reject.example')) {
        const err = Object.assign(new Error(`5.1.1 <${address.address}>: mailbox unavailable`), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw: raw.toString('utf8'),
              parsed,
            });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
