/**
 * The ledger on both engines: PGlite always, PostgreSQL when TEST_DATABASE_URL is set (CI). Same schema,
 * same migrations, same assertions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryResourceApi, Ledger, MIGRATIONS, createEffectAdapters, migrate, openPglite, renderInvoiceHtml } from '../../src/activities';
import { CaptureMailer } from '../../src/activities/mail/mailer';
import {
  CUSTOMER,
  ISSUER,
  TEST_DATABASE_URL,
  deletionInput,
  expectNonRetryable,
  firstInvoice,
  monthlyInvoice,
  pgliteEngine,
  postgresEngine,
  registerCustomer,
  tempDir,
  testSettings,
  type LedgerEngine,
} from './support';

function ledgerSuite(engine: LedgerEngine) {
  let ledger: Ledger;
  let dispose: () => Promise<void>;
  let n = 0;
  /** A contract id no other test in this suite uses, its customer registered in the ledger (Art. 7). */
  const contract = async () => {
    const c = `C-${engine.name}-${++n}`;
    return { c, customerId: await registerCustomer(ledger, c) };
  };
  const count = async (sql: string, params: unknown[] = []) => Number((await ledger.db.query<{ n: unknown }>(sql, params)).rows[0]?.n);

  beforeAll(async () => {
    ({ ledger, dispose } = await engine.open());
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('applies the migrations once and records them', async () => {
    expect(await migrate(ledger.db)).toEqual([]); // already applied at open
    const rows = await ledger.db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows.rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('issues an invoice once per (contract, period): a repeat returns the issued one', async () => {
    const { c, customerId } = await contract();
    const first = await ledger.issueInvoice({ contractId: c, customerId, invoice: firstInvoice(), issuer: ISSUER });
    expect(first.alreadyIssued).toBe(false);
    expect(first.invoiceNumber).toMatch(/^INV-\d{6,}$/);
    const again = await ledger.issueInvoice({ contractId: c, customerId, invoice: firstInvoice(), issuer: ISSUER });
    expect(again).toMatchObject({ invoiceNumber: first.invoiceNumber, alreadyIssued: true });
    expect(await count('SELECT count(*) AS n FROM invoices WHERE contract_id = $1', [c])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM invoice_lines WHERE invoice_number = $1', [first.invoiceNumber])).toBe(3);
  });

  it('concurrent issues of one (contract, period) create exactly one invoice, all answers the same number', async () => {
    const { c, customerId } = await contract();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => ledger.issueInvoice({ contractId: c, customerId, invoice: monthlyInvoice('2026-04'), issuer: ISSUER })),
    );
    const numbers = new Set(results.map((r) => r.invoiceNumber));
    expect(numbers.size).toBe(1);
    expect(results.filter((r) => !r.alreadyIssued)).toHaveLength(1);
    expect(await count('SELECT count(*) AS n FROM invoices WHERE contract_id = $1', [c])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM invoice_lines WHERE invoice_number = $1', [[...numbers][0]])).toBe(2);
  });

  it('numbers are sequential and gap-free, also across concurrent issuers and a failed issue', async () => {
    const contracts = await Promise.all(Array.from({ length: 6 }, () => contract()));
    const periods = ['2026-02', '2026-03', '2026-04'];
    // 18 distinct invoices, each requested twice, all at once.
    const requests = contracts.flatMap(({ c, customerId }) => periods.flatMap((p) => [0, 1].map(() => ({ c, customerId, p }))));
    const results = await Promise.all(
      requests.map(({ c, customerId, p }) => ledger.issueInvoice({ contractId: c, customerId, invoice: monthlyInvoice(p), issuer: ISSUER })),
    );
    expect(new Set(results.map((r) => r.invoiceNumber)).size).toBe(18);

    // An issue that fails inside its transaction (PostgreSQL refuses a NUL in text) consumes no number.
    const broken = monthlyInvoice('2026-05');
    broken.lines[0]!.description = 'bad\u0000text';
    const { c: c0, customerId: cus0 } = contracts[0]!;
    await expectNonRetryable(ledger.issueInvoice({ contractId: c0, customerId: cus0, invoice: broken, issuer: ISSUER }), 'LedgerRefused');
    // Nor does an issue for a customer the ledger does not know (the name is looked up before the number is taken).
    await expectNonRetryable(
      ledger.issueInvoice({ contractId: c0, customerId: 'cus-nobody', invoice: monthlyInvoice('2026-05'), issuer: ISSUER }),
      'NoContactOnRecord',
    );
    const after = await ledger.issueInvoice({ contractId: c0, customerId: cus0, invoice: monthlyInvoice('2026-05'), issuer: ISSUER });

    const all = await ledger.db.query<{ seq: unknown; number: string }>('SELECT seq, number FROM invoices ORDER BY seq');
    const seqs = all.rows.map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1)); // 1..N, no gap, no repeat
    expect(all.rows.at(-1)?.number).toBe(after.invoiceNumber);
    expect(all.rows.map((r) => r.number)).toEqual(seqs.map((s) => `INV-${String(s).padStart(6, '0')}`));
    const counter = await ledger.db.query<{ last_number: unknown }>('SELECT last_number FROM invoice_counter');
    expect(Number(counter.rows[0]?.last_number)).toBe(seqs.length);
  });

  it('an issued invoice is immutable: updates and deletes of invoices, lines and payments are refused', async () => {
    const { c, customerId } = await contract();
    const { invoiceNumber } = await ledger.issueInvoice({ contractId: c, customerId, invoice: firstInvoice(), issuer: ISSUER });
    await ledger.recordPayment({ contractId: c, paymentId: `${c}:p1`, paidOn: '2026-03-20', amount: 1000, allocations: [{ period: '2026-02', amount: 1000 }] });
    const refused = [
      ['UPDATE invoices SET total = total + 1, taxable_subtotal = taxable_subtotal + 1 WHERE number = $1', [invoiceNumber]],
      ['UPDATE invoices SET due_on = due_on + 30 WHERE number = $1', [invoiceNumber]],
      ["UPDATE invoices SET customer_name = 'someone else' WHERE number = $1", [invoiceNumber]],
      ["UPDATE invoices SET customer_email = 'someone@else.example' WHERE number = $1", [invoiceNumber]],
      ['DELETE FROM invoices WHERE number = $1', [invoiceNumber]],
      ['UPDATE invoice_lines SET amount = 1 WHERE invoice_number = $1', [invoiceNumber]],
      ['DELETE FROM invoice_lines WHERE invoice_number = $1', [invoiceNumber]],
      ['UPDATE payments SET amount = 5 WHERE payment_id = $1', [`${c}:p1`]],
      ['DELETE FROM payment_allocations WHERE payment_id = $1', [`${c}:p1`]],
      ['TRUNCATE invoice_lines', []],
    ] as const;
    for (const [sql, params] of refused) {
      await expect(ledger.db.query(sql, [...params]), sql).rejects.toThrow(/cannot|immutable|only be removed/);
    }
    const inv = await ledger.getInvoice(invoiceNumber);
    expect(inv).toMatchObject({ total: 139700, taxableSubtotal: 127000, tax: 12700, dueOn: '2026-03-31', customerName: CUSTOMER.name });
    expect(inv?.lines.map((l) => l.amount)).toEqual([50000, 47000, 30000]);
  });

  it('refuses invoices that do not add up, with the field named, before touching the ledger', async () => {
    const { c, customerId } = await contract();
    const wrongTax = { ...firstInvoice(), tax: 12701, total: 139701 };
    expect(await expectNonRetryable(ledger.issueInvoice({ contractId: c, customerId, invoice: wrongTax, issuer: ISSUER }), 'BadInvoiceData')).toMatch(/tax/);
    const wrongTotal = { ...firstInvoice(), total: 1 };
    expect(await expectNonRetryable(ledger.issueInvoice({ contractId: c, customerId, invoice: wrongTotal, issuer: ISSUER }), 'BadInvoiceData')).toMatch(
      /total/,
    );
    const badRegistration = { name: 'X', registrationNumber: 'T123' };
    expect(
      await expectNonRetryable(ledger.issueInvoice({ contractId: c, customerId, invoice: firstInvoice(), issuer: badRegistration }), 'BadInvoiceData'),
    ).toMatch(/registrationNumber/);
    expect(await expectNonRetryable(ledger.issueInvoice({ contractId: c, customerId: '', invoice: firstInvoice(), issuer: ISSUER }), 'BadInvoiceData')).toMatch(
      /customerId/,
    );
    // The customer must be this contract's: another contract's customer id finds no one to bill.
    const other = await contract();
    expect(
      await expectNonRetryable(
        ledger.issueInvoice({ contractId: c, customerId: other.customerId, invoice: firstInvoice(), issuer: ISSUER }),
        'NoContactOnRecord',
      ),
    ).toContain(`contract ${c}`);
    expect(await ledger.listInvoices(c)).toEqual([]);
    expect(await ledger.listInvoices(other.c)).toEqual([]);
  });

  it('keeps what a qualified invoice states: issuer, registration number, customer, lines, tax per rate, non-taxable apart', async () => {
    const { c, customerId } = await contract();
    const { invoiceNumber } = await ledger.issueInvoice({ contractId: c, customerId, invoice: monthlyInvoice('2026-06', 1234), issuer: ISSUER });
    const inv = await ledger.getInvoice(invoiceNumber);
    expect(inv).toMatchObject({
      number: invoiceNumber,
      contractId: c,
      period: '2026-06',
      issuedOn: '2026-07-01',
      dueOn: '2026-07-31',
      issuer: ISSUER,
      customerName: CUSTOMER.name,
      taxRatePercent: 10,
      taxableSubtotal: 77000,
      tax: 7700,
      nonTaxableSubtotal: 1234,
      total: 85934,
    });
    expect(inv?.lines.map((l) => [l.kind, l.amount, l.taxable, l.taxRatePercent])).toEqual([
      ['managedMonthly', 47000, true, 10],
      ['cloudMonthly', 30000, true, 10],
      ['lateDamages', 1234, false, null],
    ]);
    // D-17: a line priced from the list names its version; a line not from the list names none.
    const priced = monthlyInvoice('2026-07');
    priced.lines[0] = { ...priced.lines[0]!, priceList: 'PL-2026-07' };
    const stored = await ledger.getInvoice((await ledger.issueInvoice({ contractId: c, customerId, invoice: priced, issuer: ISSUER })).invoiceNumber);
    expect(stored?.lines.map((l) => [l.kind, l.priceList])).toEqual([
      ['managedMonthly', 'PL-2026-07'],
      ['cloudMonthly', undefined],
    ]);
    const html = renderInvoiceHtml(inv!);
    for (const text of [
      '適格請求書',
      invoiceNumber,
      '登録番号',
      'T1120001059675',
      '株式会社オプテージ',
      '株式会社サンプル 御中',
      '2026年7月1日',
      '2026年7月31日',
      '10%対象',
      '77,000円',
      '7,700円',
      '不課税',
      '1,234円',
      '85,934円',
      '第27条',
    ]) {
      expect(html, text).toContain(text);
    }
    expect(html).not.toContain('D-13'); // the article only: a decision number is internal
  });

  it('records a payment once per payment id, concurrent duplicates included; other facts under the same id are a conflict', async () => {
    const { c, customerId } = await contract();
    await ledger.issueInvoice({ contractId: c, customerId, invoice: firstInvoice(), issuer: ISSUER });
    await ledger.issueInvoice({ contractId: c, customerId, invoice: monthlyInvoice('2026-03'), issuer: ISSUER });
    const pay = {
      contractId: c,
      paymentId: `${c}:pay:2026-03-31`,
      paidOn: '2026-03-31',
      amount: 150000,
      allocations: [
        { period: '2026-02', amount: 139700 },
        { period: '2026-03', amount: 10300 },
      ],
    };
    const results = await Promise.all([ledger.recordPayment(pay), ledger.recordPayment(pay), ledger.recordPayment(pay)]);
    expect(results.filter((r) => !r.alreadyRecorded)).toHaveLength(1);
    expect(await ledger.recordPayment(pay)).toEqual({ alreadyRecorded: true });
    expect(await count('SELECT count(*) AS n FROM payments WHERE contract_id = $1', [c])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM payment_allocations WHERE contract_id = $1', [c])).toBe(2);

    const invoices = await ledger.listInvoices(c);
    expect(invoices.map((i) => [i.period, i.total, i.paid, i.outstanding])).toEqual([
      ['2026-02', 139700, 139700, 0],
      ['2026-03', 84700, 10300, 74400],
    ]);
    expect(invoices[0]).toMatchObject({ issuedOn: '2026-03-01', dueOn: '2026-03-31' });

    await expectNonRetryable(ledger.recordPayment({ ...pay, amount: 150001 }), 'PaymentConflict');
    await expectNonRetryable(ledger.recordPayment({ ...pay, paymentId: `${c}:over`, allocations: [{ period: '2026-03', amount: 999999 }] }), 'BadPaymentData');
    await expectNonRetryable(ledger.recordPayment({ ...pay, paymentId: `${c}:zero`, amount: 0, allocations: [] }), 'BadPaymentData');
    expect((await ledger.listPayments(c)).map((p) => p.paymentId)).toEqual([pay.paymentId]);
  });

  it('sets an advance payment against invoices issued later, once per (payment, period), never beyond what was paid', async () => {
    const { c, customerId } = await contract();
    const advance = { contractId: c, paymentId: `${c}:advance`, paidOn: '2026-01-25', amount: 150000, allocations: [] };
    await ledger.recordPayment(advance);
    await ledger.issueInvoice({ contractId: c, customerId, invoice: firstInvoice(), issuer: ISSUER }); // 139,700
    const feb = { contractId: c, paymentId: advance.paymentId, period: '2026-02', amount: 139700 };
    expect(await ledger.allocateAdvance(feb)).toEqual({ alreadyRecorded: false });
    expect(await ledger.allocateAdvance(feb)).toEqual({ alreadyRecorded: true });
    await expectNonRetryable(ledger.allocateAdvance({ ...feb, amount: 1 }), 'PaymentConflict');
    await expectNonRetryable(ledger.allocateAdvance({ ...feb, period: '2026-03', amount: 10300 }), 'BadPaymentData'); // no such invoice yet
    await ledger.issueInvoice({ contractId: c, customerId, invoice: monthlyInvoice('2026-03'), issuer: ISSUER });
    await expectNonRetryable(ledger.allocateAdvance({ ...feb, period: '2026-03', amount: 10301 }), 'BadPaymentData'); // 150,000 − 139,700 = 10,300 left
    await ledger.allocateAdvance({ ...feb, period: '2026-03', amount: 10300 });
    expect((await ledger.listInvoices(c)).map((i) => [i.period, i.paid, i.outstanding])).toEqual([
      ['2026-02', 139700, 0],
      ['2026-03', 10300, 74400],
    ]);
    await expectNonRetryable(ledger.allocateAdvance({ ...feb, paymentId: 'nobody' }), 'BadPaymentData');
  });

  it('moves credit from a negative invoice to a later one, once per (from, to), never more than the note holds (D-7, D-12)', async () => {
    const { c, customerId } = await contract();
    const issue = (invoice: ReturnType<typeof monthlyInvoice>) => ledger.issueInvoice({ contractId: c, customerId, invoice, issuer: ISSUER });
    await issue(monthlyInvoice('2026-02')); // 84,700
    const note = await issue(monthlyInvoice('2026-03', -100000)); // 84,700 − 100,000 = −15,300: a credit note
    const april = await issue(monthlyInvoice('2026-04')); // 84,700
    const figures = async () => (await ledger.listInvoices(c)).map((i) => [i.period, i.total, i.paid, i.outstanding]);
    expect(await figures()).toEqual([
      ['2026-02', 84700, 0, 84700],
      ['2026-03', -15300, 0, -15300], // a refund is due until the credit is used
      ['2026-04', 84700, 0, 84700],
    ]);

    const credit = { contractId: c, fromPeriod: '2026-03', toPeriod: '2026-04', amount: 10000 };
    const first = await Promise.all([ledger.applyCredit(credit), ledger.applyCredit(credit), ledger.applyCredit(credit)]);
    expect(first.filter((r) => !r.alreadyRecorded)).toHaveLength(1);
    expect(await ledger.applyCredit(credit)).toEqual({ alreadyRecorded: true });
    expect(await figures()).toEqual([
      ['2026-02', 84700, 0, 84700],
      ['2026-03', -15300, -10000, -5300], // 15,300 − 10,000 still due back
      ['2026-04', 84700, 10000, 74700],
    ]);

    await expectNonRetryable(ledger.applyCredit({ ...credit, amount: 9999 }), 'PaymentConflict');
    await issue(monthlyInvoice('2026-05'));
    expect(await expectNonRetryable(ledger.applyCredit({ ...credit, toPeriod: '2026-05', amount: 5301 }), 'BadPaymentData')).toContain(
      '5300 yen of credit left',
    );
    await expectNonRetryable(ledger.applyCredit({ ...credit, fromPeriod: '2026-02', toPeriod: '2026-05' }), 'BadPaymentData'); // not a credit note
    await expectNonRetryable(ledger.applyCredit({ ...credit, toPeriod: '2026-06' }), 'BadPaymentData'); // not issued
    await expectNonRetryable(ledger.applyCredit({ ...credit, fromPeriod: '2026-04', toPeriod: '2026-03' }), 'BadPaymentData'); // backwards
    expect(await ledger.applyCredit({ ...credit, toPeriod: '2026-05', amount: 5300 })).toEqual({ alreadyRecorded: false });
    expect((await figures())[1]).toEqual(['2026-03', -15300, -15300, 0]);

    // Both invoices show the move; the record cannot be changed afterwards.
    expect((await ledger.getInvoice(april.invoiceNumber))?.credits).toEqual([{ invoiceNumber: note.invoiceNumber, period: '2026-03', amount: 10000 }]);
    expect((await ledger.getInvoice(note.invoiceNumber))?.credits).toEqual([
      { invoiceNumber: april.invoiceNumber, period: '2026-04', amount: -10000 },
      { invoiceNumber: (await ledger.findInvoiceSummary(c, '2026-05'))!.number, period: '2026-05', amount: -5300 },
    ]);
    expect(renderInvoiceHtml((await ledger.getInvoice(april.invoiceNumber))!)).toContain(`credit from ${note.invoiceNumber}`);
    await expect(ledger.db.query('UPDATE credit_applications SET amount = 1 WHERE contract_id = $1', [c])).rejects.toThrow(/cannot be changed/);
  });

  it('claims a notice id once: concurrent senders send once, a failed send releases the claim', async () => {
    const { c } = await contract();
    const notice = { noticeId: `${c}:resumed:1`, contractId: c, kind: 'resumed' as const, on: '2026-03-01' };
    let sends = 0;
    const slowSend = async () => {
      sends += 1;
      await new Promise((r) => setTimeout(r, 50)); // the others arrive while this one holds the claim
      return { subject: 's', contactRevision: 1, messageId: '<m@x>', location: 'test' };
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => ledger.sendNoticeOnce(notice, slowSend)));
    expect(sends).toBe(1);
    expect(results.filter((r) => !r.alreadySent)).toHaveLength(1);

    const other = { ...notice, noticeId: `${c}:resumed:2` };
    await expect(ledger.sendNoticeOnce(other, async () => Promise.reject(new Error('ECONNRESET')))).rejects.toThrow('ECONNRESET');
    expect(await ledger.sendNoticeOnce(other, slowSend)).toEqual({ alreadySent: false });
    expect(sends).toBe(2);
    expect((await ledger.listNotices(c)).map((n) => [n.noticeId, n.contactRevision])).toEqual([
      [notice.noticeId, 1],
      [other.noticeId, 1],
    ]);
  });

  it('holds nothing while a mail goes out, and takes over the claim of an attempt that died mid-send', async () => {
    const { c, customerId } = await contract();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const sent = { subject: 's', contactRevision: 1, messageId: '<m@x>', location: 'test' };
    const slow = ledger.sendNoticeOnce({ noticeId: `${c}:approved`, contractId: c, kind: 'approved', on: '2026-02-01' }, async () => {
      await gate;
      return sent;
    });
    // PGlite has one connection: a transaction kept open over the send would stall this invoice.
    const issued = await ledger.issueInvoice({ contractId: c, customerId, invoice: firstInvoice(), issuer: ISSUER });
    expect(issued.alreadyIssued).toBe(false);
    release();
    expect(await slow).toEqual({ alreadySent: false });

    // A claim two hours old: its attempt is gone; the next attempt sends the notice.
    await ledger.db.query(
      `INSERT INTO notices (notice_id, contract_id, kind, on_date, status, created_at) VALUES ($1, $2, 'resumed', '2026-03-01', 'sending', now() - interval '2 hours')`,
      [`${c}:resumed`, c],
    );
    expect(await ledger.sendNoticeOnce({ noticeId: `${c}:resumed`, contractId: c, kind: 'resumed', on: '2026-03-01' }, async () => sent)).toEqual({
      alreadySent: false,
    });
    expect((await ledger.listNotices(c)).map((n) => n.noticeId)).toEqual([`${c}:approved`, `${c}:resumed`]);
  });

  it('deletion tells the customer, then erases the contact but the name, keeps every amount, and re-runs harmlessly', async () => {
    const { c, customerId } = await contract();
    const resources = new InMemoryResourceApi();
    await resources.provision(c, { accounts: ['admin', 'ops'], resources: ['vm-1', 'vm-2'], data: { 'db.dump': 'x', 'logs.tar': 'y' } });
    const mailer = new CaptureMailer('Neutrix Cloud <billing@neutrix.example>');
    const acts = createEffectAdapters({ ledger, mailer, resources, settings: testSettings() });
    const a = await acts.issueInvoice({ contractId: c, customerId, invoice: firstInvoice() });
    await acts.issueInvoice({ contractId: c, customerId, invoice: monthlyInvoice('2026-03') });
    await acts.recordPayment({
      contractId: c,
      paymentId: `${c}:p`,
      paidOn: '2026-03-31',
      amount: 139700,
      allocations: [{ period: '2026-02', amount: 139700 }],
    });
    await acts.sendNotice({ noticeId: `${c}:approved`, contractId: c, customerId, kind: 'approved', on: '2026-01-20', facts: { startDate: '2026-02-02' } });
    const before = await ledger.listInvoices(c);

    const input = deletionInput(c, customerId, '2026-03-31', '2026-04-01');
    const first = await acts.deleteCustomerData(input);
    expect(first.alreadyDeleted).toBe(false);
    expect(first.deleted).toEqual(
      expect.arrayContaining([
        'account:admin',
        'account:ops',
        'resource:vm-1',
        'resource:vm-2',
        'data:db.dump',
        'data:logs.tar',
        'ledger:contact details erased from 1 customer record(s); the name kept for the invoices',
        'ledger:contact details removed from 2 invoice(s); amounts and name kept',
        'outbox:0 mail(s) deleted', // a CaptureMailer keeps nothing of ours
        'ledger:files compacted',
      ]),
    );
    expect(await resources.holdings(c)).toEqual({ accounts: [], resources: [], data: [] });
    // The dataDeleted notice went out while the address still existed: to the customer, revision 1.
    expect(mailer.mails.map((m) => [m.noticeId, m.to.email])).toEqual([
      [`${c}:approved`, CUSTOMER.email],
      [input.notice.noticeId, CUSTOMER.email],
    ]);
    expect((await ledger.listNotices(c)).map((x) => [x.kind, x.on, x.contactRevision])).toEqual([
      ['approved', '2026-01-20', 1],
      ['dataDeleted', '2026-04-01', 1],
    ]);

    const invoice = await ledger.getInvoice(a.invoiceNumber);
    expect(invoice?.customerName).toBe(CUSTOMER.name); // D-8 as revised: the name stays on the copy
    expect(invoice?.contactRemovedOn).toBe('2026-04-01');
    expect(invoice).toMatchObject({ total: 139700, tax: 12700, paid: 139700, issuer: ISSUER });
    expect(renderInvoiceHtml(invoice!)).toContain(`${CUSTOMER.name} 御中`);
    expect(renderInvoiceHtml(invoice!)).not.toContain(CUSTOMER.email);
    expect(await ledger.listInvoices(c)).toEqual(before.map((i) => ({ ...i, contactRemovedOn: '2026-04-01' })));
    const raw = await ledger.db.query('SELECT * FROM invoices WHERE contract_id = $1', [c]);
    expect(JSON.stringify(raw.rows)).not.toContain(CUSTOMER.email);
    const master = await ledger.db.query('SELECT * FROM customers WHERE contract_id = $1', [c]);
    expect(master.rows).toHaveLength(1);
    expect(JSON.stringify(master.rows)).not.toContain(CUSTOMER.email);
    expect(await ledger.customers.ofContract(c)).toMatchObject({ customerId, contact: null, billingName: CUSTOMER.name, contactRemovedOn: '2026-04-01' });

    // Once removed, the contact cannot be put back.
    await expect(ledger.db.query("UPDATE invoices SET customer_email = 'x@y.z', contact_removed_on = NULL WHERE contract_id = $1", [c])).rejects.toThrow(
      /removed/,
    );

    const callsBefore = resources.calls.length;
    const again = await acts.deleteCustomerData(input);
    expect(again).toEqual({ deleted: first.deleted, alreadyDeleted: true });
    expect(resources.calls.length).toBe(callsBefore); // nothing asked of the resource API again
    expect(mailer.mails).toHaveLength(2); // and no second dataDeleted mail

    // The final invoice after the deletion (D-11: issued on the next 1st) carries the name and no other detail.
    const late = await acts.issueInvoice({ contractId: c, customerId, invoice: { ...monthlyInvoice('2026-04') } });
    expect(await ledger.getInvoice(late.invoiceNumber)).toMatchObject({ customerName: CUSTOMER.name, contactRemovedOn: '2026-04-01', total: 84700 });
    const lateRow = await ledger.db.query<{ customer_email: unknown }>('SELECT customer_email FROM invoices WHERE number = $1', [late.invoiceNumber]);
    expect(lateRow.rows[0]?.customer_email).toBeNull();
    // No address is left to write to: a notice due after the deletion is recorded as withheld, and not mailed.
    const lateNotice = {
      noticeId: `${c}:invoiceIssued:2026-04`,
      contractId: c,
      customerId,
      kind: 'invoiceIssued' as const,
      on: '2026-05-01',
      facts: { period: '2026-04', invoiceTotal: 84700, dueOn: '2026-05-31' },
    };
    expect(await acts.sendNotice(lateNotice)).toEqual({ alreadySent: false });
    expect(await acts.sendNotice(lateNotice)).toEqual({ alreadySent: true });
    expect(mailer.mails).toHaveLength(2);
    expect((await ledger.listNotices(c)).map((x) => [x.kind, x.status, x.contactRevision])).toEqual([
      ['approved', 'sent', 1],
      ['dataDeleted', 'sent', 1],
      ['invoiceIssued', 'withheld', null],
    ]);
    const withheld = await ledger.db.query('SELECT status, subject, contact_revision FROM notices WHERE notice_id = $1', [lateNotice.noticeId]);
    expect(withheld.rows).toEqual([{ status: 'withheld', subject: 'withheld: the contact was erased on 2026-04-01 (D-8)', contact_revision: null }]);
  });

  it('a deletion interrupted after a step resumes without losing what the first attempt deleted', async () => {
    const { c, customerId } = await contract();
    const store = new InMemoryResourceApi();
    await store.provision(c, { accounts: ['admin'], resources: ['vm-1'], data: { 'a.bin': '1' } });
    let failOnce = true;
    const flaky = {
      deleteAccounts: (id: string) => store.deleteAccounts(id),
      deleteResources: async (id: string) => {
        if (failOnce) {
          failOnce = false;
          throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
        }
        return store.deleteResources(id);
      },
      deleteStoredData: (id: string) => store.deleteStoredData(id),
    };
    const acts = createEffectAdapters({ ledger, mailer: new CaptureMailer('x <x@neutrix.example>'), resources: flaky, settings: testSettings() });
    const input = deletionInput(c, customerId, '2026-03-31', '2026-04-01');
    await expect(acts.deleteCustomerData(input)).rejects.toThrow(/ECONNREFUSED/); // transient: retried by Temporal
    const partial = await ledger.getDeletion(c);
    expect(partial).toMatchObject({ accounts: ['admin'], resources: null, completedAt: null });
    expect(await ledger.listNotices(c)).toEqual([]); // the customer is told only once everything is deleted
    expect((await ledger.customers.ofContract(c))?.contact).toEqual(CUSTOMER); // and the address is still there for it

    const done = await acts.deleteCustomerData(input);
    expect(done.alreadyDeleted).toBe(false);
    expect(done.deleted.slice(0, 3)).toEqual(['account:admin', 'resource:vm-1', 'data:a.bin']);
    expect(store.calls.filter((x) => x.method === 'deleteAccounts')).toHaveLength(1);
    expect((await ledger.listNotices(c)).map((x) => x.kind)).toEqual(['dataDeleted']);

    await expectNonRetryable(acts.deleteCustomerData({ ...input, deletionDay: '2026-04-02' }), 'BadDeletionRequest');
    const fresh = await contract();
    expect(
      await expectNonRetryable(acts.deleteCustomerData(deletionInput(fresh.c, fresh.customerId, '2026-04-01', '2026-04-01')), 'BadDeletionRequest'),
    ).toContain('only after the last contract day');
    // The notice the deletion sends must be the dataDeleted notice of the same contract and customer.
    const otherNotice = { ...deletionInput(fresh.c, fresh.customerId, '2026-03-31', '2026-04-01'), notice: input.notice };
    expect(await expectNonRetryable(acts.deleteCustomerData(otherNotice), 'BadDeletionRequest')).toContain(`the dataDeleted notice is for contract ${c}`);
    const wrongKind = deletionInput(fresh.c, fresh.customerId, '2026-03-31', '2026-04-01');
    wrongKind.notice.kind = 'approved';
    expect(await expectNonRetryable(acts.deleteCustomerData(wrongKind), 'BadDeletionRequest')).toContain('the deletion sends the dataDeleted notice');
    expect(await ledger.getDeletion(fresh.c)).toBeUndefined(); // refused before anything began
  });
}

describe('ledger on PGlite', () => ledgerSuite(pgliteEngine));
describe.runIf(Boolean(TEST_DATABASE_URL))('ledger on PostgreSQL (TEST_DATABASE_URL)', () => ledgerSuite(postgresEngine));

describe('ledger reopened from its folder (PGlite on disk)', () => {
  it('keeps the records and applies no migration twice', async () => {
    const tmp = tempDir('neutrix-ledger-');
    try {
      const one = await Ledger.open(await openPglite(tmp.dir));
      const customerId = await registerCustomer(one, 'C-disk');
      const issued = await one.issueInvoice({ contractId: 'C-disk', customerId, invoice: firstInvoice(), issuer: ISSUER });
      await one.close();
      const two = await Ledger.open(await openPglite(tmp.dir));
      expect(await migrate(two.db)).toEqual([]);
      expect((await two.listInvoices('C-disk')).map((i) => i.number)).toEqual([issued.invoiceNumber]);
      expect(await two.issueInvoice({ contractId: 'C-disk', customerId, invoice: firstInvoice(), issuer: ISSUER })).toMatchObject({ alreadyIssued: true });
      expect(await two.customers.contactFor('C-disk', customerId)).toEqual({ contact: CUSTOMER, revision: 1 });
      await two.close();
    } finally {
      tmp.remove();
    }
  }, 180_000); // two on-disk clusters: initdb in WebAssembly is slow on a busy machine
});

describe('PGlite on disk serves one process', () => {
  it('a second open of the same folder is refused with a clear message, and allowed again after close', async () => {
    const tmp = tempDir('neutrix-lock-');
    const dir = `${tmp.dir}/ledger`;
    try {
      const db = await openPglite(dir);
      await expect(openPglite(dir)).rejects.toThrow(/already open in this process/);
      await db.close();
      const again = await openPglite(dir);
      await again.close();
    } finally {
      tmp.remove();
    }
  }, 180_000);
});
