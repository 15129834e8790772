/** A month's invoices, with links to each one's HTML copy and PDF, the CSV and the audit CSV. */
import type { MonthInvoices } from '../../backoffice/ledger-records';
import { html, type Html } from '../html';
import { contractLink, type Ctx, yenOf } from './common';

export function monthInvoices(c: Ctx, m: MonthInvoices | undefined): { title: string; body: Html } {
  const { t } = c;
  const period = m?.period ?? '';
  return {
    title: t(`月次請求書 ${period}`, `Invoices of the month ${period}`),
    body: html`<section><form method="get" action="/invoices" id="period"><label>${t('請求月 (YYYY-MM)', 'Billing month (YYYY-MM)')} <input name="period" value="${period}" pattern="[0-9]{4}-[0-9]{2}" required></label> <button type="submit">${t('表示', 'Show')}</button></form>
${m ? html`<p><a id="invoices-csv" href="/invoices.csv?period=${encodeURIComponent(m.period)}">${t('CSVでダウンロード (UTF-8 BOM付き、1行1明細)', 'Download as CSV (UTF-8 with BOM, one row per line)')}</a> · <a href="/audit.csv?from=${encodeURIComponent(`${m.period}-01`)}&amp;to=${encodeURIComponent(c.today)}">${t('監査記録CSV (今月初日から今日まで)', 'Audit CSV (from the 1st of this month to today)')}</a></p>` : ''}</section>
${
  m
    ? html`<section id="month-invoices">${
        m.invoices.length === 0
          ? html`<p>${t('この月の請求書はありません', 'No invoices for this month')}</p>`
          : html`<table><tr><th>${t('請求書番号', 'Invoice')}</th><th>${t('契約', 'Contract')}</th><th>${t('宛先 (発行時)', 'Customer (as issued)')}</th><th>${t('消費税', 'Tax')}</th><th>${t('合計', 'Total')}</th></tr>
${m.invoices.map((i) => html`<tr class="invoice-row" data-invoice="${i.number}"><td><a href="/contracts/${encodeURIComponent(i.contractId)}/invoices/${encodeURIComponent(m.period)}">${i.number}</a> <a class="invoice-pdf" href="/contracts/${encodeURIComponent(i.contractId)}/invoices/${encodeURIComponent(m.period)}.pdf" download>PDF</a></td><td>${contractLink(i.contractId)}</td><td>${i.customerName ?? t('(削除済み)', '(removed)')}</td><td class="n">${yenOf(t, i.tax)}</td><td class="n">${yenOf(t, i.total)}</td></tr>`)}
<tr><th colspan="4">${t(`合計 (${m.invoices.length}件)`, `Total (${m.invoices.length} invoices)`)}</th><td class="n" id="month-total">${yenOf(t, m.total)}</td></tr></table>`
      }</section>`
    : ''
}`,
  };
}
