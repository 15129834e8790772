/**
 * A customer's page (issue 29): its billing name, contracts, open invoices, payments and balance, and what
 * identifies its money on a bank statement — payer names, 振込依頼人コード, virtual account — with the forms
 * to change them for a clerk or a supervisor.
 */
import type { CustomerOverview } from '../../backoffice/receivables';
import { jstTime } from '../../cli/format';
import { csrfField, html, type Html } from '../html';
import { contractLink, kv, type Ctx, yenOf } from './common';

export function customer(c: Ctx, o: CustomerOverview, d: { canChange: boolean; requestId: (prefix: string) => string }): { title: string; body: Html } {
  const { t } = c;
  const p = o.profile;
  const path = `/customers/${encodeURIComponent(p.customerId)}`;
  const form = (action: string, id: string, inner: Html) =>
    html`<form method="post" action="${path}/${action}" id="${id}">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId(id)}">${inner}</form>`;
  const keyForm = (action: string, id: string, label: string, name: string, pattern: string, current: string | null) =>
    form(
      action,
      id,
      html`<label>${label} <input name="${name}" value="${current ?? ''}" pattern="${pattern}" inputmode="numeric" autocomplete="off"></label> <button type="submit">${t('設定', 'Set')}</button>${current ? html` <button type="submit" name="clear" value="yes" formnovalidate>${t('削除', 'Clear')}</button>` : ''}`,
    );
  return {
    title: `${t('顧客', 'Customer')} ${p.billingName}`,
    body: html`<section id="summary">${kv([
      [t('顧客ID', 'Customer id'), p.customerId],
      [t('請求先名', 'Billing name'), p.billingName],
      [t('連絡先削除日 (第30条)', 'Contact deleted on (Art. 30)'), p.erasedOn],
      [t('未収', 'Owed'), yenOf(t, o.owed)],
      [t('前受金・未使用の減額', 'Credit (advances, unused credit notes)'), yenOf(t, o.credit)],
      [t('残高 (正: 顧客の未払い)', 'Balance (positive: the customer owes)'), html`<span id="balance">${yenOf(t, o.balance)}</span>`],
    ])}</section>
<section id="contracts"><h2>${t('契約', 'Contracts')}</h2><ul>${p.contracts.map((x) => html`<li>${contractLink(x.contractId)}${x.dataDeletedOn ? t(` (データ削除 ${x.dataDeletedOn})`, ` (data deleted ${x.dataDeletedOn})`) : ''}</li>`)}</ul></section>
<section id="payer"><h2>${t('入金の照合 (振込依頼人)', 'Matching bank lines (the payer)')}</h2>${kv([
      [t('振込依頼人コード', 'Payer code'), html`<span id="payer-code">${p.payerCode ?? '–'}</span>`],
      [t('バーチャル口座', 'Virtual account'), html`<span id="virtual-account">${p.virtualAccount ?? '–'}</span>`],
    ])}
<table id="payer-names"><tr><th>${t('振込依頼人名', 'Payer name')}</th><th>${t('照合用', 'Matching form')}</th><th>${t('登録者', 'Added by')}</th><th>${t('登録日時', 'Added at')}</th></tr>
${p.payerNames.length ? p.payerNames.map((n) => html`<tr class="payer-name"><td>${n.name}</td><td>${n.matchKey}</td><td>${n.addedBy}</td><td>${jstTime(new Date(n.addedAt))}</td></tr>`) : html`<tr><td colspan="4">${t('登録なし', 'None')}</td></tr>`}</table>
${
  d.canChange && !p.erasedOn
    ? html`${form('payer-names', 'add-payer-name', html`<label>${t('振込依頼人名を追加 (カナ、48文字まで)', 'Add a payer name (kana, up to 48 characters)')} <input name="name" required maxlength="48" autocomplete="off"></label> <button type="submit">${t('追加', 'Add')}</button>`)}
${keyForm('payer-code', 'set-payer-code', t('振込依頼人コード (10桁)', 'Payer code (10 digits)'), 'payerCode', '[0-9]{10}', p.payerCode)}
${keyForm('virtual-account', 'set-virtual-account', t('バーチャル口座番号 (7桁)', 'Virtual account (7 digits)'), 'virtualAccount', '[0-9]{7}', p.virtualAccount)}`
    : ''
}</section>
<section id="open-invoices"><h2>${t('未決済の請求書', 'Open invoices')}</h2>${
      o.openInvoices.length
        ? html`<table><tr><th>${t('請求書番号', 'Invoice')}</th><th>${t('契約', 'Contract')}</th><th>${t('請求月', 'Period')}</th><th>${t('支払期日', 'Due')}</th><th>${t('請求額', 'Total')}</th><th>${t('入金等', 'Paid')}</th><th>${t('未収', 'Outstanding')}</th></tr>
${o.openInvoices.map((i) => html`<tr class="open-invoice" data-invoice="${i.number}"><td><a href="/contracts/${encodeURIComponent(i.contractId)}/invoices/${encodeURIComponent(i.period)}">${i.number}</a></td><td>${contractLink(i.contractId)}</td><td>${i.period}</td><td>${i.dueOn}</td><td class="n">${yenOf(t, i.total)}</td><td class="n">${yenOf(t, i.paid)}</td><td class="n">${yenOf(t, i.outstanding)}</td></tr>`)}</table>`
        : html`<p>${t('なし', 'None')}</p>`
    }</section>
<section id="customer-payments"><h2>${t('入金', 'Payments')}</h2>${
      o.payments.length
        ? html`<table><tr><th>${t('入金日', 'Received')}</th><th>${t('契約', 'Contract')}</th><th>${t('金額', 'Amount')}</th><th>${t('充当', 'Allocated')}</th><th>${t('取消', 'Reversed')}</th><th>${t('支払ID', 'Payment id')}</th></tr>
${o.payments.map((x) => html`<tr class="customer-payment"><td>${x.paidOn}</td><td>${contractLink(x.contractId)}</td><td class="n">${yenOf(t, x.amount)}</td><td>${x.allocations.map((a) => `${a.period} ${yenOf(t, a.amount)}`).join(', ') || '–'}</td><td>${x.reversal ? `${x.reversal.on} (${x.reversal.reason})` : ''}</td><td>${x.paymentId}</td></tr>`)}</table>`
        : html`<p>${t('なし', 'None')}</p>`
    }</section>`,
  };
}
