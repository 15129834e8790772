/** 契約一覧 / Contracts: the table of contracts, filtered, sorted by any column, paged, and its CSV. */
import { CONTRACT_SORTS, MAX_SORTED, type ContractList, type ContractListArgs, type ContractSort } from '../../backoffice/contract-list';
import { CONTRACT_STATUSES, PLAN_IDS } from '../../domain/types';
import { html, type Html, type T } from '../html';
import { contractLink, statusLabel, type Ctx, yenOf } from './common';

/** The console's page size (the API's default is smaller; `pageSize` in the URL still sets it). */
export const CONTRACTS_PAGE_SIZE = 50;

/** Each field of the URL as the page names it, for the form's labels and a 400's message. */
export const CONTRACT_FIELD_LABELS: Record<string, [string, string]> = {
  status: ['状態', 'status'],
  plan: ['プラン', 'plan'],
  overdue: ['延滞あり', 'overdue'],
  attention: ['要対応', 'needs attention'],
  deadlineMonth: ['期限の月', 'deadline month'],
  sort: ['並べ替え', 'sort'],
  order: ['順序', 'order'],
  page: ['ページ', 'page'],
  pageSize: ['表示件数', 'page size'],
};

export function columnLabel(t: T, c: ContractSort): string {
  return {
    contractId: t('契約', 'Contract'),
    status: t('状態', 'Status'),
    plan: t('プラン', 'Plan'),
    minimumTermEnd: t('最低利用期間満了日', 'Minimum term ends'),
    nextDeadline: t('次の期限', 'Next deadline'),
    renewalDeclineDeadline: t('更新拒絶の通知期限', 'Renewal-decline notice by'),
    cancellationDeadline: t('解約の通知期限', 'Cancellation notice by'),
    overdue: t('延滞額', 'Overdue'),
    billedThrough: t('請求済みの月', 'Billed through'),
    needsAttention: t('要対応', 'Needs attention'),
    workflow: t('ワークフロー', 'Workflow'),
  }[c];
}

type Filters = Partial<Record<'status' | 'plan' | 'overdue' | 'attention' | 'deadlineMonth' | 'sort' | 'order' | 'pageSize', string>>;

/** The list's filters as the URL gives them (the raw values, so a refused one is shown as typed). */
export function filtersOf(a: ContractListArgs): Filters {
  return {
    status: a.status,
    plan: a.plan,
    overdue: a.overdue ? '1' : undefined,
    attention: a.attention ? '1' : undefined,
    deadlineMonth: a.deadlineMonth,
    sort: a.sort,
    order: a.sort ? a.order : undefined,
    pageSize: a.pageSize === CONTRACTS_PAGE_SIZE ? undefined : String(a.pageSize),
  };
}

