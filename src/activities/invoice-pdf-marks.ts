/** Parts of the invoice PDF's page: an address line kept whole, the 見本 / SAMPLE stamp. */
import type PDFDocument from 'pdfkit';

type Doc = InstanceType<typeof PDFDocument>;

/** One line at 9 pt, smaller (down to 7 pt) rather than broken inside a block number; wrapped only if it fits no way. */
export function unbroken(doc: Doc, text: string, x: number, width: number): void {
  doc.font('jp').fillColor('black');
  const size = [9, 8.5, 8, 7.5, 7].find((s) => doc.fontSize(s).widthOfString(text) <= width) ?? 7;
  doc.fontSize(size).text(text, x, doc.y, { width, lineGap: 1 });
}

/** Made with the settings' examples: stamped 見本 / SAMPLE, the settings named, so it is never taken for an invoice. */
export function sampleStamp(doc: Doc, examples: string[]): void {
  if (!examples.length) return;
  const [x, y, w] = [367, 42, 180];
  doc.rect(x, y, w, 44).lineWidth(2).strokeColor('#b00020').stroke();
  doc
    .font('jp-bold')
    .fontSize(18)
    .fillColor('#b00020')
    .text('見本 / SAMPLE', x, y + 6, { width: w, align: 'center' });
  doc
    .font('jp')
    .fontSize(6.5)
    .text(`設定の見本値 / example settings: ${examples.join(', ')}`, x + 4, y + 28, { width: w - 8, align: 'center' });
  doc.fillColor('black');
}
