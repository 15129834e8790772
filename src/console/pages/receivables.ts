/** Receivables at a glance: the aging report as of a day (売掛金年齢表) and the payments of a range of days. */
import type { PaymentsReport, PaymentSource } from '../../backoffice/receivables';
import { AGING_BUCKETS, type AgingBucket, type AgingReport } from '../../domain/receivables';
import { html, type Html, type T } from '../html';
import { contractLink, roleAndVia, type Ctx, yenOf } from './common';

export const bucketLabel = (t: T, b: AgingBucket): string =>
  ({
    current: t('期日前', 'Not yet due'),
    days1to30: t('1–30日', '1–30 days'),
    days31to60: t('31–60日', '31–60 days'),
    days61to90: t('61–90日', '61–90 days'),
    over90: t('90日超', 'Over 90 days'),
  })[b];

export const customerLink = (id: string, text?: string | null) => html`<a href="/customers/${encodeURIComponent(id)}">${text ?? id}</a>`;

export function aging(c: Ctx, r: AgingReport | undefined, asOf: string): { title: string; body: Html } {
  const { t } = c;
  const amounts = (b: Record<AgingBucket, number>) => AGING_BUCKETS.map((k) => html`<td class="n">${yenOf(t, b[k])}</td>`);
  return {
    title: t(`売掛金年齢表 ${r?.asOf ?? ''}`, `Receivables aging ${r?.asOf ?? ''}`),
    body: html`<section><form method="get" action="/receivables/aging" id="as-of"><label>${t('基準日 (YYYY-MM-DD)', 'As of (YYYY-MM-DD)')} <input name="asOf" value="${asOf}" required></label> <button type="submit">${t('表示', 'Show')}</button></form>
${
  r
    ? html`<p><a id="aging-csv" href="/receivables/aging.csv?asOf=${encodeURIComponent(r.asOf)}">${t('CSVでダウンロード (UTF-8 BOM付き、1行1請求書)', 'Download as CSV (UTF-8 with BOM, one row per invoice)')}</a> · <a href="/receivables/payments">${t('入金一覧', 'Payments')}</a></p>
<p>${t('基準日までに発行され、基準日時点で未収のある請求書 (基準日までの入金から基準日までの取消を除き、充当された減額を含む)。経過日数は支払期日の翌日から数えます。', 'Invoices issued on or before the day with something owed on it (payments received by then, less those reversed by then, and credit set against them). Days past due count from the day after the due day.')}</p>`
    : ''
}</section>
${
  r
    ? html`<section id="aging">${
        r.customers.length === 0
          ? html`<p>${t('未収の請求書はありません', 'Nothing is owed')}</p>`
          : html`<table><tr><th>${t('顧客', 'Customer')}</th><th>${t('契約', 'Contracts')}</th>${AGING_BUCKETS.map((b) => html`<th>${bucketLabel(t, b)}</th>`)}<th>${t('合計', 'Total')}</th></tr>
${r.customers.map(
  (x) =>
    html`<tr class="aging-row" data-customer="${x.customerId ?? ''}"><td>${x.customerId ? customerLink(x.customerId, x.billingName) : t('(顧客なし)', '(no customer)')}</td><td>${x.contracts.map((id, i) => html`${i ? ', ' : ''}${contractLink(id)}`)}</td>${amounts(x.buckets)}<td class="n">${yenOf(t, x.total)}</td></tr>`,
)}
<tr id="aging-total"><th colspan="2">${t(`合計 (${r.customers.length}社)`, `Total (${r.customers.length} customers)`)}</th>${amounts(r.buckets)}<td class="n" id="aging-grand-total">${yenOf(t, r.total)}</td></tr></table>
<h2>${t('請求書別', 'By invoice')}</h2><table><tr><th>${t('請求書番号', 'Invoice')}</th><th>${t('顧客', 'Customer')}</th><th>${t('契約', 'Contract')}</th><th>${t('支払期日', 'Due')}</th><th>${t('経過日数', 'Days past due')}</th><th>${t('区分', 'Bucket')}</th><th>${t('請求額', 'Total')}</th><th>${t('未収', 'Owed')}</th></tr>
${r.customers.flatMap((x) =>
  x.invoices.map(
    (i) =>
      html`<tr class="aging-invoice" data-invoice="${i.invoiceNumber}"><td><a href="/contracts/${encodeURIComponent(i.contractId)}/invoices/${encodeURIComponent(i.period)}">${i.invoiceNumber}</a></td><td>${x.billingName ?? '–'}</td><td>${contractLink(i.contractId)}</td><td>${i.dueOn}</td><td class="n">${i.daysPastDue}</td><td>${bucketLabel(t, i.bucket)}</td><td class="n">${yenOf(t, i.total)}</td><td class="n">${yenOf(t, i.owed)}</td></tr>`,
  ),
)}</table>`
      }</section>`
    : ''
}`,
  };
}

