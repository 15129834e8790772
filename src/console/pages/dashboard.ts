/** The dashboard (what needs doing this month) and the contract search. */
import type { BillingRunSummary as LatestRun } from '../../backoffice/billing-runs';
import type { CustomerRecord } from '../../backoffice/ledger-records';
import { jstTime } from '../../cli/format';
import { CONTRACT_STATUSES, PLAN_IDS } from '../../domain/types';
import { csrfField, html, type Html, type T } from '../html';
import { progressText } from './billing-runs';
import { closedSection, type ClosedListing } from './closed';
import { contractLink, listingTable, nextDeadlineColumn, runLink, statusLabel, type Ctx, type Listing } from './common';

function billingRunSection(t: T, b: LatestRun | null | { error: string }): Html {
  if (b && 'error' in b) return html`<p class="msg err">${t('請求実行を取得できませんでした', 'Could not read the billing runs')}: ${b.error}</p>`;
  if (!b) return html`<p>${t('請求実行はまだありません', 'No billing run yet')}</p>`;
  const p = b.progress;
  return html`<table><tr><th>${t('ワークフロー', 'Workflow')}</th><td>${runLink(b.workflowId)}</td></tr>
<tr><th>${t('状態', 'Status')}</th><td id="billing-run-status">${b.status.toLowerCase()}</td></tr>
<tr><th>${t('開始', 'Started')}</th><td>${jstTime(b.startTime)}</td></tr>
<tr><th>${t('終了', 'Closed')}</th><td>${b.closeTime ? jstTime(b.closeTime) : '–'}</td></tr>
<tr><th>${t('進捗', 'Progress')}</th><td id="billing-run-progress">${p ? progressText(t, p) : (b.note ?? '–')}</td></tr>
${p?.failed.length ? html`<tr><th>${t('失敗した契約', 'Failed contracts')}</th><td>${p.failed.map((f) => html`${contractLink(f.contractId)}: ${f.reason}<br>`)}</td></tr>` : ''}</table>`;
}

export function dashboard(
  c: Ctx,
  d: {
    closed: ClosedListing;
    pending: Listing;
    overdue: Listing;
    suspended: Listing;
    renewalDeclines: Listing;
    cancellations: Listing;
    attention: Listing;
    steps: Listing;
    allowances: Listing;
    month: string;
    billing: LatestRun | null | { error: string };
  },
): { title: string; body: Html } {
  const { t } = c;
  const passed = (day: string | null) => (day && day < c.today ? t(`${day} (経過)`, `${day} (passed)`) : day);
  return {
    title: t('ダッシュボード', 'Dashboard'),
    body: html`${closedSection(t, d.closed)}
<section id="pending"><h2>${t('審査中の申込 (期限までに承諾しないと不承諾とみなされます)', 'Pending applications (deemed rejected unless approved by the day shown)')}</h2>${listingTable(t, d.pending, { day: { ...nextDeadlineColumn(t)!, label: t('判断期限', 'Decide by') } })}</section>
<section id="attention"><h2>${t('要対応 (実行できなかった処理がある契約)', 'Needs attention (effects that could not be carried out)')}</h2>${listingTable(t, d.attention)}</section>
<section id="overdue"><h2>${t('延滞中の契約 (延滞額 > 0)', 'Overdue contracts (overdue amount > 0)')}</h2>${listingTable(t, d.overdue, { overdue: true })}</section>
<section id="suspended"><h2>${t('停止中の契約', 'Suspended contracts')}</h2>${listingTable(t, d.suspended)}</section>
<section id="renewal-declines"><h2>${t(`今月 (${d.month}) の更新拒絶期限 (第11条1項: 期限までの通知で期間満了日に終了)`, `Renewal-decline deadlines this month (${d.month}; Art. 11-1: a notice by the day ends the contract at the term's end)`)}</h2>${listingTable(t, d.renewalDeclines, { day: { label: t('通知期限', 'Notice by'), of: (x) => passed(x.renewalDeclineDeadline) } })}</section>
<section id="cancellations"><h2>${t(`今月 (${d.month}) の解約期限 (第28条: 最低利用期間の満了日に解約金なしで終了できる通知期限)`, `Cancellation deadlines this month (${d.month}; Art. 28: the last day to end on the minimum term's last day without an early termination fee)`)}</h2>${listingTable(t, d.cancellations, { day: { label: t('通知期限', 'Notice by'), of: (x) => passed(x.cancellationDeadline) } })}</section>
<section id="allowances-exceeded"><h2>${t('障害対応・運用代行の超過 (今月または先月, 別表2 D-19: 自動では請求しません)', 'Allowance exceeded (this month or last, Appendix 2 D-19: never billed by itself)')}</h2>${listingTable(t, d.allowances, { day: { label: t('超過した月 (最新)', 'Exceeded in (latest)'), of: (x) => x.allowanceExceeded } })}</section>
<section id="deadlines"><h2>${t(`今月 (${d.month}) が期限の自動処理`, `Automatic steps whose deadline is this month (${d.month})`)}</h2>${listingTable(t, d.steps, { day: nextDeadlineColumn(t) })}</section>
<section id="billing-run"><h2>${t('最後の請求実行', 'The last billing run')}</h2>${billingRunSection(t, d.billing)}</section>`,
  };
}

export function search(
  c: Ctx,
  r: { listed?: Listing; status?: string | undefined; plan?: string | undefined; customers?: CustomerRecord[]; name?: string; email?: string },
): { title: string; body: Html } {
  const { t } = c;
  const option = (v: string, sel: string | undefined, label: string) => html`<option value="${v}"${sel === v ? html` selected` : ''}>${label}</option>`;
  return {
    title: t('契約検索', 'Contract search'),
    body: html`<section><form method="get" action="/search" id="by-id"><label>${t('契約ID', 'Contract id')} <input name="contract"></label> <button type="submit">${t('開く', 'Open')}</button></form></section>
<section><form method="post" action="/search" id="by-customer">${csrfField(c.csrf)}
<label>${t('顧客名 (全角・半角、ひらがな・カタカナを区別しません)', 'Customer name (width- and kana-insensitive)')} <input name="name" value="${r.name ?? ''}"></label>
<label>${t('またはメールアドレス', 'or e-mail')} <input name="email" value="${r.email ?? ''}"></label>
<button type="submit">${t('検索', 'Search')}</button></form></section>
<section><form method="get" action="/search" id="by-status"><label>${t('状態', 'Status')} <select name="status"><option value="">–</option>${CONTRACT_STATUSES.map((s) => option(s, r.status, statusLabel(t, s)))}</select></label>
<label>${t('プラン', 'Plan')} <select name="plan"><option value="">–</option>${PLAN_IDS.map((p) => option(p, r.plan, p))}</select></label>
<button type="submit">${t('一覧', 'List')}</button></form></section>
${r.listed ? html`<section id="results">${listingTable(t, r.listed, { day: nextDeadlineColumn(t), overdue: true })}</section>` : ''}
${
  r.customers
    ? html`<section id="results">${
        r.customers.length === 0
          ? html`<p>${t('該当なし', 'None')}</p>`
          : html`<table><tr><th>${t('契約', 'Contract')}</th><th>${t('顧客名', 'Customer')}</th><th>${t('メール', 'E-mail')}</th></tr>${r.customers.map((cu) => html`<tr><td>${contractLink(cu.contractId)}</td><td>${cu.contact?.name ?? cu.billingName}</td><td>${cu.contact?.email ?? t('(削除済み)', '(deleted)')}</td></tr>`)}</table>`
      }</section>`
    : ''
}`,
  };
}