export function queryString(f: Filters, extra: Record<string, string | number> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

function filterForm(t: T, f: Filters): Html {
  const option = (v: string, sel: string | undefined, label: string) => html`<option value="${v}"${sel === v ? html` selected` : ''}>${label}</option>`;
  const check = (name: 'overdue' | 'attention', label: string) =>
    html`<label><input type="checkbox" name="${name}" value="1"${f[name] ? html` checked` : ''}> ${label}</label>`;
  return html`<form method="get" action="/contracts" id="contract-filters">
<label>${t('状態', 'Status')} <select name="status"><option value="">${t('すべて', 'All')}</option>${CONTRACT_STATUSES.map((s) => option(s, f.status, statusLabel(t, s)))}</select></label>
<label>${t('プラン', 'Plan')} <select name="plan"><option value="">${t('すべて', 'All')}</option>${PLAN_IDS.map((p) => option(p, f.plan, p))}</select></label>
${check('overdue', t('延滞あり (延滞額 > 0)', 'Overdue (overdue amount > 0)'))}
${check('attention', t('要対応 (処理が滞留・失敗、またはサーバーが終了させた契約)', 'Needs attention (effects waiting or failed, or closed by the server)'))}
<label>${t('期限の月 (次の期限・更新拒絶・解約の通知期限のいずれかがこの月, YYYY-MM)', 'Deadline month (the next deadline or a notice deadline falls in it, YYYY-MM)')} <input name="deadlineMonth" value="${f.deadlineMonth ?? ''}" placeholder="2026-12" size="8"></label>
${f.sort ? html`<input type="hidden" name="sort" value="${f.sort}"><input type="hidden" name="order" value="${f.order ?? 'asc'}">` : ''}
<button type="submit">${t('絞り込む', 'Filter')}</button> <a href="/contracts">${t('条件をクリア', 'Clear')}</a></form>`;
}

/** A contract's workflow as Temporal reports it (lower case). */
const WORKFLOW: Record<string, [string, string]> = {
  running: ['実行中', 'running'],
  completed: ['完了', 'completed'],
  failed: ['失敗', 'failed'],
  canceled: ['取消', 'canceled'],
  terminated: ['強制終了', 'terminated'],
  continued_as_new: ['継続', 'continued as new'],
  timed_out: ['時間切れ', 'timed out'],
};

function cell(t: T, c: ContractSort, r: ContractList['contracts'][number]): Html {
  switch (c) {
    case 'contractId':
      return html`<td>${contractLink(r.contractId)}</td>`;
    case 'status':
      return html`<td>${statusLabel(t, r.status)}</td>`;
    case 'overdue':
      return html`<td class="n">${yenOf(t, r.overdue)}</td>`;
    case 'needsAttention':
      return html`<td>${r.needsAttention ? t('要対応', 'Yes') : ''}</td>`;
    case 'workflow':
      return html`<td>${WORKFLOW[r.workflow] ? t(...WORKFLOW[r.workflow]!) : r.workflow}</td>`;
    default:
      return html`<td>${r[c] ?? '–'}</td>`;
  }
}

/** `list` undefined: the filters were refused (a 400), the form shown again with what was typed. */
export function contractsTable(c: Ctx, list: ContractList | undefined, f: Filters): { title: string; body: Html } {
  const { t } = c;
  const title = t('契約一覧', 'Contracts');
  if (!list) return { title, body: html`<section>${filterForm(t, f)}</section>` };
  const first = list.total === 0 ? 0 : (list.page - 1) * list.pageSize + 1;
  const last = (list.page - 1) * list.pageSize + list.contracts.length;
  const head = (col: ContractSort) => {
    const current = list.sort === col;
    const next = current && list.order === 'asc' ? 'desc' : 'asc';
    const mark = current ? (list.order === 'asc' ? ' ▲' : ' ▼') : '';
    return html`<th${current ? html` aria-sort="${list.order === 'asc' ? 'ascending' : 'descending'}"` : ''}><a class="sort" data-sort="${col}" href="/contracts${queryString({ ...f, sort: col, order: next })}">${columnLabel(t, col)}${mark}</a></th>`;
  };
  const pager = html`<nav class="pager" aria-label="${t('ページ', 'Pages')}">${
    list.page > 1 ? html`<a id="prev-page" rel="prev" href="/contracts${queryString(f, { page: list.page - 1 })}">${t('← 前へ', '← Previous')}</a>` : ''
  } <span id="page-of">${t(`${list.page} / ${list.pages} ページ`, `Page ${list.page} of ${list.pages}`)}</span> ${
    list.page < list.pages ? html`<a id="next-page" rel="next" href="/contracts${queryString(f, { page: list.page + 1 })}">${t('次へ →', 'Next →')}</a>` : ''
  }</nav>`;
  return {
    title,
    body: html`<section>${filterForm(t, f)}
<p><span id="total" data-total="${String(list.total)}">${t(`全 ${list.total.toLocaleString('ja-JP')} 件中 ${first}–${last} 件目`, `${first}–${last} of ${list.total.toLocaleString('en-US')}`)}</span>
· <a id="contracts-csv" href="/contracts.csv${queryString(f)}">${t('CSVでダウンロード (条件に合う全件、UTF-8 BOM付き)', 'Download as CSV (every match, UTF-8 with BOM)')}</a></p>
${list.truncated ? html`<p class="msg err">${t(`該当が ${MAX_SORTED.toLocaleString('ja-JP')} 件を超えるため、最初に読んだ ${MAX_SORTED.toLocaleString('ja-JP')} 件だけを並べ替えています。条件で絞り込んでください。`, `More than ${MAX_SORTED.toLocaleString('en-US')} match: only the first ${MAX_SORTED.toLocaleString('en-US')} read are sorted. Narrow the filters.`)}</p>` : ''}</section>
<section id="contracts">${
      list.contracts.length === 0
        ? html`<p>${t('該当する契約はありません', 'No contract matches')}</p>`
        : html`<table><thead><tr>${CONTRACT_SORTS.map(head)}</tr></thead><tbody>
${list.contracts.map((r) => html`<tr data-contract="${r.contractId}">${CONTRACT_SORTS.map((col) => cell(t, col, r))}</tr>`)}</tbody></table>`
    }
${pager}</section>`,
  };
}
