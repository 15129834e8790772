/**
 * The .eml outbox (no SMTP_URL) under D-8: each mail is `<contract>~<notice>.eml`, readable by its owner
 * only, and the deletion removes exactly that contract's mails. Addresses are scrubbed from whatever the
 * mailer hands back as text (SMTP failure reasons, server replies), since the Web UI shows them.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import {
  InMemoryResourceApi,
  OutboxMailer,
  createEffectAdapters,
  openInMemoryLedger,
  outboxFileName,
  withoutAddresses,
  type Ledger,
  type OutgoingMail,
} from '../../src/activities';
import { CUSTOMER, deletionInput, firstInvoice, registerCustomer, tempDir, testSettings } from './support';

const FROM = 'Neutrix Cloud <billing@neutrix.example>';
const mail = (contractId: string, noticeId: string, to = CUSTOMER): OutgoingMail => ({ noticeId, contractId, kind: 'resumed', to, subject: 's', text: 't' });

describe('OutboxMailer', () => {
  const tmp = tempDir('neutrix-outbox-');
  afterEach(() => tmp.remove());

  it('writes <contract>~<notice>.eml, mode 0600, in a folder only its owner may enter', async () => {
    const dir = join(tmp.dir, 'outbox');
    const outbox = new OutboxMailer(dir, FROM);
    const sent = await outbox.send(mail('C-0001', 'C-0001:resumed:1'));
    expect(outboxFileName('C-0001', 'C-0001:resumed:1')).toMatch(/^C-0001~C-0001_resumed_1-[0-9a-f]{8}\.eml$/);
    expect(readdirSync(dir)).toEqual([outboxFileName('C-0001', 'C-0001:resumed:1')]);
    expect(sent.location).toBe(join(dir, outboxFileName('C-0001', 'C-0001:resumed:1')));
    expect(statSync(sent.location).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const parsed = await simpleParser(readFileSync(sent.location));
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe(CUSTOMER.email);
    expect(parsed.headers.get('x-neutrix-contract-id')).toBe('C-0001');
  });

  it("forget deletes exactly the contract's mails and answers how many; no prefix confusion between A and A_approved", async () => {
    const dir = join(tmp.dir, 'outbox');
    const outbox = new OutboxMailer(dir, FROM);
    expect(await outbox.forget('A')).toBe(0); // no outbox yet
    // A's notices, and another contract whose id starts with A's and whose notices look like A's
    for (const id of ['A:approved:application', 'A:invoiceIssued:2026-02', 'A:dataDeleted:deletion']) await outbox.send(mail('A', id));
    for (const id of ['A_approved:approved:application', 'A_approved:resumed:x']) await outbox.send(mail('A_approved', id));
    await outbox.send(mail('A-1', 'A-1:approved:application'));
    // a notice id of contract B that begins with "A" stays B's
    await outbox.send(mail('B', 'A:approved:application'));
    writeFileSync(join(dir, 'README.txt'), 'not a mail');
    expect(readdirSync(dir)).toHaveLength(8);

    expect(await outbox.forget('A')).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(
      [
        outboxFileName('A_approved', 'A_approved:approved:application'),
        outboxFileName('A_approved', 'A_approved:resumed:x'),
        outboxFileName('A-1', 'A-1:approved:application'),
        outboxFileName('B', 'A:approved:application'),
        'README.txt',
      ].sort(),
    );
    expect(readdirSync(dir).some((f) => f.startsWith('A~'))).toBe(false);
    expect(await outbox.forget('A')).toBe(0); // a second run finds nothing
    // A mail a crash left half-written (it holds the address too) goes as well; it was never delivered.
    writeFileSync(join(dir, `${outboxFileName('A', 'A:resumed:1')}.4242.deadbeef.partial`), 'To: someone');
    expect(await outbox.forget('A')).toBe(0);
    expect(readdirSync(dir).some((f) => f.startsWith('A~'))).toBe(false);
    expect(await outbox.forget('A_approved')).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(
      [outboxFileName('A-1', 'A-1:approved:application'), outboxFileName('B', 'A:approved:application'), 'README.txt'].sort(),
    );
  });
});

describe('withoutAddresses', () => {
  it.each([
    ['550 5.1.1 <x@y.example>: Recipient address rejected', '550 5.1.1 <address>: Recipient address rejected'],
    ['5.1.1 <gone@reject.example>: mailbox unavailable', '5.1.1 <address>: mailbox unavailable'],
    ['553 sender billing+ops@neutrix.example not allowed, rcpt a.b-c@sub.example.co.jp', '553 sender <address> not allowed, rcpt <address>'],
    ['RCPT TO:<someone@example.com> failed', 'RCPT TO:<address> failed'],
    ['250 2.0.0 Ok: queued as 4F2A1', '250 2.0.0 Ok: queued as 4F2A1'],
  ])('%s', (input, expected) => {
    const out = withoutAddresses(input);
    expect(out).toBe(expected);
    expect(out).not.toMatch(/[^<\s]+@/);
  });

  it('leaves no @ in an SMTP rejection', () => {
    expect(withoutAddresses('550 5.1.1 <x@y.example>: Recipient address rejected')).not.toContain('@');
  });
});

describe('deletion with the outbox (D-8)', () => {
  const tmp = tempDir('neutrix-outbox-deletion-');
  let ledger: Ledger | undefined;
  afterEach(async () => {
    await ledger?.close();
    ledger = undefined;
    tmp.remove();
  });

  /** An outbox that notes, in order, what was sent and forgotten, and whether the contact was still there at each send. */
  class WatchedOutbox extends OutboxMailer {
    events: string[] = [];
    failForgetOnce = false;
    constructor(
      dir: string,
      private readonly ledgerOf: () => Ledger,
    ) {
      super(dir, FROM);
    }
    override async send(m: OutgoingMail) {
      const contact = (await this.ledgerOf().customers.ofContract(m.contractId))?.contact;
      this.events.push(`send ${m.contractId} ${m.kind} to ${contact ? contact.email : 'nobody'}`);
      return super.send(m);
    }
    override async forget(contractId: string) {
      if (this.failForgetOnce) {
        this.failForgetOnce = false;
        throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
      }
      const n = await super.forget(contractId);
      this.events.push(`forget ${contractId}: ${n}`);
      return n;
    }
  }

  async function setUp() {
    ledger = await openInMemoryLedger();
    const l = ledger;
    const dir = join(tmp.dir, 'outbox');
    const outbox = new WatchedOutbox(dir, () => l);
    const resources = new InMemoryResourceApi();
    const acts = createEffectAdapters({ ledger: l, mailer: outbox, resources, settings: testSettings({ DATA_DIR: tmp.dir }) });
    const customers: Record<string, string> = {};
    for (const c of ['A', 'A_approved']) {
      customers[c] = await registerCustomer(l, c, { name: `${c} 株式会社`, email: `${c.toLowerCase()}@example.co.jp` });
      await resources.provision(c, { accounts: ['admin'], resources: ['vm-1'] });
      const invoice = firstInvoice();
      await acts.issueInvoice({ contractId: c, customerId: customers[c]!, invoice });
      await acts.sendNotice({
        noticeId: `${c}:approved:application`,
        contractId: c,
        customerId: customers[c]!,
        kind: 'approved',
        on: '2026-01-20',
        facts: { startDate: '2026-02-02' },
      });
      await acts.sendNotice({
        noticeId: `${c}:invoiceIssued:2026-02`,
        contractId: c,
        customerId: customers[c]!,
        kind: 'invoiceIssued',
        on: '2026-03-01',
        facts: { period: '2026-02', invoiceTotal: invoice.total, dueOn: invoice.dueOn },
      });
    }
    return { ledger: l, dir, outbox, resources, acts, customers };
  }

  it('sends the dataDeleted mail first, then leaves no file of the contract, and says so in the record', async () => {
    const { ledger, dir, outbox, acts, customers } = await setUp();
    expect(readdirSync(dir).filter((f) => f.startsWith('A~'))).toHaveLength(2);
    outbox.events = [];

    const input = deletionInput('A', customers.A!, '2026-03-31', '2026-04-01');
    const result = await acts.deleteCustomerData(input);
    expect(result.alreadyDeleted).toBe(false);
    // the notice went out while the address was still on record; only then was the outbox cleared
    expect(outbox.events).toEqual(['send A dataDeleted to a@example.co.jp', 'forget A: 3']);
    expect(result.deleted).toEqual([
      'account:admin',
      'resource:vm-1',
      'ledger:contact details erased from 1 customer record(s); the name kept for the invoices',
      'ledger:contact details removed from 1 invoice(s); amounts and name kept',
      'ledger:recipient address removed from 0 notice record(s)',
      'outbox:3 mail(s) deleted',
      'ledger:files compacted',
    ]);

    // no file of A is left; A_approved's two mails are untouched
    expect(readdirSync(dir).filter((f) => f.startsWith('A~'))).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(
      [outboxFileName('A_approved', 'A_approved:approved:application'), outboxFileName('A_approved', 'A_approved:invoiceIssued:2026-02')].sort(),
    );
    // the ledger remembers the dataDeleted notice was sent (to revision 1), though its copy is gone
    const notices = await ledger.listNotices('A');
    expect(notices.map((n) => [n.kind, n.contactRevision])).toEqual([
      ['approved', 1],
      ['invoiceIssued', 1],
      ['dataDeleted', 1],
    ]);
    const dataDeleted = notices.find((n) => n.kind === 'dataDeleted')!;
    expect(dataDeleted).toMatchObject({ noticeId: input.notice.noticeId, on: '2026-04-01', location: join(dir, outboxFileName('A', input.notice.noticeId)) });
    expect(existsSync(dataDeleted.location!)).toBe(false);
    expect((await ledger.getDeletion('A'))?.ledgerContacts).toEqual(result.deleted.filter((d) => d.startsWith('ledger:') || d.startsWith('outbox:')));
    expect((await ledger.customers.ofContract('A'))?.contact).toBeNull();
    expect((await ledger.customers.ofContract('A_approved'))?.contact).toEqual({ name: 'A_approved 株式会社', email: 'a_approved@example.co.jp' });

    // a repeat deletes, sends and forgets nothing more
    outbox.events = [];
    expect(await acts.deleteCustomerData(input)).toEqual({ deleted: result.deleted, alreadyDeleted: true });
    expect(outbox.events).toEqual([]);
  });

  it('a deletion that failed after the erasure completes on retry, without a second mail', async () => {
    const { ledger, dir, outbox, acts, customers } = await setUp();
    outbox.events = [];
    outbox.failForgetOnce = true;
    const input = deletionInput('A', customers.A!, '2026-03-31', '2026-04-01');
    await expect(acts.deleteCustomerData(input)).rejects.toThrow(/EBUSY/); // transient: Temporal retries
    expect((await ledger.customers.ofContract('A'))?.contact).toBeNull(); // erased already
    expect(readdirSync(dir).filter((f) => f.startsWith('A~'))).toHaveLength(3); // the outbox not yet cleared
    expect((await ledger.getDeletion('A'))?.completedAt).toBeNull();

    const done = await acts.deleteCustomerData(input);
    expect(done.alreadyDeleted).toBe(false);
    expect(done.deleted).toContain('outbox:3 mail(s) deleted');
    expect(outbox.events).toEqual(['send A dataDeleted to a@example.co.jp', 'forget A: 3']); // one send only
    expect(readdirSync(dir).filter((f) => f.startsWith('A~'))).toEqual([]);
    expect((await ledger.listNotices('A')).filter((n) => n.kind === 'dataDeleted')).toHaveLength(1);
    expect((await ledger.getDeletion('A'))?.completedAt).toEqual(expect.any(String));
  });
});
