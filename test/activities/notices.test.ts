/**
 * Notices through a real SMTP server (smtp-server on 127.0.0.1): what arrives is MIME-decoded with
 * mailparser and checked for recipient, subject and the facts in the body. Also the .eml outbox, the
 * idempotency by notice id, and how failures are classified.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InMemoryResourceApi,
  REQUIRED_FACTS,
  SmtpMailer,
  createEffectAdapters,
  outboxFileName,
  openDependencies,
  openInMemoryLedger,
  type Ledger,
} from '../../src/activities';
import { renderNotice } from '../../src/activities/mail/templates';
import { NOTICE_KINDS, type NoticeFacts, type NoticeKind } from '../../src/domain/types';
import { CUSTOMER, closedPort, expectNonRetryable, firstInvoice, registerCustomer, startSmtpServer, tempDir, testSettings } from './support';

/** Facts a workflow would pass for each kind (the contract of the scenario: start 2026-02-02). */
const FACTS: Record<NoticeKind, NoticeFacts> = {
  applicationReceived: { appliedOn: '2026-01-05', article: '第7条' },
  approved: { startDate: '2026-02-02', minimumTermEnd: '2027-02-01', article: '第8条・第9条' },
  rejected: {},
  deemedRejected: {},
  changeApproved: { effectiveMonth: '2026-05', amount: 93600, article: '第12条' },
  changeRejected: {},
  changeDeemedRejected: {},
  invoiceIssued: { period: '2026-02', invoiceTotal: 139700, dueOn: '2026-03-31', article: '別表3' },
  paymentReceived: { amount: 84700, article: '別表3' },
  paymentOverdue: { period: '2026-03', outstanding: 84700, dueOn: '2026-04-30', article: '第27条' },
  paymentReminder: { period: '2026-03', outstanding: 84700, dueOn: '2026-04-30', invoiceNumber: 'INV-2026-000123', article: '別表3 D-31' },
  paymentSecondNotice: {
    period: '2026-03',
    outstanding: 84700,
    dueOn: '2026-04-30',
    suspensionDay: '2026-05-30',
    payBy: '2026-05-29',
    article: '第27条 D-13 D-31',
  },
  suspensionWarning: {
    period: '2026-03',
    outstanding: 1234567,
    dueOn: '2026-04-30',
    suspensionDay: '2026-05-30',
    payBy: '2026-05-29',
    article: '第18条1項1号 D-14 D-31',
  },
  suspended: { outstanding: 84700, terminationDay: '2026-07-01', article: '第18条 D-14' },
  resumed: { article: '第18条' },
  cancellationAccepted: { endDate: '2026-09-30', earlyTerminationFee: 338800, article: '第28条・第11条' },
  renewalDeclined: { endDate: '2027-02-01', earlyTerminationFee: 0, article: '第11条1項' },
  terminationNotice: { endDate: '2026-08-31', compensation: 231000, article: '第29条3項' },
  terminated: { terminationDay: '2026-07-01', earlyTerminationFee: 592900, article: '第29条1項 D-14' },
  dataDeleted: { endDate: '2026-09-30', article: '第30条 D-8' },
  priceListChanged: { effectiveMonth: '2026-07', priceListId: 'PL-2026-07', article: '第4条 D-17' },
  serviceDiscontinued: { endDate: '2026-08-31', postedOn: '2026-06-15', emergency: false, article: '第5条 D-18' },
  maintenanceScheduled: { from: '2026-06-10T02:00:00+09:00', to: '2026-06-10T05:00:00+09:00', emergency: false, article: '第17条1項1号' },
};

