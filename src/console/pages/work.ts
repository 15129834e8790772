/** 作業一覧 / Work queue: what waits for the signed-in person, each linked to where it is worked. */
import type { WaitingApproval } from '../../backoffice/approvals-waiting';
import type { ContractRow } from '../../backoffice/contract-list';
import { NEAR_REJECTION_DAYS, type Part, type WorkQueue } from '../../backoffice/work-queue';
import { daysBetween } from '../../domain/calendar';
import { html, type Html, type T } from '../html';
import { contractLink, statusLabel, type Ctx, yenOf } from './common';
import { customerLink } from './receivables';
import { fourEyesWords } from '../../domain/messages';

export function actionLabel(t: T, action: string): string {
  const { ja, en } = fourEyesWords(action);
  return t(ja, en);
}

function section<X>(t: T, id: string, title: string, part: Part<X>, table: (rows: X[]) => Html, none: string): Html {
  const count = Array.isArray(part) ? html` <span class="count" data-count="${String(part.length)}">(${part.length})</span>` : '';
  const inner =
    'error' in part
      ? html`<p class="msg err">${t('取得できませんでした', 'Could not be read')}: ${part.error}</p>`
      : part.length === 0
        ? html`<p>${none}</p>`
        : table(part);
  return html`<section id="${id}"><h2>${title}${count}</h2>${inner}</section>`;
}

function approvals(t: T, rows: WaitingApproval[]): Html {
  return html`<table><tr><th>${t('契約', 'Contract')}</th><th>${t('操作', 'Action')}</th><th>${t('金額', 'Amount')}</th><th>${t('依頼者', 'Asked by')}</th><th>${t('依頼日', 'Asked on')}</th><th>${t('承認期限', 'Approve by')}</th><th>${t('理由', 'Reason')}</th></tr>
${rows.map(
  (a) =>
    html`<tr class="approval" data-request="${a.requestId}"><td>${contractLink(a.contractId)}</td><td><a href="/contracts/${encodeURIComponent(a.contractId)}#approve-request-${a.requestId}">${actionLabel(t, a.action)}</a></td><td class="n">${a.amount === null ? '–' : yenOf(t, a.amount)}</td><td>${a.requestedBy.name}</td><td>${a.requestedOn}</td><td>${a.expiresOn}</td><td>${a.reason}</td></tr>`,
)}</table>`;
}

function attention(t: T, rows: ContractRow[]): Html {
  return html`<table><tr><th>${t('契約', 'Contract')}</th><th>${t('状態', 'Status')}</th><th>${t('ワークフロー', 'Workflow')}</th><th>${t('延滞額', 'Overdue')}</th></tr>
${rows.map((r) => html`<tr data-contract="${r.contractId}"><td>${contractLink(r.contractId)}</td><td>${statusLabel(t, r.status)}</td><td>${r.workflow}</td><td class="n">${yenOf(t, r.overdue)}</td></tr>`)}</table>`;
}

export function work(c: Ctx, q: WorkQueue): { title: string; body: Html } {
  const { t } = c;
  const mayApprove = c.person.role === 'supervisor';
  return {
    title: t('作業一覧', 'Work queue'),
    body: html`<p>${t(`${c.person.displayName} さんの対応待ち (${q.today} 現在)。各項目のリンク先で処理します。`, `What waits for ${c.person.displayName} (as of ${q.today}). Each item links to where it is worked.`)} <a href="/calendar">${t('期限カレンダー', 'Deadline calendar')}</a></p>
${section(
  t,
  'approvals',
  t('二者承認の依頼 (自分以外の監督者が依頼したもの)', 'Four-eyes requests waiting for you (asked by another supervisor)'),
  q.approvals,
  (rows) => approvals(t, rows),
  mayApprove
    ? t('承認待ちの依頼はありません', 'No request waits for you')
    : t('二者承認は監督者 (supervisor) が行います', 'Four-eyes requests are approved by supervisors'),
)}
${section(
  t,
  'near-rejection',
  t(
    `判断期限が ${NEAR_REJECTION_DAYS} 日以内の申込 (期限を過ぎると不承諾とみなされます, D-2)`,
    `Applications to decide within ${NEAR_REJECTION_DAYS} days (deemed rejected after the day, D-2)`,
  ),
  q.nearRejection,
  (rows) =>
    html`<table><tr><th>${t('契約', 'Contract')}</th><th>${t('プラン', 'Plan')}</th><th>${t('判断期限', 'Decide by')}</th><th>${t('残り日数', 'Days left')}</th></tr>
${rows.map((r) => html`<tr data-contract="${r.contractId}"><td>${contractLink(r.contractId)}</td><td>${r.plan ?? '–'}</td><td class="decide-by">${r.decideBy}</td><td class="n">${t(`${daysBetween(q.today, r.decideBy)} 日`, `${daysBetween(q.today, r.decideBy)} days`)}</td></tr>`)}</table>`,
  t('該当する申込はありません', 'None'),
)}
${section(t, 'attention', t('要対応の契約 (処理の滞留・失敗、サーバーによる終了)', 'Contracts needing attention (effects waiting or failed, closed by the server)'), q.attention, (rows) => attention(t, rows), t('該当なし', 'None'))}
${section(
  t,
  'unmatched',
  t('未消込の入金 (顧客が特定できない振込)', 'Unmatched bank lines (no customer found)'),
  q.unmatched,
  (rows) =>
    html`<p><a href="/bank/unmatched">${t('未消込一覧で処理する', 'Work them in the unmatched list')}</a></p><table><tr><th>${t('勘定日', 'Received')}</th><th>${t('金額', 'Amount')}</th><th>${t('振込依頼人名', 'Payer name')}</th><th>${t('ファイル', 'File')}</th></tr>
${rows.map((l) => html`<tr data-line="${l.fileId}:${String(l.record)}"><td>${l.bookedOn}</td><td class="n">${yenOf(t, l.amount)}</td><td>${l.payerName}</td><td><a href="/bank/files/${encodeURIComponent(l.fileId)}">${l.fileId}</a> #${String(l.record)}</td></tr>`)}</table>`,
  t('未消込の入金はありません', 'No unmatched line'),
)}
${section(
  t,
  'overdue-customers',
  t('支払期日を過ぎた未収のある顧客', 'Customers with amounts past due'),
  q.overdueCustomers,
  (rows) =>
    html`<p><a href="/receivables/aging">${t('売掛金年齢表', 'Receivables aging')}</a></p><table><tr><th>${t('顧客', 'Customer')}</th><th>${t('契約', 'Contracts')}</th><th>${t('期日経過の未収', 'Past due')}</th><th>${t('最長経過日数', 'Oldest, days past due')}</th></tr>
${rows.map((r) => html`<tr data-customer="${r.customerId ?? ''}"><td>${r.customerId ? customerLink(r.customerId, r.billingName) : '–'}</td><td>${r.contracts.map((id, i) => html`${i ? ', ' : ''}${contractLink(id)}`)}</td><td class="n">${yenOf(t, r.pastDue)}</td><td class="n">${String(r.oldestDaysPastDue)}</td></tr>`)}</table>`,
  t('期日を過ぎた未収はありません', 'Nothing is past due'),
)}`,
  };
}
