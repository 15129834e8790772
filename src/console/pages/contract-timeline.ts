/**
 * The contract page below the fold: what the next invoices will carry (the domain's pending and scheduled
 * lines), the issued invoices, payments, notices and the audit trail.
 */
import type { AuditEntry, PaymentRecord } from '../../backoffice/ledger-records';
import { jstTime } from '../../cli/format';
import type { ContractView } from '../../domain/contract';
import { commandWords, outcomeWords } from '../../domain/messages';
import { csrfField, html, type Html, type T } from '../html';
import { roleAndVia, ruleText, type Ctx } from './common';
import { noticeLabel } from './notice-labels';
import { yenOf } from './common';

/** The audit rows the contract page shows (the newest); its CSV has every one. */
export const CONTRACT_PAGE_AUDIT_ROWS = 200;

const lineRow = (t: T, period: string, l: { description: string; amount: number; taxable: boolean; rule: string }) =>
  html`<tr><td>${period}</td><td>${l.description}</td><td class="n">${yenOf(t, l.amount)}</td><td>${l.taxable ? t('課税', 'taxable') : t('不課税', 'non-taxable')}</td><td>${ruleText(t, l.rule)}</td></tr>`;

/** D-28, Art. 21, 27, 29: what is already fixed for invoices not yet issued, besides the monthly fees. */
export function upcomingSection(c: Ctx, v: ContractView): Html {
  const { t } = c;
  const next = t('次回', 'next');
  const rows = [...v.pendingLines.map((l) => lineRow(t, next, l)), ...v.scheduledLines.map((s) => lineRow(t, s.period, s.line))];
  return html`<section id="upcoming"><h2>${t('次回以降の請求に加わる明細', 'Lines on the coming invoices')}</h2><p>${t(
    `月額 ${yenOf(t, v.fees?.fixedMonthlyFee)} (固定) とクラウド月額 ${yenOf(t, v.fees?.cloudMonthly)} に加えて:`,
    `Besides the fixed monthly fee ${yenOf(t, v.fees?.fixedMonthlyFee)} and the cloud fee ${yenOf(t, v.fees?.cloudMonthly)}:`,
  )}</p>${
    rows.length
      ? html`<table><tr><th>${t('請求月', 'Month')}</th><th>${t('内容', 'Line')}</th><th>${t('金額', 'Amount')}</th><th>${t('課税', 'Tax')}</th><th>${t('根拠', 'Rule')}</th></tr>${rows}</table>`
      : html`<p>${t('なし', 'None')}</p>`
  }</section>`;
}

