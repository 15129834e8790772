/**
 * The invoice's PDF at issue, through a real SMTP server (smtp-server on 127.0.0.1): made once by
 * (contract, period) and stored with its SHA-256 (migration 8); the invoiceIssued mail carries the same bytes
 * as `invoice-<number>.pdf` (application/pdf) and the transfer account; a retried or repeated issue makes no
 * second document, even with other settings; the deletion (Art. 30, D-8) keeps it, with the name only.
 * On PGlite always, on PostgreSQL when TEST_DATABASE_URL is set (CI).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryResourceApi, SmtpMailer, createEffectAdapters, type Ledger } from '../../src/activities';
import type { EffectInput } from '../../src/workflows/contract/activities';
import {
  CUSTOMER,
  TEST_DATABASE_URL,
  deletionInput,
  firstInvoice,
  pgliteEngine,
  postgresEngine,
  registerCustomer,
  startSmtpServer,
  testSettings,
  type LedgerEngine,
} from './support';
import { pdfText } from '../helpers/pdf';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const BANK = 'テスト銀行 本店 普通 7654321 カ）オプテージ';
const ADDRESS = '〒530-0005 大阪府大阪市北区中之島3丁目6番32号';

function documentSuite(engine: LedgerEngine) {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let ledger: Ledger;
  let dispose: () => Promise<void>;
  let mailer: SmtpMailer;
  let acts: ReturnType<typeof createEffectAdapters>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ({ ledger, dispose } = await engine.open());
    const settings = testSettings({ SMTP_URL: smtp.url, INVOICE_BANK_ACCOUNT: BANK, INVOICE_ISSUER_ADDRESS: ADDRESS });
    mailer = new SmtpMailer(smtp.url, settings.MAIL_FROM);
    acts = createEffectAdapters({ ledger, mailer, resources: new InMemoryResourceApi(), settings });
  });
  afterAll(async () => {
    await mailer?.close();
    await dispose?.();
    await smtp?.close();
  });

  /** What the workflow hands the activity for a month: the invoice (figures), its notes, its notice (ids). */
  const effects = (c: string, customerId: string): EffectInput[] => [
    {
      type: 'issueInvoice',
      input: {
        contractId: c,
        customerId,
        invoice: firstInvoice(),
        notes: [{ kind: 'cloudFeeWaived', amount: 30_000, startDate: '2026-02-10', rule: '別表3' }],
      },
    },
    {
      type: 'notice',
      input: {
        noticeId: `${c}:invoiceIssued:2026-02`,
        contractId: c,
        customerId,
        kind: 'invoiceIssued',
        on: '2026-03-01',
        facts: { period: '2026-02', invoiceTotal: 139_700, dueOn: '2026-03-31' },
      },
    },
  ];

  it('mails the PDF stored in the ledger: invoice-<number>.pdf, application/pdf, the same SHA-256; the body names the transfer account', async () => {
    const c = 'C-PDF-1';
    const customerId = await registerCustomer(ledger, c);
    const before = smtp.received.length;
    const outcomes = await acts.carryOutEffects(effects(c, customerId));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(JSON.stringify(outcomes)).not.toContain(CUSTOMER.name); // what goes back to Temporal: ids and numbers
    const stored = (await ledger.documents.find(c, '2026-02'))!;
    expect(stored).toBeDefined();
    expect(stored.sha256).toBe(sha256(stored.pdf));
    expect(outcomes[0]).toEqual({ ok: true, invoiceNumber: stored.invoiceNumber });
    expect(stored).toMatchObject({ bankAccount: BANK, issuerAddress: ADDRESS });

    expect(smtp.received.length).toBe(before + 1);
    const mail = smtp.received.at(-1)!.parsed;
    expect(mail.attachments).toHaveLength(1);
    const [att] = mail.attachments;
    expect(att!.filename).toBe(`invoice-${stored.invoiceNumber}.pdf`);
    expect(att!.contentType).toBe('application/pdf');
    expect(sha256(att!.content)).toBe(stored.sha256);
    expect(mail.text).toContain(`お振込先: ${BANK}`);
    expect(mail.text).toContain(`Bank transfer to: ${BANK}`);
    expect(mail.text).toContain(`invoice-${stored.invoiceNumber}.pdf`);

    const text = (await pdfText(att!.content)).pages.join('').replace(/\s+/g, '');
    for (const s of [CUSTOMER.name, stored.invoiceNumber, ADDRESS.replace(/\s+/g, ''), BANK.replace(/\s+/g, ''), '139,700円', '初月分をご請求しません'])
      expect(text, s).toContain(s);
    // The HTML copy reads the same facts from the ledger.
    const inv = (await ledger.findInvoice(c, '2026-02'))!;
    expect(inv.document).toMatchObject({ sha256: stored.sha256, bankAccount: BANK, notes: [{ kind: 'cloudFeeWaived', amount: 30_000 }] });
  });

  it('a retried or repeated issue makes no second document, even under other settings; concurrent issues leave one', async () => {
    const c = 'C-PDF-2';
    const customerId = await registerCustomer(ledger, c);
    const [a, b] = await Promise.all([
      acts.issueInvoice(effects(c, customerId)[0]!.input as never),
      acts.issueInvoice(effects(c, customerId)[0]!.input as never),
    ]);
    expect(a.document.sha256).toBe(b.document.sha256);
    const other = createEffectAdapters({
      ledger,
      mailer,
      resources: new InMemoryResourceApi(),
      settings: testSettings({ INVOICE_BANK_ACCOUNT: '別の銀行 支店 普通 1111111 カ）ベツ' }),
    });
    const again = await other.issueInvoice(effects(c, customerId)[0]!.input as never);
    expect(again).toMatchObject({ alreadyIssued: true, document: { sha256: a.document.sha256, bankAccount: BANK } });
    const rows = await ledger.db.query<{ n: number }>('SELECT count(*)::int AS n FROM invoice_documents WHERE contract_id = $1', [c]);
    expect(Number(rows.rows[0]!.n)).toBe(1);
    // The stored document is never changed or removed.
    await expect(ledger.db.query(`UPDATE invoice_documents SET bank_account = 'x' WHERE contract_id = $1`, [c])).rejects.toThrow(/cannot be changed/);
    await expect(ledger.db.query('DELETE FROM invoice_documents WHERE contract_id = $1', [c])).rejects.toThrow(/cannot be changed/);
  });

  it('a second store of the same invoice keeps the first document and answers its bytes, not its own', async () => {
    const c = 'C-PDF-5';
    const customerId = await registerCustomer(ledger, c);
    const first = (await acts.issueInvoice(effects(c, customerId)[0]!.input as never)).document;
    const other = Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256)); // every byte value
    const answered = await ledger.documents.store({
      contractId: c,
      period: '2026-02',
      invoiceNumber: first.invoiceNumber,
      facts: { issuerAddress: ADDRESS, bankAccount: 'x', notes: [] },
      pdf: other,
    });
    expect(answered.sha256).toBe(first.sha256);
    expect(answered.bankAccount).toBe(BANK);
    expect(answered.pdf.equals(first.pdf)).toBe(true);
    expect(sha256(answered.pdf)).toBe(first.sha256); // the bytes read back are the ones stored
  });

  it('bad notes fail for good, naming them, before anything is issued', async () => {
    const c = 'C-PDF-3';
    const customerId = await registerCustomer(ledger, c);
    const input = { contractId: c, customerId, invoice: firstInvoice(), notes: [{ kind: 'somethingElse', amount: -1 }] };
    await expect(acts.issueInvoice(input as never)).rejects.toThrow(/invoice notes/);
    expect(await ledger.findInvoice(c, '2026-02')).toBeUndefined();
  });

  it('the deletion (D-8) keeps the document with the name, as it keeps the invoice; the mail went before', async () => {
    const c = 'C-PDF-4';
    const customerId = await registerCustomer(ledger, c);
    await acts.carryOutEffects(effects(c, customerId));
    const before = (await ledger.documents.find(c, '2026-02'))!;
    await acts.deleteCustomerData(deletionInput(c, customerId, '2026-03-31', '2026-04-01'));
    const after = (await ledger.documents.find(c, '2026-02'))!;
    expect(after.sha256).toBe(before.sha256);
    expect(after.pdf.equals(before.pdf)).toBe(true);
    const text = (await pdfText(after.pdf)).pages.join('');
    expect(text).toContain(CUSTOMER.name);
    expect(text).not.toContain(CUSTOMER.email); // never on it
  });
}

describe('the invoice PDF on PGlite: stored at issue, mailed with its notice', () => documentSuite(pgliteEngine));
describe.runIf(Boolean(TEST_DATABASE_URL))('the invoice PDF on PostgreSQL (TEST_DATABASE_URL)', () => documentSuite(postgresEngine));
