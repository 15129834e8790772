/**
 * The issued invoice as a PDF (適格請求書), made once at issue and stored in the ledger: the issuer's
 * name, address and registration number, the customer's name as invoiced (D-8 keeps it), the lines in the
 * customer's words with their basis (invoice-labels.ts, shared with the HTML document), the taxable subtotal
 * and tax per rate (別表3 D-10), the non-taxable lines apart, the notes on a fee left out (別表3 §1), the due
 * date and the transfer account.
 *
 * pdfkit with BIZ UDPGothic (TrueType, from an npm package) embedded as a subset: no browser, no system font.
 * Deterministic: the creation date is the issue date (00:00 JST), the file id derives from it and the title,
 * the font subset's tag from the font — the same invoice renders the same bytes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { RULE, articleOf, ruleInEnglish } from '../domain/rules';
import { projectRoot } from '../files';
import { examplesIn } from '../settings';
import { addressLines, customerLine, noteText } from './invoice-labels';
import { sampleStamp, unbroken } from './invoice-pdf-marks';
import type { DocumentFacts } from './ledger/documents';
import type { StoredInvoice } from './ledger/ledger';
import { enMonth, jaDate, jaMonth, yenText } from './mail/format';

const FONT_FILES = {
  regular: '@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf',
  bold: '@expo-google-fonts/biz-udpgothic/700Bold/BIZUDPGothic_700Bold.ttf',
} as const;
type Font = ReturnType<typeof fontkit.create>;
let fonts: { regular: Font; bold: Font } | undefined;
/** The fonts, read and parsed once per process (parsing a CJK font for each invoice would cost more than the rest). */
function fontData(): { regular: Font; bold: Font } {
  if (!fonts) {
    const req = createRequire(join(projectRoot, 'package.json'));
    const open = (file: string): Font => fontkit.create(readFileSync(req.resolve(file)));
    fonts = { regular: open(FONT_FILES.regular), bold: open(FONT_FILES.bold) };
  }
  return fonts;
}

type Doc = InstanceType<typeof PDFDocument>;
const PAGE = { width: 595.28, height: 841.89, margin: 48 };
const GREY = '#555555';
/** Table columns: x and width. */
const COL = { no: [48, 18], text: [70, 226], rate: [300, 40], basis: [344, 110], amount: [456, 91] } as const;

function pdfFile(inv: StoredInvoice): { doc: Doc; bytes: Promise<Buffer> } {
  // The issue date at 00:00 JST: no clock, so a retried issue makes the same bytes.
  const issued = new Date(`${inv.issuedOn}T00:00:00+09:00`);
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: true,
    lang: 'ja-JP',
    displayTitle: true,
    info: { Title: `請求書 ${inv.number} (${inv.period})`, Author: inv.issuer.name, Subject: `Invoice ${inv.number}`, CreationDate: issued, ModDate: issued },
  });
  const chunks: Buffer[] = [];
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const f = fontData();
  doc.registerFont('jp', f.regular as never); // pdfkit takes a parsed fontkit font as it takes a file
  doc.registerFont('jp-bold', f.bold as never);
  doc.font('jp');
  return { doc, bytes };
}

/** A label (Japanese, English smaller below it) and its value at the same height; answers the next y. */
function field(doc: Doc, x: number, y: number, ja: string, en: string, value: string, width = 282): number {
  doc.font('jp').fontSize(8).fillColor(GREY).text(`${ja} / ${en}`, x, y, { width: 110 });
  doc
    .fontSize(9.5)
    .fillColor('black')
    .text(value, x + 112, y - 1, { width: width - 112 });
  return Math.max(doc.y, y + 13) + 2;
}

function rule(doc: Doc, y: number, weight = 0.5): void {
  doc
    .moveTo(PAGE.margin, y)
    .lineTo(PAGE.width - PAGE.margin, y)
    .lineWidth(weight)
    .strokeColor('#999999')
    .stroke();
}

/** A new page when less than `need` points are left. */
function room(doc: Doc, y: number, need: number): number {
  if (y + need <= PAGE.height - PAGE.margin - 20) return y;
  doc.addPage();
  return PAGE.margin;
}

const ISSUER_WIDTH = 202;

