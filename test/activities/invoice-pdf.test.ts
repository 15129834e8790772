/**
 * The invoice PDF rendered for a hand-written invoice and read back with pdf.js: the issuer's
 * name, address and registration number, the transfer account, each line in the customer's words with its
 * amount, an extra charge's reason as its basis (not 別表2), the waived first-month cloud fee (別表3 §1),
 * totals and tax by rate (D-10); the same bytes on a second render; a PNG of page 1 kept for a look. The HTML
 * copy says the same (one module for the labels), and every domain line begins with its kind's label.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderInvoiceHtml, renderInvoicePdf, type DocumentFacts, type StoredInvoice } from '../../src/activities';
import { LINE_LABELS, customerLine } from '../../src/activities/invoice-labels';
import { componentAdditionLine, initialFeeLine, monthlyChargeLines } from '../../src/domain/billing';
import {
  convenienceCompensation,
  damagesReduction,
  downgradeSettlement,
  earlyTerminationFee,
  extraChargeLine,
  outageCredit,
  penaltyLines,
} from '../../src/domain/charges';
import { lateDamagesLine } from '../../src/domain/payments';
import { monthlyFees } from '../../src/domain/pricing';
import { invoiceNotes } from '../../src/domain/statement';
import type { InvoiceLine, ServiceTerms } from '../../src/domain/types';
import { EXAMPLE_SETTINGS, exampleSettingWarnings, loadSettings } from '../../src/settings';
import { havePdftoppm, havePdftotext, pdfLayoutText, pdfPng, pdfText } from '../helpers/pdf';

const TERMS: ServiceTerms = { plan: 'standard', components: [{ os: 'linux' }, { os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 30_000 };
/** Usage from 2026-02-10, after February's 2nd business day: February's cloud fee is waived (別表3 §1). */
const START = '2026-02-10';
const extra = extraChargeLine('障害対応 超過分 2件（2月）', 8_000, true);
const domainLines: InvoiceLine[] = [initialFeeLine(2), ...monthlyChargeLines(TERMS, '2026-02', START), extra];

const FACTS: DocumentFacts = {
  issuerAddress: '〒530-0005 大阪府大阪市北区中之島3丁目6番32号',
  bankAccount: '三井住友銀行 梅田支店 普通 7654321 カ）オプテージ',
  notes: invoiceNotes({ period: '2026-02', startDate: START, history: [{ from: '2026-02', terms: TERMS }] }),
};

/** As the ledger gives it back: 50,000 + 38,000 + 8,000 = 96,000 taxable, tax 9,600, total 105,600. */
const INVOICE: StoredInvoice = {
  number: 'INV-000042',
  contractId: 'C-1001',
  period: '2026-02',
  issuedOn: '2026-03-01',
  dueOn: '2026-03-31',
  taxableSubtotal: 96_000,
  tax: 9_600,
  nonTaxableSubtotal: 0,
  total: 105_600,
  paid: 0,
  outstanding: 105_600,
  contactRemovedOn: null,
  issuer: { name: '株式会社オプテージ (OPTAGE Inc.)', registrationNumber: 'T1120001059675' },
  customerName: '株式会社サンプル',
  taxRatePercent: 10,
  lines: domainLines.map((l, i) => ({ ...l, lineNo: i + 1, taxRatePercent: l.taxable ? 10 : null })),
  allocations: [],
  credits: [],
  recordedAt: '2026-03-01T00:05:00.000Z',
  document: null,
};