/** What each kind's subject and decoded body must state (Japanese and English). */
const STATES: Record<NoticeKind, { subject: string[]; body: string[] }> = {
  applicationReceived: { subject: ['お申込み受付', '2026年1月5日'], body: ['2026年1月5日', '2026年3月6日', '2026-03-06', '第7条'] },
  approved: { subject: ['承諾', '2026年2月2日', '2026-02-02'], body: ['2026年2月2日', '2027年2月1日', '2027-02-01', '第8条・第9条'] },
  rejected: { subject: ['承諾いたしかねます', 'not accepted'], body: ['第10条'] },
  deemedRejected: { subject: ['承諾しなかったものとみなされました'], body: ['60日以内', 'within 60 days'] },
  changeApproved: { subject: ['契約変更承諾', '2026年5月', 'May 2026'], body: ['93,600円', '2026年5月1日', '第12条'] },
  changeRejected: { subject: ['契約変更', 'not accepted'], body: ['現在の内容のまま継続', 'continues unchanged'] },
  changeDeemedRejected: { subject: ['契約変更', 'deemed'], body: ['60日以内', 'within 60 days'] },
  invoiceIssued: {
    subject: ['2026年2月分', '139,700円', '2026年3月31日', 'due 2026-03-31'],
    body: ['139,700円', '127,000円', '12,700円', '2026年3月31日', '2026-03-31', 'INV-', '別表3'],
  },
  paymentReceived: { subject: ['ご入金確認', '84,700円'], body: ['84,700円', '2026年4月30日', '2026-04-30'] },
  paymentOverdue: { subject: ['お支払いのお願い', '84,700円'], body: ['2026年3月分', '2026年4月30日', '84,700円', '14.5%', '第27条'] },
  paymentReminder: {
    subject: ['お支払期限のご案内', '2026年3月分', '84,700円', '2026年4月30日', 'due 2026-04-30'],
    body: ['請求書番号 INV-2026-000123', '2026年4月30日', 'ご請求残高: 84,700円', '14.5%', '別表3', 'Balance still due: 84,700 yen', 'Appendix 3'],
  },
  paymentSecondNotice: {
    subject: ['督促状', '2026年3月分', '84,700円', 'Second notice'],
    body: ['2026年4月30日', '84,700円', '2026年5月29日までに', '2026年5月30日から', '第27条', 'by 2026-05-29', 'from 2026-05-30', 'Art. 18-1-1'],
  },
  suspensionWarning: {
    subject: ['ご利用停止の予告', '2026年5月30日', '1,234,567円', 'from 2026-05-30'],
    body: ['1,234,567円', '2026年4月30日', '2026年5月29日までに', '第25条', '第18条1項1号', 'Art. 18-1-1', 'by 2026-05-29'],
  },
  suspended: {
    subject: ['ご利用停止'],
    body: ['84,700円', '2026年7月1日', '2026-07-01', '第18条', '第25条', 'Art. 25', 'terms of contract, Art. 18'],
  },
  resumed: { subject: ['利用停止解除'], body: ['第18条'] },
  cancellationAccepted: { subject: ['解約受付', '2026年9月30日'], body: ['2026年9月30日', '338,800円', '第11条2項', '2026年10月1日', '2026-10-01'] },
  renewalDeclined: { subject: ['更新しない', '2027年2月1日'], body: ['2027年2月1日', '2027-02-01', '第11条1項'] },
  terminationNotice: {
    subject: ['利用契約解除', '2026年8月31日'],
    body: ['231,000円', '2026年8月31日', '2026-08-31', '第29条3項', '2026-08-31 (Art. 29-3)', 'terms of contract, Art. 29-3'],
  },
  terminated: { subject: ['利用契約終了', '2026年7月1日'], body: ['592,900円', '2026年7月1日', '第29条1項'] },
  dataDeleted: { subject: ['データ削除完了'], body: ['2026年9月30日', '第30条', 'cannot be restored'] },
  priceListChanged: { subject: ['料金表改定', '2026年7月'], body: ['PL-2026-07', '2026年7月1日', '2026-07-01', '第4条'] },
  serviceDiscontinued: { subject: ['提供終了', '2026年8月31日'], body: ['2026年6月15日', '2026年8月31日', '第5条', '2026-09-01'] },
  maintenanceScheduled: {
    subject: ['メンテナンス', '2026年6月10日 02:00'],
    body: ['2026年6月10日 05:00', '2026-06-10 02:00 JST', '第17条1項1号', 'Art. 17-1-1'],
  },
};

