/**
 * Contracts the server closed (terminated, failed, timed out): the dashboard's first section, red, and the
 * banner on such a contract's page. Each says what is still owed, from the ledger.
 */
import type { ClosedContract } from '../../backoffice/closed-contracts';
import { jstTime } from '../../cli/format';
import { html, type Html, type T } from '../html';
import { contractLink, statusLabel, yenOf } from './common';

export type ClosedListing = { contracts: ClosedContract[]; more: boolean } | { error: string };

export function closedStatusLabel(t: T, s: ClosedContract['status']): string {
  if (s === 'TERMINATED') return t('強制終了', 'terminated');
  if (s === 'FAILED') return t('異常終了', 'failed');
  return t('タイムアウト', 'timed out');
}

/** The ledger's unpaid invoices; without any, what the contract last published (OverdueYen, BilledThrough). */
const owedText = (t: T, c: ClosedContract) => {
  if (c.openInvoices.length) return `${yenOf(t, c.owedYen)} (${c.openInvoices.map((i) => `${i.number} ${i.period}`).join(', ')})`;
  const last = [
    c.overdueYen ? t(`延滞 ${yenOf(t, c.overdueYen)} (最後の公開値)`, `overdue ${yenOf(t, c.overdueYen)} (last published)`) : '',
    c.billedThrough ? t(`${c.billedThrough} まで請求済み`, `billed through ${c.billedThrough}`) : '',
  ].filter(Boolean);
  return `${yenOf(t, 0)}${last.length ? ` (${last.join('; ')})` : ''}`;
};

/** The dashboard's section, shown only when there is something (or the look-up failed). */
export function closedSection(t: T, l: ClosedListing): Html | string {
  if ('error' in l)
    return html`<section id="closed-abnormally"><p class="msg err">${t('サーバーが終了させた契約を取得できませんでした', 'Could not list the contracts closed by the server')}: ${l.error}</p></section>`;
  if (!l.contracts.length) return '';
  return html`<section id="closed-abnormally" class="msg err" role="alert"><h2>${t(
    '要対応: サーバー側で終了した契約 (もう請求・終了・データ削除を行いません)',
    'Needs attention: contracts closed by the server (they no longer bill, end or delete data)',
  )}</h2>
<table><tr><th>${t('契約', 'Contract')}</th><th>${t('状態', 'Status')}</th><th>${t('終了日時', 'Closed at')}</th><th>${t('理由', 'Reason')}</th><th>${t('未払い (台帳)', 'Still owed (ledger)')}</th><th>${t('最後の契約状態', 'Last contract status')}</th></tr>
${l.contracts.map(
  (c) =>
    html`<tr><td>${contractLink(c.contractId)}</td><td>${closedStatusLabel(t, c.status)}</td><td>${jstTime(c.closedAt)}</td><td>${c.reason ?? '–'}</td><td class="owed">${owedText(t, c)}</td><td>${c.lastStatus ? statusLabel(t, c.lastStatus) : '–'}</td></tr>`,
)}</table>${l.more ? html`<p>${t('ほかにもあります', 'There are more')}</p>` : ''}
<p>${t('対処: docs/operations.md「サーバーが終了した契約」', 'What to do: docs/operations.md, "Contracts closed by the server"')}</p></section>`;
}

/** The contract page's banner: the workflow is closed, so what the page shows is its last state. */
export function closedBanner(t: T, c: ClosedContract): Html {
  return html`<div id="closed-abnormally" class="msg err" role="alert"><strong>${t(
    `この契約のワークフローはサーバー側で${closedStatusLabel(t, c.status)}されました`,
    `This contract's workflow was ${closedStatusLabel(t, c.status)} by the server`,
  )}</strong> — ${jstTime(c.closedAt)}${c.reason ? html`; ${t('理由', 'reason')}: ${c.reason}` : ''}${c.by ? html` (${c.by})` : ''}.
${t('請求・終了・データ削除はもう行われず、操作も受け付けません。以下は最後の状態です。', 'It no longer bills, ends or deletes data, and takes no command; below is its last state.')}
${t('未払い (台帳)', 'Still owed (ledger)')}: <span class="owed">${owedText(t, c)}</span></div>`;
}

/** The contract page when the closed workflow cannot answer its state query: the banner alone. */
export function closedOnly(t: T, c: ClosedContract): { title: string; body: Html } {
  return {
    title: `${t('契約', 'Contract')} ${c.contractId}`,
    body: html`${closedBanner(t, c)}<p><a href="/">${t('ダッシュボードへ', 'To the dashboard')}</a></p>`,
  };
}
