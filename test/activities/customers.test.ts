/**
 * The customer master (Art. 12-3): the ledger is the only home of the customer's contact details; the
 * contract knows the customer id and the contact's revision. Registration is idempotent by the contract
 * id, a change by its request id; after the deletion (D-8) every detail but the name is gone and every
 * write is refused. Notices go to the latest contact and record which revision they went to (Art. 12-4).
 */
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEffectAdapters, openInMemoryDependencies, type Ledger } from '../../src/activities';
import type { Contact } from '../../src/domain/types';
import {
  CUSTOMER,
  ISSUER,
  TEST_DATABASE_URL,
  expectNonRetryable,
  firstInvoice,
  monthlyInvoice,
  pgliteEngine,
  postgresEngine,
  registerCustomer,
  testSettings,
  type LedgerEngine,
} from './support';

const FULL: Contact = {
  name: '株式会社レイ',
  email: 'keiyaku@rei.example.jp',
  contactPerson: '山田 太郎',
  address: '大阪府大阪市北区梅田1-1-1',
  phone: '06-1234-5678',
};

type Row = { name: unknown; email: unknown; contact_person: unknown; address: unknown; phone: unknown; revision: unknown; contact_removed_on: unknown };

function customerSuite(engine: LedgerEngine) {
  let ledger: Ledger;
  let dispose: () => Promise<void>;
  let n = 0;
  const contract = () => `C-CUS-${engine.name}-${++n}`;
  const row = async (contractId: string): Promise<Row | undefined> =>
    (
      await ledger.db.query<Row>(
        'SELECT name, email, contact_person, address, phone, revision, contact_removed_on::text AS contact_removed_on FROM customers WHERE contract_id = $1',
        [contractId],
      )
    ).rows[0];
  const count = async (sql: string, params: unknown[]) => Number((await ledger.db.query<{ n: unknown }>(sql, params)).rows[0]?.n);
  /** D-8 as the deletion runs it: the record opened, the contacts erased, the record closed. */
  const erase = async (contractId: string, lastContractDay: string, deletionDay: string) => {
    await ledger.beginDeletion(contractId, lastContractDay, deletionDay);
    const stripped = await ledger.eraseContacts(contractId);
    await ledger.completeDeletion(contractId, stripped);
    return stripped;
  };

  beforeAll(async () => {
    ({ ledger, dispose } = await engine.open());
  });
  afterAll(async () => {
    await dispose?.();
  });

  describe('register (Art. 7)', () => {
    it('registers once per contract: the same details again answer the same customer', async () => {
      const c = contract();
      const first = await ledger.customers.register({ contractId: c, contact: FULL });
      expect(first).toEqual({ customerId: expect.stringMatching(/^cus-[0-9a-f-]{36}$/), alreadyRegistered: false });
      expect(await ledger.customers.register({ contractId: c, contact: { ...FULL } })).toEqual({ customerId: first.customerId, alreadyRegistered: true });
      // concurrent repeats (a retried activity) still make one row
      const again = await Promise.all([1, 2, 3].map(() => ledger.customers.register({ contractId: c, contact: FULL })));
      expect(again.map((r) => r.customerId)).toEqual([first.customerId, first.customerId, first.customerId]);
      expect(await count('SELECT count(*) AS n FROM customers WHERE contract_id = $1', [c])).toBe(1);
      expect(await row(c)).toEqual({
        name: FULL.name,
        email: FULL.email,
        contact_person: FULL.contactPerson,
        address: FULL.address,
        phone: FULL.phone,
        revision: 1,
        contact_removed_on: null,
      });
      expect(await ledger.customers.ofContract(c)).toMatchObject({
        customerId: first.customerId,
        contractId: c,
        contact: FULL,
        billingName: FULL.name,
        revision: 1,
        changedAt: null,
        contactRemovedOn: null,
      });
      expect(await ledger.customers.contactFor(c, first.customerId)).toEqual({ contact: FULL, revision: 1 });
    });

    it('keeps two contracts apart: each its own customer', async () => {
      const [a, b] = [contract(), contract()];
      const ida = await registerCustomer(ledger, a);
      const idb = await registerCustomer(ledger, b);
      expect(ida).not.toBe(idb);
      expect((await ledger.customers.ofContract(a))?.customerId).toBe(ida);
      expect((await ledger.customers.ofContract(b))?.customerId).toBe(idb);
    });

    it('refuses other details for a contract already registered, naming the contract; the first stand', async () => {
      const c = contract();
      const id = await registerCustomer(ledger, c, FULL);
      for (const other of [
        { ...FULL, email: 'other@rei.example.jp' },
        { name: FULL.name, email: FULL.email },
        { ...FULL, phone: '06-0000-0000' },
      ]) {
        const msg = await expectNonRetryable(ledger.customers.register({ contractId: c, contact: other }), 'ContactRefused');
        expect(msg).toContain(`contract ${c} already has a customer on record with other details`);
      }
      expect(await ledger.customers.contactFor(c, id)).toEqual({ contact: FULL, revision: 1 });
    });

    it('refuses bad details before writing anything', async () => {
      const c = contract();
      expect(await expectNonRetryable(ledger.customers.register({ contractId: c, contact: { name: 'X', email: 'not-an-address' } }), 'ContactRefused')).toMatch(
        /email/,
      );
      expect(await expectNonRetryable(ledger.customers.register({ contractId: 'bad id!', contact: CUSTOMER }), 'ContactRefused')).toMatch(/contractId/);
      expect(await ledger.customers.ofContract(c)).toBeUndefined();
    });
  });

  describe('changeContact (Art. 12-3)', () => {
    it('each change makes the next revision; the fields not named stay', async () => {
      const c = contract();
      const id = await registerCustomer(ledger, c, FULL);
      expect(await ledger.customers.changeContact({ requestId: `${c}:ch1`, contractId: c, change: { email: 'new@rei.example.jp' } })).toEqual({
        customerId: id,
        revision: 2,
        alreadyChanged: false,
      });
      expect(
        await ledger.customers.changeContact({ requestId: `${c}:ch2`, contractId: c, change: { address: '東京都千代田区丸の内1-1', phone: '03-1111-2222' } }),
      ).toEqual({
        customerId: id,
        revision: 3,
        alreadyChanged: false,
      });
      expect(await ledger.customers.contactFor(c, id)).toEqual({
        contact: { ...FULL, email: 'new@rei.example.jp', address: '東京都千代田区丸の内1-1', phone: '03-1111-2222' },
        revision: 3,
      });
      expect(await row(c)).toMatchObject({ revision: 3, name: FULL.name, contact_person: FULL.contactPerson });
      expect((await ledger.customers.ofContract(c))?.changedAt).toEqual(expect.any(String));
      expect(await count('SELECT count(*) AS n FROM contact_changes WHERE customer_id = $1', [id])).toBe(2);
    });

    it('a repeated request answers the revision it made and changes nothing more', async () => {
      const c = contract();
      const id = await registerCustomer(ledger, c);
      const change = { requestId: `${c}:ch`, contractId: c, change: { email: 'second@example.co.jp' } };
      expect(await ledger.customers.changeContact(change)).toEqual({ customerId: id, revision: 2, alreadyChanged: false });
      expect(await ledger.customers.changeContact(change)).toEqual({ customerId: id, revision: 2, alreadyChanged: true });
      const concurrent = await Promise.all([1, 2, 3].map(() => ledger.customers.changeContact(change)));
      expect(concurrent).toEqual(Array(3).fill({ customerId: id, revision: 2, alreadyChanged: true }));
      expect(await row(c)).toMatchObject({ revision: 2, email: 'second@example.co.jp' });
      expect(await count('SELECT count(*) AS n FROM contact_changes WHERE customer_id = $1', [id])).toBe(1);

      // Still the answer after a later change took the contact further.
      await ledger.customers.changeContact({ requestId: `${c}:ch-later`, contractId: c, change: { email: 'third@example.co.jp' } });
      expect(await ledger.customers.changeContact(change)).toEqual({ customerId: id, revision: 2, alreadyChanged: true });
      expect(await ledger.customers.contactFor(c, id)).toEqual({ contact: { ...CUSTOMER, email: 'third@example.co.jp' }, revision: 3 });
    });

    it('refuses a request id reused with other details, and one reused for another contract', async () => {
      const c = contract();
      const id = await registerCustomer(ledger, c);
      await ledger.customers.changeContact({ requestId: `${c}:ch`, contractId: c, change: { email: 'first@example.co.jp' } });
      expect(
        await expectNonRetryable(
          ledger.customers.changeContact({ requestId: `${c}:ch`, contractId: c, change: { email: 'other@example.co.jp' } }),
          'ContactRefused',
        ),
      ).toContain(`request id ${c}:ch was already used for another contact change`);
      const d = contract();
      await registerCustomer(ledger, d);
      await expectNonRetryable(
        ledger.customers.changeContact({ requestId: `${c}:ch`, contractId: d, change: { email: 'first@example.co.jp' } }),
        'ContactRefused',
      );
      expect(await ledger.customers.contactFor(c, id)).toEqual({ contact: { ...CUSTOMER, email: 'first@example.co.jp' }, revision: 2 });
      expect((await ledger.customers.ofContract(d))?.revision).toBe(1);
    });

    it('refuses an unknown contract, an empty change and a bad request id', async () => {
      expect(
        await expectNonRetryable(
          ledger.customers.changeContact({ requestId: 'r-nobody', contractId: 'C-nobody', change: { email: 'x@example.co.jp' } }),
          'NoContactOnRecord',
        ),
      ).toContain('no customer on record for contract C-nobody');
      const c = contract();
      await registerCustomer(ledger, c);
      expect(await expectNonRetryable(ledger.customers.changeContact({ requestId: `${c}:empty`, contractId: c, change: {} }), 'ContactRefused')).toContain(
        'names at least one of',
      );
      await expectNonRetryable(ledger.customers.changeContact({ requestId: '', contractId: c, change: { email: 'x@example.co.jp' } }), 'ContactRefused');
      expect(await count("SELECT count(*) AS n FROM contact_changes WHERE request_id IN ('r-nobody', $1)", [`${c}:empty`])).toBe(0);
      expect((await row(c))?.revision).toBe(1);
    });
  });

  describe('contactFor: the contract reaches its own customer only', () => {
    it("refuses another contract's customer id, and an unknown one", async () => {
      const [a, b] = [contract(), contract()];
      const ida = await registerCustomer(ledger, a, { name: 'A社', email: 'a@a.example' });
      const idb = await registerCustomer(ledger, b, { name: 'B社', email: 'b@b.example' });
      expect(await expectNonRetryable(ledger.customers.contactFor(a, idb), 'NoContactOnRecord')).toContain(`no customer ${idb} on record for contract ${a}`);
      await expectNonRetryable(ledger.customers.contactFor(a, 'cus-unknown'), 'NoContactOnRecord');
      await expectNonRetryable(ledger.customers.billingNameFor(a, idb), 'NoContactOnRecord');
      expect(await ledger.customers.contactFor(a, ida)).toEqual({ contact: { name: 'A社', email: 'a@a.example' }, revision: 1 });
    });
  });

  describe('erasure (D-8)', () => {
    it('erases every detail but the name; changes and look-ups are refused afterwards', async () => {
      const c = contract();
      const id = await registerCustomer(ledger, c, FULL);
      await ledger.customers.changeContact({ requestId: `${c}:ch`, contractId: c, change: { phone: '06-9999-0000' } });
      const stripped = await erase(c, '2026-09-30', '2026-10-01');
      expect(stripped[0]).toBe('ledger:contact details erased from 1 customer record(s); the name kept for the invoices');

      expect(await row(c)).toEqual({
        name: FULL.name,
        email: null,
        contact_person: null,
        address: null,
        phone: null,
        revision: 2,
        contact_removed_on: '2026-10-01',
      });
      const raw = JSON.stringify((await ledger.db.query('SELECT * FROM customers WHERE contract_id = $1', [c])).rows);
      for (const gone of [FULL.email, FULL.contactPerson!, FULL.address!, '06-9999-0000']) expect(raw).not.toContain(gone);
      expect(await ledger.customers.ofContract(c)).toMatchObject({ customerId: id, contact: null, billingName: FULL.name, contactRemovedOn: '2026-10-01' });

      expect(
        await expectNonRetryable(
          ledger.customers.changeContact({ requestId: `${c}:after`, contractId: c, change: { email: 'back@rei.example.jp' } }),
          'ContactRefused',
        ),
      ).toContain('deleted on 2026-10-01');
      expect(await ledger.customers.contactFor(c, id)).toEqual({ erasedOn: '2026-10-01' }); // nobody left to write to
      await expectNonRetryable(ledger.customers.register({ contractId: c, contact: FULL }), 'ContactRefused'); // not registered anew either
      expect(await ledger.customers.billingNameFor(c, id)).toBe(FULL.name);
      expect((await row(c))?.email).toBeNull();

      // The change made before the erasure, repeated (a retried CLI call): answered, not refused.
      expect(await ledger.customers.changeContact({ requestId: `${c}:ch`, contractId: c, change: { phone: '06-9999-0000' } })).toEqual({
        customerId: id,
        revision: 2,
        alreadyChanged: true,
      });
      // A second erasure (a retried deletion) changes nothing.
      expect((await ledger.eraseContacts(c))[0]).toBe('ledger:contact details erased from 0 customer record(s); the name kept for the invoices');
      // The table's own check refuses putting a detail back.
      await expect(ledger.db.query("UPDATE customers SET email = 'back@rei.example.jp' WHERE contract_id = $1", [c])).rejects.toThrow(
        /customers_contact_or_erased/,
      );
    });

    it('an invoice issued after the erasure carries the name and no e-mail; issued invoices keep theirs', async () => {
      const c = contract();
      const customerId = await registerCustomer(ledger, c);
      const before = await ledger.issueInvoice({ contractId: c, customerId, invoice: firstInvoice(), issuer: ISSUER });
      await erase(c, '2026-03-20', '2026-03-21');
      // D-11: the last month's invoice is issued on the 1st after the end, after the deletion.
      const after = await ledger.issueInvoice({ contractId: c, customerId, invoice: monthlyInvoice('2026-03'), issuer: ISSUER });
      for (const number of [before.invoiceNumber, after.invoiceNumber]) {
        expect(await ledger.getInvoice(number), number).toMatchObject({ customerName: CUSTOMER.name, contactRemovedOn: '2026-03-21' });
      }
      expect(await ledger.getInvoice(after.invoiceNumber)).toMatchObject({ period: '2026-03', total: 84700, tax: 7700 });
      const rows = await ledger.db.query<{ customer_name: unknown; customer_email: unknown }>(
        'SELECT customer_name, customer_email FROM invoices WHERE contract_id = $1 ORDER BY seq',
        [c],
      );
      expect(rows.rows).toEqual([
        { customer_name: CUSTOMER.name, customer_email: null },
        { customer_name: CUSTOMER.name, customer_email: null },
      ]);
    });

    it("the ledger refuses changing an issued invoice's customer name, before and after the erasure", async () => {
      const c = contract();
      const customerId = await registerCustomer(ledger, c);
      const { invoiceNumber } = await ledger.issueInvoice({ contractId: c, customerId, invoice: firstInvoice(), issuer: ISSUER });
      // A change of the contact later does not rewrite an invoice already issued.
      await ledger.customers.changeContact({ requestId: `${c}:rename`, contractId: c, change: { name: '株式会社サンプルホールディングス' } });
      expect((await ledger.getInvoice(invoiceNumber))?.customerName).toBe(CUSTOMER.name);
      await expect(ledger.db.query("UPDATE invoices SET customer_name = 'someone else' WHERE number = $1", [invoiceNumber])).rejects.toThrow(/immutable/);
      await expect(ledger.db.query('UPDATE invoices SET customer_name = NULL WHERE number = $1', [invoiceNumber])).rejects.toThrow(/immutable/);
      await erase(c, '2026-03-31', '2026-04-01');
      await expect(ledger.db.query("UPDATE invoices SET customer_name = 'someone else' WHERE number = $1", [invoiceNumber])).rejects.toThrow(/immutable/);
      expect((await ledger.getInvoice(invoiceNumber))?.customerName).toBe(CUSTOMER.name);
      // The next invoice carries the name as it stands when it is issued.
      const next = await ledger.issueInvoice({ contractId: c, customerId, invoice: monthlyInvoice('2026-03'), issuer: ISSUER });
      expect((await ledger.getInvoice(next.invoiceNumber))?.customerName).toBe('株式会社サンプルホールディングス');
    });
  });
}