/** Text without the spaces and line breaks pdf.js puts between runs. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('the invoice PDF', () => {
  it("states the issuer, the customer, each line in the customer's words, the reason of an extra charge, the waived cloud fee, totals, tax and the transfer account", async () => {
    expect(domainLines.map((l) => [l.kind, l.amount])).toEqual([
      ['initialFee', 50_000],
      ['managedMonthly', 38_000],
      ['extraCharge', 8_000],
    ]); // no cloudMonthly: waived
    expect(FACTS.notes).toEqual([{ kind: 'cloudFeeWaived', amount: 30_000, startDate: START, rule: '別表3' }]);
    const pdf = await renderInvoicePdf(INVOICE, FACTS);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, info } = await pdfText(pdf);
    expect(pages).toHaveLength(1);
    const text = squeeze(pages[0]!);
    for (const s of [
      '請求書（適格請求書）',
      '株式会社オプテージ(OPTAGEInc.)',
      '〒530-0005大阪府大阪市北区中之島3丁目6番32号',
      'T1120001059675',
      '株式会社サンプル御中',
      'INV-000042',
      '2026年3月1日',
      '2026年2月分',
      '2026年3月31日',
      'C-1001',
      '初期費用/Initialfee',
      '50,000円',
      'マネージドサービス月額料金/Managedservicemonthlyfee',
      '38,000円',
      '追加料金/Extracharge',
      '8,000円',
      '理由/Reason:障害対応超過分2件（2月）',
      '10%対象小計/Taxableat10%',
      '96,000円',
      '消費税（10%）/Consumptiontax',
      '9,600円',
      '不課税小計',
      '105,600円',
      'NeutrixCloud利用料（月額30,000円）',
      '初月分をご請求しません（別表3）',
      'notchargedforthefirstmonth',
      'お振込先/Banktransfer',
      '三井住友銀行梅田支店普通7654321カ）オプテージ',
    ])
      expect(text, s).toContain(s);
    // No internal names; the extra charge's basis is its reason, not the price list.
    for (const internal of ['initialFee', 'managedMonthly', 'extraCharge', 'cloudFeeWaived']) expect(text).not.toContain(internal);
    expect(text).not.toMatch(/8,000円.*別表2/);
    expect(text.match(/別表2/g)).toHaveLength(2); // the initial fee and the managed fee only
    expect(String(info.Title)).toBe('請求書 INV-000042 (2026-02)');
    if (havePdftoppm) pdfPng(pdf, 'invoice-pdf');
    else console.warn('invoice-pdf.png not made: pdftoppm is missing (apt-get install -y poppler-utils)');
  });

  it('is the same bytes on a second render (creation date = issue date, no random id)', async () => {
    const [a, b] = [await renderInvoicePdf(INVOICE, FACTS), await renderInvoicePdf(structuredClone(INVOICE), structuredClone(FACTS))];
    expect(createHash('sha256').update(a).digest('hex')).toBe(createHash('sha256').update(b).digest('hex'));
    expect((await pdfText(a)).info.CreationDate).toMatch(/^D:20260228150000Z/); // 2026-03-01 00:00 JST
    const other = await renderInvoicePdf({ ...INVOICE, number: 'INV-000043' }, FACTS);
    expect(other.equals(a)).toBe(false);
  });

  it('runs onto a second page for a long invoice, every line kept', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...extraChargeLine(`作業 ${i + 1}`, 1_000, true), lineNo: i + 1, taxRatePercent: 10 }));
    const long = { ...INVOICE, lines: many, taxableSubtotal: 40_000, tax: 4_000, total: 44_000 };
    const { pages } = await pdfText(await renderInvoicePdf(long, FACTS));
    expect(pages.length).toBeGreaterThan(1);
    const all = squeeze(pages.join(''));
    for (let i = 1; i <= 40; i++) expect(all).toContain(`理由/Reason:作業${i}`);
    expect(all).toContain(`1/${pages.length}`);
  });

  it('the HTML copy says the same: labels, the reason, the waived fee, the address and the transfer account, no internal names', () => {
    const html = renderInvoiceHtml({
      ...INVOICE,
      document: { ...FACTS, contractId: 'C-1001', period: '2026-02', invoiceNumber: 'INV-000042', sha256: '0'.repeat(64), createdAt: '' },
    });
    for (const s of [
      '初期費用 / Initial fee',
      '追加料金 / Extra charge',
      '理由 / Reason: 障害対応 超過分 2件（2月）',
      '初月分をご請求しません',
      FACTS.issuerAddress,
      FACTS.bankAccount,
      'T1120001059675',
    ])
      expect(html, s).toContain(s);
    for (const internal of ['initialFee', 'managedMonthly', 'extraCharge']) expect(html).not.toContain(internal);
    const extraRow = html.split('<tr>').find((r) => r.includes('追加料金 / Extra charge'))!;
    expect(extraRow).not.toContain('別表2');
  });

  it('notes a waived fee only where 別表3 §1 waives it: the month of S, S on or after the 2nd business day, a cloud fee to waive', () => {
    const history = [{ from: '2026-02', terms: TERMS }];
    expect(invoiceNotes({ period: '2026-02', startDate: '2026-02-02', history })).toEqual([]); // Mon 2 Feb 2026: the 1st business day
    expect(invoiceNotes({ period: '2026-02', startDate: '2026-02-03', history })).toHaveLength(1); // the 2nd
    expect(invoiceNotes({ period: '2026-03', startDate: START, history })).toEqual([]);
    expect(invoiceNotes({ period: '2026-02', startDate: START, history: [{ from: '2026-02', terms: { ...TERMS, cloudMonthlyFee: 0 } }] })).toEqual([]);
  });

  it('the issuer address and the transfer account are settings, their lengths checked, the variable named', () => {
    expect(loadSettings({}).INVOICE_BANK_ACCOUNT).toBe('三井住友銀行 本店営業部 普通 1234567 カ）オプテージ');
    expect(loadSettings({}).INVOICE_ISSUER_ADDRESS).toContain('大阪');
    expect(() => loadSettings({ INVOICE_BANK_ACCOUNT: 'x'.repeat(201) })).toThrow(/INVOICE_BANK_ACCOUNT: at most 200 characters/);
    expect(() => loadSettings({ INVOICE_ISSUER_ADDRESS: ' ' })).toThrow(/INVOICE_ISSUER_ADDRESS: at least 5 characters/);
  });

  it.skipIf(!havePdftotext)('keeps the issuer address on its lines: the postal code, then the address unbroken; the registration number whole', async () => {
    const lines = (facts: DocumentFacts) => renderInvoicePdf(INVOICE, facts).then((pdf) => pdfLayoutText(pdf).split('\n'));
    const text = await lines(FACTS);
    const line = (s: string) => text.filter((l) => l.includes(s));
    expect(line('〒530-0005')).toHaveLength(1);
    expect(line('大阪府大阪市北区中之島3丁目6番32号')).toHaveLength(1); // once broken after 3丁目6
    expect(line('T1120001059675')).toHaveLength(1);
    // A longer address breaks at its space, before the building's name, each part whole.
    const long = await lines({ ...FACTS, issuerAddress: '〒100-0005 東京都千代田区丸の内一丁目9番2号 グラントウキョウサウスタワー23階' });
    expect(long.filter((l) => l.includes('東京都千代田区丸の内一丁目9番2号'))).toHaveLength(1);
    expect(long.filter((l) => l.includes('グラントウキョウサウスタワー23階'))).toHaveLength(1);
  });

  it('names the price-list version each line was priced from (D-17), in the PDF and the HTML', async () => {
    const priced = { ...INVOICE, lines: INVOICE.lines.map((l) => (l.kind === 'managedMonthly' ? { ...l, priceList: 'PL-2026-01' } : l)) };
    const { pages } = await pdfText(await renderInvoicePdf(priced, FACTS));
    expect(squeeze(pages[0]!)).toContain('料金表PL-2026-01');
    expect(squeeze(pages[0]!)).toContain('pricelistPL-2026-01');
    expect(squeeze(pages[0]!).match(/PL-2026-01/g)).toHaveLength(2); // the managed fee's line only
    const html = renderInvoiceHtml({
      ...priced,
      document: { ...FACTS, contractId: 'C-1001', period: '2026-02', invoiceNumber: 'INV-000042', sha256: '0'.repeat(64), createdAt: '' },
    });
    const row = html.split('<tr>').find((r) => r.includes('マネージドサービス月額料金'))!;
    expect(row).toContain('料金表 PL-2026-01');
  });

  it('cites the articles (第N条, 別表) of every kind of line and never an internal decision number (D-n), in the PDF and the HTML', async () => {
    const lines = everyLine().map((l, i) => ({ ...l, lineNo: i + 1, taxRatePercent: l.taxable ? 10 : null }));
    expect(lines.some((l) => /D-\d/.test(l.rule))).toBe(true); // the ledger keeps the decision for the back office
    const invoice = { ...INVOICE, lines, customerName: null, contactRemovedOn: '2026-09-01' };
    const { pages } = await pdfText(await renderInvoicePdf(invoice, FACTS));
    const pdf = pages.join('\n');
    expect(pdf).not.toMatch(/D-\d/);
    expect(squeeze(pdf)).toContain('第11条2項'); // the ETF's article stays
    const html = renderInvoiceHtml({
      ...invoice,
      document: { ...FACTS, contractId: 'C-1001', period: '2026-02', invoiceNumber: 'INV-000042', sha256: '0'.repeat(64), createdAt: '' },
    });
    expect(html).not.toMatch(/D-\d/);
    expect(html).toContain('第11条2項');
  });

  it("every line the domain makes begins with its kind's label, so no line falls back to its description", () => {
    const lines: InvoiceLine[] = everyLine();
    expect(new Set(lines.map((l) => l.kind)).size).toBe(Object.keys(LINE_LABELS).length - 1); // all but extraCharge, which shows its reason
    for (const l of lines) expect(l.description.startsWith(LINE_LABELS[l.kind].ja), l.kind).toBe(true);
    expect(customerLine(extraChargeLine('値引き', -500, true))).toMatchObject({
      label: { ja: '減額調整', en: 'Reduction' },
      basis: { ja: '理由 / Reason: 値引き' },
    });
  });
});

/** One line of every kind the domain makes (extraCharge aside). */
function everyLine(): InvoiceLine[] {
  const fees = monthlyFees({ ...TERMS, metricCapRelaxations: 1 });
  return [
    initialFeeLine(2),
    componentAdditionLine(1),
    ...monthlyChargeLines({ ...TERMS, metricCapRelaxations: 1 }, '2026-03', START),
    earlyTerminationFee({ endDay: '2026-06-30', minimumTermEnd: '2027-02-09', fixedMonthlyFee: 70_000 })!,
    downgradeSettlement({ oldFixedMonthlyFee: 70_000, newFixedMonthlyFee: 50_000, effectiveMonth: '2026-06', minimumTermEnd: '2027-02-09' })!,
    convenienceCompensation(70_000),
    damagesReduction({ amount: 5_000, monthlyFeeCap: 70_000 }),
    ...penaltyLines(1_000),
    lateDamagesLine(123, ''),
    outageCredit({
      scope: 'managed',
      knownAt: '2026-04-01T09:00+09:00',
      restoredAt: '2026-04-03T09:00+09:00',
      grossNegligence: false,
      fees,
      startDate: START,
    })!,
  ];
}