export function sourceText(t: T, s: PaymentSource): Html {
  if (s.kind === 'bank') return html`${t('銀行明細', 'Bank line')} ${s.fileId ?? '?'} #${s.record ?? '?'}`;
  if (s.kind === 'person') return html`${t('入力', 'Keyed by')} ${s.name ?? s.login ?? s.personId} (${roleAndVia(t, s.role, s.via)})`;
  return html`${t('不明', 'Unknown')}`;
}

export function payments(c: Ctx, r: PaymentsReport | undefined, range: { from: string; to: string }): { title: string; body: Html } {
  const { t } = c;
  return {
    title: t(`入金一覧 ${r ? `${r.from}〜${r.to}` : ''}`, `Payments ${r ? `${r.from} to ${r.to}` : ''}`),
    body: html`<section><form method="get" action="/receivables/payments" id="range"><label>${t('開始日 (YYYY-MM-DD)', 'From (YYYY-MM-DD)')} <input name="from" value="${range.from}" required></label> <label>${t('終了日 (YYYY-MM-DD)', 'To (YYYY-MM-DD)')} <input name="to" value="${range.to}" required></label> <button type="submit">${t('表示', 'Show')}</button></form>
${r ? html`<p><a id="payments-csv" href="/receivables/payments.csv?from=${encodeURIComponent(r.from)}&amp;to=${encodeURIComponent(r.to)}">${t('CSVでダウンロード (UTF-8 BOM付き、1行1入金)', 'Download as CSV (UTF-8 with BOM, one row per payment)')}</a> · <a href="/receivables/aging">${t('売掛金年齢表', 'Aging')}</a></p>` : ''}</section>
${
  r
    ? html`<section id="payments">${
        r.payments.length === 0
          ? html`<p>${t('この期間の入金はありません', 'No payments in these days')}</p>`
          : html`<table><tr><th>${t('入金日', 'Received')}</th><th>${t('契約', 'Contract')}</th><th>${t('顧客', 'Customer')}</th><th>${t('金額', 'Amount')}</th><th>${t('取消', 'Reversed')}</th><th>${t('経路', 'Source')}</th><th>${t('依頼ID', 'Request id')}</th></tr>
${r.payments.map(
  (p) =>
    html`<tr class="payment-row" data-payment="${p.paymentId}"><td>${p.paidOn}</td><td>${contractLink(p.contractId)}</td><td>${p.customerId ? customerLink(p.customerId, p.billingName) : '–'}</td><td class="n">${yenOf(t, p.amount)}</td><td>${p.reversal ? t(`${p.reversal.on} 取消 (${p.reversal.reason})`, `reversed ${p.reversal.on} (${p.reversal.reason})`) : ''}</td><td class="source">${sourceText(t, p.source)}</td><td>${p.requestId}</td></tr>`,
)}
<tr><th colspan="3">${t('入金合計 (取消分を除く)', 'Received (less reversed)')}</th><td class="n" id="payments-total">${yenOf(t, r.total)}</td><td colspan="3">${t('取消分', 'Reversed')} ${yenOf(t, r.reversed)}</td></tr></table>`
      }</section>`
    : ''
}`,
  };
}