describe('the customer master (ledger.customers) on PGlite', () => customerSuite(pgliteEngine));
describe.runIf(Boolean(TEST_DATABASE_URL))('the customer master (ledger.customers) on PostgreSQL (TEST_DATABASE_URL)', () => customerSuite(postgresEngine));

describe('notices go to the latest contact (Art. 12-4)', () => {
  let deps: Awaited<ReturnType<typeof openInMemoryDependencies>>;
  let acts: ReturnType<typeof createEffectAdapters>;

  beforeAll(async () => {
    deps = await openInMemoryDependencies(testSettings());
    acts = createEffectAdapters(deps);
  });
  afterAll(async () => {
    await deps?.close();
  });

  it('records the revision each notice went to; after a change the next goes to the new address', async () => {
    const c = 'C-NOTICE-1';
    const customerId = await registerCustomer(deps.ledger, c);
    const notice = (key: string) => ({ noticeId: `${c}:resumed:${key}`, contractId: c, customerId, kind: 'resumed' as const, on: '2026-03-01', facts: {} });
    expect(await acts.sendNotice(notice('1'))).toEqual({ alreadySent: false });

    const changed = await deps.ledger.customers.changeContact({
      requestId: `${c}:ch`,
      contractId: c,
      change: { name: '株式会社サンプル新社', email: 'moved@example.co.jp' },
    });
    expect(changed.revision).toBe(2);
    expect(await acts.sendNotice(notice('2'))).toEqual({ alreadySent: false });
    // A repeat of the first notice sends nothing, to either address.
    expect(await acts.sendNotice(notice('1'))).toEqual({ alreadySent: true });

    const mails = deps.mailer.mails.filter((m) => m.contractId === c);
    expect(mails.map((m) => [m.noticeId, m.to])).toEqual([
      [`${c}:resumed:1`, CUSTOMER],
      [`${c}:resumed:2`, { name: '株式会社サンプル新社', email: 'moved@example.co.jp' }],
    ]);
    const parsed = await simpleParser(mails[1]!.raw);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : undefined).toEqual([{ address: 'moved@example.co.jp', name: '株式会社サンプル新社' }]);
    expect(mails[1]?.raw).not.toContain(CUSTOMER.email);
    expect(mails[1]?.text.startsWith('株式会社サンプル新社 御中')).toBe(true);

    expect((await deps.ledger.listNotices(c)).map((n) => [n.noticeId, n.contactRevision])).toEqual([
      [`${c}:resumed:1`, 1],
      [`${c}:resumed:2`, 2],
    ]);
    const raw = await deps.ledger.db.query<{ notice_id: unknown; contact_revision: unknown }>(
      'SELECT notice_id, contact_revision FROM notices WHERE contract_id = $1 ORDER BY notice_id',
      [c],
    );
    expect(raw.rows).toEqual([
      { notice_id: `${c}:resumed:1`, contact_revision: 1 },
      { notice_id: `${c}:resumed:2`, contact_revision: 2 },
    ]);
    // the notice record names the revision, not the address
    expect(JSON.stringify((await deps.ledger.db.query('SELECT * FROM notices WHERE contract_id = $1', [c])).rows)).not.toContain('moved@example.co.jp');
  });

  it('a batch from the workflow names the customer by id only; its notice goes to the ledger contact', async () => {
    const c = 'C-NOTICE-2';
    const customerId = await registerCustomer(deps.ledger, c, { name: 'バッチ株式会社', email: 'batch@example.co.jp' });
    await deps.ledger.customers.changeContact({ requestId: `${c}:ch`, contractId: c, change: { email: 'batch-new@example.co.jp' } });
    const invoice = firstInvoice();
    const outcomes = await acts.carryOutEffects([
      { type: 'issueInvoice', input: { contractId: c, customerId, invoice } },
      {
        type: 'notice',
        input: {
          noticeId: `${c}:invoiceIssued:2026-02`,
          contractId: c,
          customerId,
          kind: 'invoiceIssued',
          on: '2026-03-01',
          facts: { period: '2026-02', invoiceTotal: invoice.total, dueOn: invoice.dueOn },
        },
      },
      { type: 'notice', input: { noticeId: `${c}:resumed:x`, contractId: c, customerId: 'cus-someone-else', kind: 'resumed', on: '2026-03-01', facts: {} } },
    ]);
    expect(outcomes[0]).toEqual({ ok: true, invoiceNumber: expect.stringMatching(/^INV-\d{6}$/) });
    expect(outcomes[1]).toEqual({ ok: true });
    expect(outcomes[2]).toEqual({ ok: false, reason: expect.stringContaining(`no customer cus-someone-else on record for contract ${c}`) });
    const mail = deps.mailer.mails.find((m) => m.noticeId === `${c}:invoiceIssued:2026-02`);
    expect(mail?.to).toEqual({ name: 'バッチ株式会社', email: 'batch-new@example.co.jp' });
    expect(mail?.text).toContain('139,700円');
    expect((await deps.ledger.listNotices(c)).map((n) => [n.kind, n.contactRevision])).toEqual([['invoiceIssued', 2]]);
    expect((await deps.ledger.getInvoice((outcomes[0] as { invoiceNumber: string }).invoiceNumber))?.customerName).toBe('バッチ株式会社');
  });
});