export function timeline(
  c: Ctx,
  v: ContractView,
  d: { path: string; payments: PaymentRecord[]; trail: AuditEntry[]; names: ReadonlyMap<string, string>; requestId: (prefix: string) => string },
): Html {
  const { t } = c;
  const { path } = d;
  return html`<section id="invoices"><h2>${t('請求書', 'Invoices')}</h2>${
    v.invoices.length === 0
      ? html`<p>${t('なし', 'None')}</p>`
      : v.invoices.map(
          (
            inv,
          ) => html`<h3>${inv.invoiceNumber ? html`<a class="invoice-doc" href="${path}/invoices/${encodeURIComponent(inv.period)}">${inv.period} ${inv.invoiceNumber}</a> <a class="invoice-pdf" href="${path}/invoices/${encodeURIComponent(inv.period)}.pdf" download>PDF</a>` : inv.period} — ${t('発行', 'issued')} ${inv.issuedOn}, ${t('期日', 'due')} ${inv.dueOn}: ${yenOf(t, inv.total)} (${t('入金', 'paid')} ${yenOf(t, inv.paid)}, ${t('未払', 'outstanding')} ${yenOf(t, inv.outstanding)})</h3>
<table><tr><th>${t('内容', 'Line')}</th><th>${t('金額', 'Amount')}</th><th>${t('課税', 'Taxable')}</th><th>${t('根拠', 'Rule')}</th></tr>${inv.lines.map((l) => html`<tr><td>${l.description}</td><td class="n">${yenOf(t, l.amount)}</td><td>${l.taxable ? t('課税', 'taxable') : t('不課税', 'non-taxable')}</td><td>${ruleText(t, l.rule)}</td></tr>`)}
<tr><th>${t('課税小計 / 消費税 / 不課税', 'Taxable / tax / non-taxable')}</th><td class="n">${yenOf(t, inv.taxableSubtotal)} / ${yenOf(t, inv.tax)} / ${yenOf(t, inv.nonTaxableSubtotal)}</td><td></td><td>D-10</td></tr></table>`,
        )
  }</section>
<section id="payments"><h2>${t('入金', 'Payments')}</h2>${
    d.payments.length === 0
      ? html`<p>${t('なし', 'None')}</p>`
      : html`<table><tr><th>${t('入金ID', 'Payment')}</th><th>${t('日付', 'Paid on')}</th><th>${t('金額', 'Amount')}</th><th>${t('取消', 'Reversal')}</th></tr>${d.payments.map(
          (p) => {
            const requestIdOfPayment = p.paymentId.slice(v.contractId.length + 1);
            // Four eyes: a supervisor asks, with the reason; another approves it in the pending requests.
            const reverse = p.reversal
              ? html`${t('取消済み', 'reversed')} ${p.reversal.on}: ${p.reversal.reason}`
              : c.person.role === 'supervisor'
                ? html`<form method="post" action="${path}/payments/reverse" class="reverse">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId(`reverse-${requestIdOfPayment}`)}"><input type="hidden" name="paymentRequestId" value="${requestIdOfPayment}"><input name="reason" required placeholder="${t('理由', 'reason')}" aria-label="${t('取消の理由', 'why reversed')}"><button type="submit">${t('取消を依頼', 'Ask to reverse')}</button></form>`
                : '';
            return html`<tr><td>${p.paymentId}</td><td>${p.paidOn}</td><td class="n">${yenOf(t, p.amount)}</td><td>${reverse}</td></tr>`;
          },
        )}</table>`
  }</section>
<section id="notices"><h2>${t('通知', 'Notices')}</h2>${v.notices.length === 0 ? html`<p>${t('なし', 'None')}</p>` : html`<table><tr><th>${t('日付', 'Day')}</th><th>${t('通知', 'Notice')}</th></tr>${v.notices.map((n) => html`<tr data-notice="${n.id}" data-kind="${n.kind}"><td>${n.on}</td><td>${noticeLabel(t, n.kind)}</td></tr>`)}</table>`}</section>
<section id="audit"><h2>${t('監査記録', 'Audit trail')}</h2><p><a id="audit-csv" href="${path}/audit.csv">${t('CSVでダウンロード', 'Download as CSV')}</a></p>${
    d.trail.length === 0
      ? html`<p>${t('なし', 'None')}</p>`
      : html`<table><tr><th>${t('日時', 'At')}</th><th>${t('実行者', 'Actor')}</th><th>${t('コマンド', 'Command')}</th><th>${t('依頼ID', 'Request')}</th><th>${t('結果', 'Outcome')}</th><th>${t('メッセージ', 'Message')}</th></tr>${d.trail.map(
          (a) =>
            // Japan time, zone named; a person by name (the id only for a system or someone no longer on record); the
            // message as it was recorded (`recorded`: the words of the moment, not the page's).
            html`<tr class="audit-row" data-outcome="${a.outcome}" data-actor="${a.actor.id}"><td>${jstTime(new Date(a.at))}</td><td>${d.names.get(a.actor.id) ?? a.actor.id} (${roleAndVia(t, a.actor.role, a.actor.via)})</td><td>${commandWords(a.command)[t.lang]}</td><td>${a.requestId}</td><td>${outcomeWords(a.outcome)[t.lang]}</td><td class="recorded">${a.message}</td></tr>`,
        )}</table>${d.trail.length >= CONTRACT_PAGE_AUDIT_ROWS ? html`<p class="more">${t(`最新の ${CONTRACT_PAGE_AUDIT_ROWS} 件です。すべては CSV にあります。`, `The latest ${CONTRACT_PAGE_AUDIT_ROWS}; the CSV has them all.`)}</p>` : ''}`
  }</section>`;
}