describe('notices through a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let ledger: Ledger;
  let acts: ReturnType<typeof createEffectAdapters>;
  let mailer: SmtpMailer;
  /** The ledger's customer id of each contract (the notices name the customer by it; the ledger has the address). */
  const customer: Record<string, string> = {};

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ledger = await openInMemoryLedger();
    const settings = testSettings({ SMTP_URL: smtp.url });
    mailer = new SmtpMailer(smtp.url, settings.MAIL_FROM);
    acts = createEffectAdapters({ ledger, mailer, resources: new InMemoryResourceApi(), settings });
    for (const c of ['C-0001', 'C-0002', 'C-0003', 'C-0004', 'C-0005', 'C-0007']) customer[c] = await registerCustomer(ledger, c);
    customer['C-0006'] = await registerCustomer(ledger, 'C-0006', { name: 'X', email: 'gone@reject.example' });
    await acts.issueInvoice({ contractId: 'C-0001', customerId: customer['C-0001']!, invoice: firstInvoice() });
  });
  afterAll(async () => {
    await mailer?.close();
    await ledger?.close();
    await smtp?.close();
  });

  it('sends every one of the kinds, in Japanese with English below, stating its facts', async () => {
    expect(Object.keys(FACTS).sort()).toEqual([...NOTICE_KINDS].sort());
    for (const kind of NOTICE_KINDS) {
      const on = kind === 'paymentReceived' ? '2026-04-30' : kind === 'terminated' || kind === 'suspended' ? '2026-06-01' : '2026-01-05';
      const before = smtp.received.length;
      const r = await acts.sendNotice({ noticeId: `C-0001:${kind}:k`, contractId: 'C-0001', customerId: customer['C-0001']!, kind, on, facts: FACTS[kind] });
      expect(r, kind).toEqual({ alreadySent: false });
      expect(smtp.received.length, kind).toBe(before + 1);
      const mail = smtp.received.at(-1)!;
      expect(mail.to).toEqual([CUSTOMER.email]);
      expect(mail.from).toBe('billing@neutrix.example');
      const subject = mail.parsed.subject ?? '';
      const body = mail.parsed.text ?? '';
      expect(subject, kind).toMatch(/^【Neutrix Cloud】/);
      for (const s of STATES[kind].subject) expect(subject, `${kind} subject`).toContain(s);
      for (const s of STATES[kind].body) expect(body, `${kind} body`).toContain(s);
      // Japanese first, the English rendering below it.
      // A company addressed by its name: 御中 (no contact person on record).
      expect(body.indexOf(`${CUSTOMER.name} 御中`), kind).toBe(0);
      expect(body).not.toContain(`${CUSTOMER.name} 様`);
      expect(body.indexOf(`To ${CUSTOMER.name},`), kind).toBeGreaterThan(body.indexOf('根拠'));
      // The English rendering writes amounts in English (84,700 yen), the subject's English half too.
      const english = body.slice(body.indexOf('---- English'));
      expect(english, `${kind} English`).not.toMatch(/\d円/);
      expect(subject.slice(subject.indexOf(' / ')), `${kind} English subject`).not.toMatch(/\d円/);
      // The articles only: a decision number (D-n) is internal, the customer cannot look it up.
      expect(`${subject}\n${body}`, kind).not.toMatch(/\bD-\d+/);
      expect(mail.parsed.headers.get('x-neutrix-notice-id')).toBe(`C-0001:${kind}:k`);
      expect(mail.parsed.messageId).toMatch(/^<notice\.C-0001_.*@neutrix\.example>$/);
      const to = mail.parsed.to && !Array.isArray(mail.parsed.to) ? mail.parsed.to.value[0] : undefined;
      expect(to).toMatchObject({ address: CUSTOMER.email, name: CUSTOMER.name });
    }
    const sent = await ledger.listNotices('C-0001');
    expect(sent.map((n) => n.kind).sort()).toEqual([...NOTICE_KINDS].sort());
    expect(new Set(sent.map((n) => n.contactRevision))).toEqual(new Set([1])); // the contact as registered
    expect(sent.every((n) => n.location?.startsWith('smtp:250') && !n.location.includes('@'))).toBe(true); // the server's reply, no address
  });

  it('a rejection carries no reason, whatever the caller passes (Art. 10)', async () => {
    for (const kind of ['rejected', 'deemedRejected', 'changeRejected', 'changeDeemedRejected'] as const) {
      const facts = { appliedOn: '2026-01-05', reason: '信用状況に問題があるため', startDate: '2099-01-01', amount: 31337 } as NoticeFacts;
      await acts.sendNotice({ noticeId: `C-0002:${kind}`, contractId: 'C-0002', customerId: customer['C-0002']!, kind, on: '2026-02-10', facts });
      const mail = smtp.received.at(-1)!;
      const all = `${mail.parsed.subject}\n${mail.parsed.text}`;
      expect(all, kind).toContain('2026年1月5日');
      for (const leaked of ['信用状況', 'reason', '2099', '31,337']) expect(all, kind).not.toContain(leaked);
    }
  });

  it('sends once per notice id: a repeat, and concurrent duplicates, send nothing more', async () => {
    const input = {
      noticeId: 'C-0003:paymentReceived:p1',
      contractId: 'C-0003',
      customerId: customer['C-0003']!,
      kind: 'paymentReceived' as const,
      on: '2026-03-31',
      facts: { amount: 139700 },
    };
    const before = smtp.received.length;
    expect(await acts.sendNotice(input)).toEqual({ alreadySent: false });
    expect(await acts.sendNotice(input)).toEqual({ alreadySent: true });
    expect(smtp.received.length).toBe(before + 1);

    const other = { ...input, noticeId: 'C-0003:paymentReceived:p2' };
    const results = await Promise.all([acts.sendNotice(other), acts.sendNotice(other), acts.sendNotice(other)]);
    expect(results.filter((r) => !r.alreadySent)).toHaveLength(1);
    expect(smtp.received.length).toBe(before + 2);
    expect(smtp.received.filter((m) => m.parsed.headers.get('x-neutrix-notice-id') === other.noticeId)).toHaveLength(1);
  });

  it('bad data fails for good, naming the problem, and sends nothing', async () => {
    const before = smtp.received.length;
    const base = { noticeId: 'C-0004:x', contractId: 'C-0004', customerId: customer['C-0004']!, on: '2026-03-01' };
    expect(
      await expectNonRetryable(acts.sendNotice({ ...base, customerId: ' ', kind: 'approved', facts: { startDate: '2026-02-02' } }), 'BadNoticeData'),
    ).toMatch(/customerId/);
    // The customer must be the contract's own: another contract's customer id reaches no one.
    expect(
      await expectNonRetryable(
        acts.sendNotice({ ...base, customerId: customer['C-0003']!, kind: 'approved', facts: { startDate: '2026-02-02' } }),
        'NoContactOnRecord',
      ),
    ).toContain('for contract C-0004');
    expect(await expectNonRetryable(acts.sendNotice({ ...base, kind: 'bogus' as NoticeKind, facts: {} }), 'BadNoticeData')).toMatch(
      /unknown notice kind "bogus"/,
    );
    expect(await expectNonRetryable(acts.sendNotice({ ...base, kind: 'invoiceIssued', facts: { period: '2026-02' } }), 'BadNoticeData')).toMatch(
      /invoiceTotal, dueOn/,
    );
    expect(await expectNonRetryable(acts.sendNotice({ ...base, kind: 'approved', facts: { startDate: '2026-02-31' } }), 'BadNoticeData')).toMatch(
      /facts\.startDate/,
    );
    expect(await expectNonRetryable(acts.sendNotice({ ...base, kind: 'paymentReceived', facts: { amount: 1.5 } }), 'BadNoticeData')).toMatch(/facts\.amount/);
    expect(smtp.received.length).toBe(before);
    expect(await ledger.listNotices('C-0004')).toEqual([]);
    expect(REQUIRED_FACTS.invoiceIssued).toEqual(['period', 'invoiceTotal', 'dueOn']);
  });

  it('a notice id reused for another notice is refused', async () => {
    await acts.sendNotice({ noticeId: 'C-0005:n', contractId: 'C-0005', customerId: customer['C-0005']!, kind: 'resumed', on: '2026-03-01', facts: {} });
    await expectNonRetryable(
      acts.sendNotice({ noticeId: 'C-0005:n', contractId: 'C-0005', customerId: customer['C-0005']!, kind: 'suspended', on: '2026-03-01', facts: {} }),
      'BadNoticeData',
    );
  });

  it('a permanent SMTP rejection (550) is non-retryable and leaves the notice unsent, so nothing is recorded', async () => {
    const before = smtp.received.length;
    const msg = await expectNonRetryable(
      acts.sendNotice({
        noticeId: 'C-0006:approved',
        contractId: 'C-0006',
        customerId: customer['C-0006']!,
        kind: 'approved',
        on: '2026-01-20',
        facts: { startDate: '2026-02-02' },
      }),
      'MailRejected',
    );
    expect(msg).toMatch(/550/);
    expect(msg).toContain('mailbox unavailable'); // the server's reason, without the address it names (the Web UI shows it)
    expect(msg).not.toContain('gone@reject.example');
    expect(msg).not.toContain('@');
    expect(smtp.received.length).toBe(before);
    expect(await ledger.listNotices('C-0006')).toEqual([]);
  });

  it('an unreachable SMTP server is a transient error: retried, and the retry sends the notice', async () => {
    const settings = testSettings();
    const down = new SmtpMailer(`smtp://127.0.0.1:${await closedPort()}`, settings.MAIL_FROM);
    const broken = createEffectAdapters({ ledger, mailer: down, resources: new InMemoryResourceApi(), settings });
    const input = { noticeId: 'C-0007:resumed', contractId: 'C-0007', customerId: customer['C-0007']!, kind: 'resumed' as const, on: '2026-03-01', facts: {} };
    const err = await broken.sendNotice(input).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure); // thrown as it is: Temporal retries it
    expect(`${(err as { code?: string }).code} ${(err as Error).message}`).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    await down.close();
    expect(await ledger.listNotices('C-0007')).toEqual([]);
    expect(await acts.sendNotice(input)).toEqual({ alreadySent: false }); // the "retry", with the server up
    expect(smtp.received.at(-1)?.parsed.headers.get('x-neutrix-notice-id')).toBe('C-0007:resumed');
  });
});