function header(doc: Doc, inv: StoredInvoice, facts: DocumentFacts): number {
  doc.font('jp-bold').fontSize(18).fillColor('black').text('請求書（適格請求書）', PAGE.margin, PAGE.margin);
  doc.font('jp').fontSize(9).fillColor(GREY).text('Invoice (qualified invoice)', PAGE.margin, doc.y);
  sampleStamp(doc, examplesIn({ registrationNumber: inv.issuer.registrationNumber, bankAccount: facts.bankAccount }));
  // The customer, left; D-8: the name stays on the copy, no other contact detail is on it.
  const customer = inv.customerName ? `${inv.customerName} 御中` : '（お客様情報は削除済み / contact details removed）';
  doc.font('jp-bold').fontSize(13).fillColor('black').text(customer, PAGE.margin, 110, { width: 260 });
  let left = doc.y + 8;
  left = field(doc, PAGE.margin, left, '請求書番号', 'Invoice no.', inv.number);
  left = field(doc, PAGE.margin, left, '発行日', 'Issued on', `${jaDate(inv.issuedOn)} (${inv.issuedOn})`);
  left = field(doc, PAGE.margin, left, '対象期間', 'Period', `${jaMonth(inv.period)}分 (${enMonth(inv.period)})`);
  left = field(doc, PAGE.margin, left, 'お支払期限', 'Due on', `${jaDate(inv.dueOn)} (${inv.dueOn})`);
  left = field(doc, PAGE.margin, left, 'ご契約番号', 'Contract', inv.contractId);
  // The issuer, right: name, address, registration number (a qualified invoice states them).
  const x = 345;
  doc.font('jp').fontSize(8).fillColor(GREY).text('発行事業者 / Issuer', x, 110);
  doc
    .font('jp-bold')
    .fontSize(11)
    .fillColor('black')
    .text(inv.issuer.name, x, doc.y + 2, { width: ISSUER_WIDTH });
  doc.y += 2;
  for (const part of addressLines(facts.issuerAddress, (s) => doc.font('jp').fontSize(9).widthOfString(s) <= ISSUER_WIDTH))
    unbroken(doc, part, x, ISSUER_WIDTH);
  doc
    .font('jp')
    .fontSize(8)
    .fillColor(GREY)
    .text('登録番号 / Registration no.', x, doc.y + 3, { width: ISSUER_WIDTH });
  doc
    .fontSize(9.5)
    .fillColor('black')
    .text(inv.issuer.registrationNumber, x, doc.y + 1, { width: ISSUER_WIDTH });
  const right = doc.y;
  let y = Math.max(left, right) + 14;
  // The amount due, boxed.
  doc
    .rect(PAGE.margin, y, PAGE.width - 2 * PAGE.margin, 34)
    .lineWidth(1)
    .strokeColor('black')
    .stroke();
  doc
    .font('jp')
    .fontSize(9)
    .fillColor('black')
    .text('ご請求金額（税込）/ Amount due (tax included)', PAGE.margin + 10, y + 12);
  doc
    .font('jp-bold')
    .fontSize(16)
    .text(yenText(inv.total), PAGE.margin, y + 8, { width: PAGE.width - 2 * PAGE.margin - 10, align: 'right' });
  y += 48;
  return y;
}

function lines(doc: Doc, inv: StoredInvoice, start: number): number {
  const head = (y: number): number => {
    const cell = (ja: string, en: string, [x, width]: readonly [number, number], align: 'left' | 'right' = 'left') => {
      doc.font('jp').fontSize(8).fillColor(GREY).text(ja, x, y, { width, align });
      doc.fontSize(7).text(en, x, y + 10, { width, align });
    };
    cell('#', '', COL.no);
    cell('内容', 'Description', COL.text);
    cell('税率', 'Rate', COL.rate);
    cell('根拠', 'Basis', COL.basis);
    cell('金額（税抜）', 'Amount (before tax)', COL.amount, 'right');
    rule(doc, y + 21, 0.8);
    return y + 26;
  };
  let y = head(start);
  // Taxable lines first, then the non-taxable ones (不課税: D-5, D-7, D-13), as the totals group them.
  const ordered = [...inv.lines.filter((l) => l.taxable), ...inv.lines.filter((l) => !l.taxable)];
  for (const l of ordered) {
    const c = customerLine(l);
    const title = `${c.label.ja} / ${c.label.en}`;
    const basisEn = c.basis.en !== c.basis.ja ? c.basis.en : '';
    doc.font('jp').fontSize(9.5);
    const h =
      Math.max(
        doc.heightOfString(title, { width: COL.text[1] }) + (c.detail ? doc.fontSize(8).heightOfString(c.detail, { width: COL.text[1] }) + 2 : 0),
        doc.fontSize(8.5).heightOfString(c.basis.ja, { width: COL.basis[1] }) +
          (basisEn ? doc.fontSize(7.5).heightOfString(basisEn, { width: COL.basis[1] }) : 0),
      ) + 8;
    const top = room(doc, y, h);
    if (top !== y) y = head(top);
    doc.font('jp').fontSize(9).fillColor('black').text(String(l.lineNo), COL.no[0], y, { width: COL.no[1] });
    doc.fontSize(9.5).text(title, COL.text[0], y, { width: COL.text[1] });
    if (c.detail)
      doc
        .fontSize(8)
        .fillColor(GREY)
        .text(c.detail, COL.text[0], doc.y + 2, { width: COL.text[1] });
    doc
      .fontSize(9)
      .fillColor('black')
      .text(l.taxable ? `${l.taxRatePercent ?? inv.taxRatePercent}%` : '不課税', COL.rate[0], y, { width: COL.rate[1] });
    doc.fontSize(8.5).text(c.basis.ja, COL.basis[0], y, { width: COL.basis[1] });
    if (basisEn) doc.fontSize(7.5).fillColor(GREY).text(basisEn, COL.basis[0], doc.y, { width: COL.basis[1] });
    doc.fontSize(9.5).fillColor('black').text(yenText(l.amount), COL.amount[0], y, { width: COL.amount[1], align: 'right' });
    y += h;
    rule(doc, y - 4);
  }
  return y + 6;
}

