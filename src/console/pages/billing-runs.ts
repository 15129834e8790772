/** The billing runs: the recent ones with their counts, and one run's progress and failures (D-11). */
import type { BillingRunSummary as LatestRun } from '../../backoffice/billing-runs';
import type { BillingRunProgress } from '../../backoffice/contract-workflows';
import { jstTime } from '../../cli/format';
import { csrfField, html, type Html, type T } from '../html';
import { contractLink, kv, runLink, type Ctx } from './common';

/** One line of a run's counts, each contract counted once (CloseOutcome). */
export function progressText(t: T, p: BillingRunProgress): string {
  return t(
    `${p.period}: 請求 ${p.billed} · 請求済み ${p.alreadyBilled} · 請求なし ${p.nothingToBill} · 失敗 ${p.failed.length} / ${p.total ?? '?'} 件${p.done ? ' · 完了' : ''}`,
    `${p.period}: billed ${p.billed} · already billed ${p.alreadyBilled} · nothing to bill ${p.nothingToBill} · failed ${p.failed.length} of ${p.total ?? '?'}${p.done ? ' · done' : ''}`,
  );
}

function runStatus(t: T, status: string): string {
  const ja: Record<string, string> = {
    RUNNING: '実行中',
    COMPLETED: '完了',
    FAILED: '失敗',
    TERMINATED: '強制終了',
    CANCELED: '取消',
    TIMED_OUT: 'タイムアウト',
  };
  return t(ja[status] ?? status.toLowerCase(), status.toLowerCase());
}

export function billingRuns(c: Ctx, d: { runs: LatestRun[] | { error: string }; defaultPeriod: string; requestId: string }): { title: string; body: Html } {
  const { t } = c;
  return {
    title: t('請求実行', 'Billing runs'),
    body: html`${
      c.person.role === 'supervisor'
        ? html`<section><h2>${t('請求実行を開始', 'Start a billing run')}</h2><form method="post" action="/billing-runs" id="start-run">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId}">
<label>${t('請求月 (終わった月のみ, 別表3 D-11)', 'Month (one that is over, Appendix 3 D-11)')} <input name="period" value="${d.defaultPeriod}" pattern="\\d{4}-\\d{2}" required></label>
<button type="submit">${t('開始', 'Start')}</button></form>
<p>${t('同じ月を何度実行しても、各契約の請求は一度だけです。', 'Running a month again bills no contract twice.')}</p></section>`
        : ''
    }<section id="runs"><h2>${t('最近の請求実行', 'Recent billing runs')}</h2>${
      'error' in d.runs
        ? html`<p class="msg err">${t('取得できませんでした', 'Could not read them')}: ${d.runs.error}</p>`
        : d.runs.length === 0
          ? html`<p>${t('まだありません', 'None yet')}</p>`
          : html`<table><tr><th>${t('ワークフロー', 'Workflow')}</th><th>${t('状態', 'Status')}</th><th>${t('開始', 'Started')}</th><th>${t('進捗', 'Progress')}</th></tr>${d.runs.map(
              (r) =>
                html`<tr class="run" data-status="${r.status}"><td>${runLink(r.workflowId)}</td><td>${runStatus(t, r.status)}</td><td>${jstTime(r.startTime)}</td><td>${r.progress ? progressText(t, r.progress) : (r.note ?? '–')}</td></tr>`,
            )}</table>`
    }</section>`,
  };
}

export function billingRun(c: Ctx, d: { run: LatestRun; requestId: string }): { title: string; body: Html; refreshSeconds?: number } {
  const { t } = c;
  const r = d.run;
  const p = r.progress;
  const running = r.status === 'RUNNING';
  return {
    title: t(`請求実行 ${p?.period ?? ''}`, `Billing run ${p?.period ?? ''}`),
    ...(running ? { refreshSeconds: 5 } : {}),
    body: html`<section id="run">${kv([
      [t('ワークフロー', 'Workflow'), r.workflowId],
      [t('状態', 'Status'), html`<span id="run-status">${runStatus(t, r.status)}</span>${running ? t(' (5秒ごとに更新)', ' (refreshes every 5 s)') : ''}`],
      [t('開始', 'Started'), jstTime(r.startTime)],
      [t('終了', 'Closed'), r.closeTime ? jstTime(r.closeTime) : null],
      [t('進捗', 'Progress'), html`<span id="run-progress">${p ? progressText(t, p) : '–'}</span>`],
      [t('備考', 'Note'), r.note ?? null],
    ])}</section>
<section id="failures"><h2>${t('請求できなかった契約', 'Contracts not billed')}</h2>${
      !p || p.failed.length === 0
        ? html`<p>${t('なし', 'None')}</p>`
        : html`<table><tr><th>${t('契約', 'Contract')}</th><th>${t('理由', 'Reason')}</th></tr>${p.failed.map((f) => html`<tr><td>${contractLink(f.contractId)}</td><td>${f.reason}</td></tr>`)}</table>${
            c.person.role === 'supervisor' && !running
              ? html`<form method="post" action="/billing-runs/${encodeURIComponent(r.workflowId)}/rerun" id="rerun">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId}"><p>${t('原因を解消してから、これらの契約だけを再実行します (請求済みのものは二重に請求されません)。', 'Once the cause is fixed, re-run these contracts only (none is billed twice).')}</p><button type="submit">${t(`${p.failed.length} 件を再実行`, `Re-run ${p.failed.length} contract(s)`)}</button></form>`
              : ''
          }`
    }</section>
<p><a href="/billing-runs">${t('請求実行の一覧へ', 'All billing runs')}</a></p>`,
  };
}