describe('the salutation and the references a customer reads (rendered mails)', () => {
  const render = (kind: NoticeKind, to: { name: string; email: string; contactPerson?: string }) =>
    renderNotice({ noticeId: `C-0001:${kind}:k`, contractId: 'C-0001', kind, on: '2026-06-01', to, facts: FACTS[kind], issuerName: 'テスト株式会社' });

  it('addresses a company by its name with 御中, and the named contact person with 様 after the company', () => {
    const company = render('resumed', CUSTOMER).text;
    expect(company.split('\n')[0]).toBe('株式会社サンプル 御中');
    expect(company).toContain('\nTo 株式会社サンプル,\n');
    const person = render('resumed', { ...CUSTOMER, contactPerson: '経理部 山田' }).text;
    expect(person.split('\n')[0]).toBe('株式会社サンプル 経理部 山田様');
    expect(person).not.toContain('御中');
    expect(person).toContain('\nDear 経理部 山田 (株式会社サンプル),\n');
    // A person already written with 様 is not addressed twice.
    expect(render('resumed', { ...CUSTOMER, contactPerson: '山田 太郎 様' }).text.split('\n')[0]).toBe('株式会社サンプル 山田 太郎様');
  });

  it('cites the articles (第N条) and never an internal decision number (D-n), in any kind', () => {
    for (const kind of NOTICE_KINDS) {
      const r = render(kind, CUSTOMER);
      expect(`${r.subject}\n${r.text}`, kind).not.toMatch(/\bD-\d+/);
    }
    expect(render('dataDeleted', CUSTOMER).text).toContain('根拠: Neutrix Cloud 契約約款 第30条\n');
    expect(render('priceListChanged', CUSTOMER).text).toContain('（第4条）');
    expect(render('suspensionWarning', CUSTOMER).text).toContain('Basis: Neutrix Cloud terms of contract, Art. 18-1-1\n');
  });
});

