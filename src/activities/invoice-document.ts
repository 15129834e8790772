/**
 * An issued invoice as a readable, self-contained HTML document: a qualified invoice (適格請求書) stating
 * the issuer, its address and registration number, the issue date, the customer, every line in the
 * customer's words with its rate (10% or 不課税) and basis (invoice-labels.ts, as the PDF says it), the
 * taxable subtotal and the tax per rate, the non-taxable lines apart, the fees not charged and why, the
 * total, due date and transfer account (fixed in the document at issue), and what was paid since.
 * Deterministic: the same record renders the same bytes.
 */
import { RULE, articleOf, ruleInEnglish } from '../domain/rules';
import { examplesIn } from '../settings';
import { customerLine, noteText } from './invoice-labels';
import type { StoredInvoice } from './ledger/ledger';
import { enMonth, escapeHtml as h, jaDate, jaMonth, yenText } from './mail/format';

export function renderInvoiceHtml(inv: StoredInvoice): string {
  const taxable = inv.lines.filter((l) => l.taxable);
  const nonTaxable = inv.lines.filter((l) => !l.taxable);
  const row = (l: StoredInvoice['lines'][number]) => {
    const c = customerLine(l);
    return `
      <tr>
        <td class="no">${l.lineNo}</td>
        <td>${h(c.label.ja)} / ${h(c.label.en)}${c.detail ? `<div class="detail">${h(c.detail)}</div>` : ''}</td>
        <td class="rate">${l.taxable ? `${l.taxRatePercent ?? inv.taxRatePercent}%` : '不課税'}</td>
        <td class="rule">${h(c.basis.ja)}${c.basis.en !== c.basis.ja ? `<div class="detail">${h(c.basis.en)}</div>` : ''}</td>
        <td class="amount">${h(yenText(l.amount))}</td>
      </tr>`;
  };
  const doc = inv.document;
  const notes = doc?.notes.length
    ? `
  <h2>ご請求しない料金 / Fees not charged</h2>
  ${doc.notes.map((n) => `<p class="note">${h(noteText(n).ja)}<br><span class="small">${h(noteText(n).en)}</span></p>`).join('\n  ')}`
    : '';
  const transfer = doc
    ? `
  <h2>お振込先 / Bank transfer</h2>
  <p>${h(jaDate(inv.dueOn))}までに下記口座へお振込みください。 Please transfer the total by ${h(inv.dueOn)} to:<br><span id="bank-account">${h(doc.bankAccount)}</span></p>`
    : '';
  // D-8: the name stays on the copy (a qualified invoice carries it); no other contact detail is kept on it.
  const customer = inv.customerName
    ? `${h(inv.customerName)} 御中`
    : `（お客様情報は${inv.contactRemovedOn ? ` ${h(jaDate(inv.contactRemovedOn))} に` : ''}削除済み / contact details removed, ${h(articleOf(RULE.dataDeletion))}）`;
  // Credit moved from a negative invoice (D-7, D-12): a plus on the invoice it settles, a minus on the note.
  const credit = (c: StoredInvoice['credits'][number]) =>
    `<tr><td>${h(c.amount > 0 ? `${c.invoiceNumber} からの充当 / credit from ${c.invoiceNumber}` : `${c.invoiceNumber} へ充当 / credit set against ${c.invoiceNumber}`)}</td><td>${h(c.period)}</td><td class="amount">${h(yenText(c.amount))}</td></tr>`;
  const paid =
    inv.allocations.length || inv.credits.length
      ? `
    <h2>お支払い / Payments</h2>
    <table>
      <thead><tr><th>入金日 / Paid on</th><th>入金番号 / Payment</th><th class="amount">充当額 / Applied</th></tr></thead>
      <tbody>${inv.allocations
        .map((a) => `<tr><td>${h(jaDate(a.paidOn))}</td><td>${h(a.paymentId)}</td><td class="amount">${h(yenText(a.amount))}</td></tr>`)
        .join('')}${inv.credits.map(credit).join('')}
      </tbody>
    </table>
    <p class="totals">お支払済 / Paid ${h(yenText(inv.paid))} ・ ご請求残高 / Outstanding ${h(yenText(inv.outstanding))}</p>`
      : '';

  // Made with the settings' examples (registration number, transfer account): a sample, not an invoice.
  const examples = examplesIn({ registrationNumber: inv.issuer.registrationNumber, bankAccount: doc?.bankAccount });
  const sample = examples.length
    ? `
  <p class="sample" id="sample">見本 / SAMPLE — 設定の見本値で作成されています。請求書として使用できません。 Made with example settings; not a valid invoice (${h(examples.join(', '))}).</p>`
    : '';

  return `<!DOCTYPE html>
<html lang="ja">
<head>
  <meta charset="utf-8">
  <title>${examples.length ? '【見本 / SAMPLE】' : ''}請求書 ${h(inv.number)} (${h(inv.period)})</title>
  <style>
    body { font-family: "Hiragino Sans", "Noto Sans JP", "Yu Gothic", sans-serif; margin: 2em auto; max-width: 52em; color: #222; }
    h1 { font-size: 1.6em; border-bottom: 2px solid #222; padding-bottom: .2em; }
    h2 { font-size: 1.1em; margin-top: 1.6em; }
    table { border-collapse: collapse; width: 100%; }
    th, td { border-bottom: 1px solid #ccc; padding: .35em .5em; text-align: left; vertical-align: top; }
    .amount, .totals td:last-child { text-align: right; white-space: nowrap; }
    .detail, .small { color: #777; font-size: .8em; }
    .meta td:first-child { width: 14em; color: #555; }
    .grand td { font-weight: bold; font-size: 1.15em; border-top: 2px solid #222; }
    .no, .rate { white-space: nowrap; }
    .sample { border: 3px solid #b00020; color: #b00020; font-weight: bold; padding: .5em 1em; }
  </style>
</head>
<body>${sample}
  <h1>適格請求書 / Qualified Invoice</h1>
  <table class="meta">
    <tr><td>請求書番号 / Invoice no.</td><td>${h(inv.number)}</td></tr>
    <tr><td>発行日 / Issued on</td><td>${h(jaDate(inv.issuedOn))} (${h(inv.issuedOn)})</td></tr>
    <tr><td>対象期間 / Period</td><td>${h(jaMonth(inv.period))}分 (${h(enMonth(inv.period))})</td></tr>
    <tr><td>お支払期限 / Due on</td><td>${h(jaDate(inv.dueOn))} (${h(inv.dueOn)})</td></tr>
    <tr><td>ご契約番号 / Contract</td><td>${h(inv.contractId)}</td></tr>
    <tr><td>宛先 / Customer</td><td>${customer}</td></tr>
    <tr><td>発行事業者 / Issuer</td><td>${h(inv.issuer.name)}${doc ? `<br>${h(doc.issuerAddress)}` : ''}</td></tr>
    <tr><td>登録番号 / Registration no.</td><td>${h(inv.issuer.registrationNumber)}</td></tr>
  </table>

  <h2>明細 / Lines</h2>
  <table>
    <thead><tr><th>#</th><th>内容 / Description</th><th>税率 / Rate</th><th>根拠 / Basis</th><th class="amount">金額（税抜）/ Amount</th></tr></thead>
    <tbody>${taxable.map(row).join('')}${nonTaxable.map(row).join('')}
    </tbody>
  </table>

  <h2>合計 / Totals</h2>
  <table class="totals">
    <tr><td>${inv.taxRatePercent}%対象 小計 / Taxable at ${inv.taxRatePercent}%</td><td>${h(yenText(inv.taxableSubtotal))}</td></tr>
    <tr><td>消費税（${inv.taxRatePercent}%）/ Consumption tax</td><td>${h(yenText(inv.tax))}</td></tr>
    <tr><td>不課税 小計 / Outside the scope of tax</td><td>${h(yenText(inv.nonTaxableSubtotal))}</td></tr>
    <tr class="grand"><td>ご請求金額 / Total</td><td>${h(yenText(inv.total))}</td></tr>
  </table>
${notes}${transfer}
  <p class="small">消費税は請求書ごとに税率別に一回計算し、1円未満を切り捨てています（${h(articleOf(RULE.tax))}）。 Consumption tax is computed once per invoice and rate, fractions of a yen discarded (${h(ruleInEnglish(articleOf(RULE.tax)))}).</p>
  ${paid}
</body>
</html>
`;
}