function totals(doc: Doc, inv: StoredInvoice, start: number): number {
  let y = room(doc, start, 90);
  const x = 236;
  const row = (label: string, value: string, bold = false): void => {
    doc
      .font(bold ? 'jp-bold' : 'jp')
      .fontSize(bold ? 11 : 9.5)
      .fillColor('black')
      .text(label, x, y, { width: 216 });
    doc.text(value, COL.amount[0], y, { width: COL.amount[1], align: 'right' });
    y += bold ? 18 : 15;
  };
  row(`${inv.taxRatePercent}%対象 小計 / Taxable at ${inv.taxRatePercent}%`, yenText(inv.taxableSubtotal));
  row(`消費税（${inv.taxRatePercent}%）/ Consumption tax`, yenText(inv.tax));
  row('不課税 小計 / Outside the scope of tax', yenText(inv.nonTaxableSubtotal));
  doc
    .moveTo(x, y - 2)
    .lineTo(PAGE.width - PAGE.margin, y - 2)
    .lineWidth(1)
    .strokeColor('black')
    .stroke();
  y += 2;
  row('ご請求金額 / Total', yenText(inv.total), true);
  return y + 6;
}

/** Free text in two languages under a heading; answers the next y. */
function block(doc: Doc, y: number, heading: string, paragraphs: Array<{ text: string; grey?: boolean }>): number {
  const width = PAGE.width - 2 * PAGE.margin;
  const need = 20 + paragraphs.reduce((s, p) => s + doc.fontSize(p.grey ? 8 : 9).heightOfString(p.text, { width }) + 3, 0);
  y = room(doc, y, need);
  doc.font('jp-bold').fontSize(10).fillColor('black').text(heading, PAGE.margin, y);
  y = doc.y + 3;
  for (const p of paragraphs) {
    doc
      .font('jp')
      .fontSize(p.grey ? 8 : 9)
      .fillColor(p.grey ? GREY : 'black')
      .text(p.text, PAGE.margin, y, { width });
    y = doc.y + 3;
  }
  return y + 8;
}

/** The PDF of an issued invoice with the facts fixed at issue. */
export async function renderInvoicePdf(inv: StoredInvoice, facts: DocumentFacts): Promise<Buffer> {
  const { doc, bytes } = pdfFile(inv);
  let y = header(doc, inv, facts);
  y = lines(doc, inv, y);
  y = totals(doc, inv, y);
  if (facts.notes.length) {
    y = block(
      doc,
      y,
      'ご請求しない料金 / Fees not charged',
      facts.notes.flatMap((n) => {
        const t = noteText(n);
        return [{ text: t.ja }, { text: t.en, grey: true }];
      }),
    );
  }
  y = block(doc, y, 'お振込先 / Bank transfer', [
    { text: `${jaDate(inv.dueOn)}までに下記口座へお振込みください。 Please transfer the total by ${inv.dueOn} to:` },
    { text: facts.bankAccount },
  ]);
  block(doc, y, '備考 / Notes', [
    { text: `消費税は請求書ごとに税率別に一回計算し、1円未満を切り捨てています（${articleOf(RULE.tax)}）。`, grey: true },
    { text: `Consumption tax is computed once per invoice and rate, fractions of a yen discarded (${ruleInEnglish(articleOf(RULE.tax))}).`, grey: true },
  ]);
  // Page numbers, once every page is laid out.
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.page.margins.bottom = 0; // the footer sits in the margin: no page break for it
    doc
      .font('jp')
      .fontSize(7.5)
      .fillColor(GREY)
      .text(`${inv.number}  ${i + 1} / ${range.count}`, PAGE.margin, PAGE.height - PAGE.margin + 10, {
        width: PAGE.width - 2 * PAGE.margin,
        align: 'right',
        lineBreak: false,
      });
  }
  doc.end();
  return bytes;
}

/** The file name the document is sent and downloaded as. */
export function invoicePdfName(invoiceNumber: string): string {
  return `invoice-${invoiceNumber}.pdf`;
}