describe('notices without SMTP_URL: .eml files in DATA_DIR/outbox', () => {
  it('writes one readable .eml per notice id, named after its contract and notice; a repeat writes nothing', async () => {
    const tmp = tempDir('neutrix-outbox-');
    const deps = await openDependencies(testSettings({ DATA_DIR: tmp.dir }));
    try {
      const acts = createEffectAdapters(deps);
      const customerId = await registerCustomer(deps.ledger, 'C-0010');
      const input = {
        noticeId: 'C-0010:invoiceIssued:2026-02',
        contractId: 'C-0010',
        customerId,
        kind: 'invoiceIssued' as const,
        on: '2026-03-01',
        facts: { period: '2026-02', invoiceTotal: 139700, dueOn: '2026-03-31' },
      };
      await acts.issueInvoice({ contractId: 'C-0010', customerId, invoice: firstInvoice() });
      expect(await acts.sendNotice(input)).toEqual({ alreadySent: false });
      expect(await acts.sendNotice(input)).toEqual({ alreadySent: true });
      const outbox = join(tmp.dir, 'outbox');
      const files = readdirSync(outbox);
      expect(files).toHaveLength(1);
      expect(files[0]).toBe(outboxFileName('C-0010', input.noticeId));
      expect(files[0]).toMatch(/^C-0010~C-0010_invoiceIssued_2026-02-[0-9a-f]{8}\.eml$/);
      expect(statSync(join(outbox, files[0]!)).mode & 0o777).toBe(0o600); // it holds the customer's name and address
      const parsed = await simpleParser(readFileSync(join(outbox, files[0]!)));
      expect(parsed.subject).toContain('139,700円');
      expect(parsed.text).toContain('お支払期限: 2026年3月31日');
      expect(parsed.text).toContain('Due date: 2026-03-31');
      expect(parsed.text).toMatch(/請求書番号 INV-\d{6}/);
      const to = parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined;
      expect(to).toBe(CUSTOMER.email);
      const [notice] = await deps.ledger.listNotices('C-0010');
      expect(notice).toMatchObject({ kind: 'invoiceIssued', on: '2026-03-01', contactRevision: 1, location: join(outbox, files[0]!) });

      // An attempt killed after writing the mail, before the ledger marked it sent: the retry (once the
      // claim expired) finds the mail in the outbox and leaves it as it was — one delivery, not two.
      const again = { ...input, noticeId: 'C-0010:resumed:1', kind: 'resumed' as const, facts: {} };
      const first = await deps.mailer.send({ noticeId: again.noticeId, contractId: 'C-0010', kind: 'resumed', to: CUSTOMER, subject: 's', text: 't' });
      const path = join(outbox, readdirSync(outbox).find((f) => f.startsWith('C-0010~C-0010_resumed'))!);
      const written = statSync(path);
      expect(await acts.sendNotice(again)).toEqual({ alreadySent: false });
      expect(statSync(path).ino).toBe(written.ino); // the same file: nothing delivered again
      expect(readdirSync(outbox)).toHaveLength(2); // and no partial file left behind
      expect((await deps.ledger.listNotices('C-0010')).find((n) => n.noticeId === again.noticeId)?.location).toBe(first.location);
    } finally {
      await deps.close();
      tmp.remove();
    }
  });
});