describe('settings still holding their examples (見本 / SAMPLE)', () => {
  const html = (inv: StoredInvoice, facts: DocumentFacts) =>
    renderInvoiceHtml({
      ...inv,
      document: { ...facts, contractId: 'C-1001', period: '2026-02', invoiceNumber: 'INV-000042', sha256: '0'.repeat(64), createdAt: '' },
    });
  const exampleNumber = { ...INVOICE, issuer: { ...INVOICE.issuer, registrationNumber: EXAMPLE_SETTINGS.INVOICE_REGISTRATION_NUMBER } };
  const exampleAccount = { ...FACTS, bankAccount: EXAMPLE_SETTINGS.INVOICE_BANK_ACCOUNT };

  it("warn at start, one line per setting, naming it; nothing once both are the provider's own", () => {
    const warnings = exampleSettingWarnings(loadSettings({}));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^settings: INVOICE_REGISTRATION_NUMBER still holds the example "T1234567890123": .*見本 \/ SAMPLE/);
    expect(warnings[1]).toMatch(/^settings: INVOICE_BANK_ACCOUNT still holds the example/);
    for (const w of warnings) expect(w).not.toContain('\n');
    expect(exampleSettingWarnings(loadSettings({ INVOICE_REGISTRATION_NUMBER: 'T1120001059675', INVOICE_BANK_ACCOUNT: FACTS.bankAccount }))).toEqual([]);
  });

  it('mark the PDF made with them 見本 / SAMPLE, naming the setting; a real one is not marked', async () => {
    const text = async (inv: StoredInvoice, facts: DocumentFacts) => squeeze((await pdfText(await renderInvoicePdf(inv, facts))).pages[0]!);
    expect(await text(INVOICE, FACTS)).not.toContain('SAMPLE');
    const byNumber = await text(exampleNumber, FACTS);
    expect(byNumber).toContain('見本/SAMPLE');
    expect(byNumber).toContain('INVOICE_REGISTRATION_NUMBER');
    expect(await text(INVOICE, exampleAccount)).toContain('見本/SAMPLE');
  });

  it('mark the HTML invoice document made with them, title and banner', () => {
    expect(html(INVOICE, FACTS)).not.toContain('SAMPLE');
    for (const doc of [html(exampleNumber, FACTS), html(INVOICE, exampleAccount)]) {
      expect(doc).toContain('<title>【見本 / SAMPLE】請求書 INV-000042');
      expect(doc).toMatch(/<p class="sample" id="sample">見本 \/ SAMPLE/);
    }
    expect(html(INVOICE, exampleAccount)).toContain('(INVOICE_BANK_ACCOUNT)');
  });
});
