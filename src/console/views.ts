/**
 * The console's pages as plain functions of their data. Every value goes through `html`'s escaping; the
 * words come in Japanese or English (`t`). Buttons are shown by MAY_ASK, but the contract decides: a
 * forged request gets the contract's refusal, and its audit row.
 */
import type { CustomerRecord, AuditEntry, MonthInvoices, PaymentRecord } from '../activities';
import { MAY_ASK, ROLES, type Role } from '../domain/actor';
import type { CancellationQuote, ContractView } from '../domain/contract';
import type { CommandName } from '../domain/validation';
import { CONTRACT_STATUSES, PLAN_IDS, type IsoDate } from '../domain/types';
import type { BillingRunSummary as LatestRun } from '../backoffice/billing-runs';
import type { BillingRunProgress } from '../workflows/billing-run';
import { jstDay, jstTime, yen } from '../cli/format';
import { allowancesSection } from './allowances-view';
import { csrfField, html, type Html, type T } from './html';
import type { Person } from '../backoffice/people';

/** The audit rows the contract page shows (the newest); its CSV has every one. */
export const CONTRACT_PAGE_AUDIT_ROWS = 200;

export interface Ctx {
  t: T;
  csrf: string;
  person: Person;
  today: IsoDate;
}

export interface ListedContract {
  contractId: string;
  status: string | null;
  plan: string | null;
  nextDeadline: Date | null;
  overdueYen: number | null;
  renewalDeclineDeadline: string | null;
  cancellationDeadline: string | null;
  /** D-19: the latest month whose allowances were exceeded (AllowanceExceeded). */
  allowanceExceeded: string | null;
}
/** A visibility listing: at most a page of contracts, `more` when the list goes on. */
export interface Listed {
  contracts: ListedContract[];
  more: boolean;
}
export type Listing = Listed | { error: string };

export interface OneTime {
  login: string;
  password: string;
}

const may = (role: Role, name: CommandName) => (MAY_ASK[name] as readonly string[]).includes(role);
const contractLink = (id: string) => html`<a href="/contracts/${encodeURIComponent(id)}">${id}</a>`;
const runLink = (workflowId: string) => html`<a href="/billing-runs/${encodeURIComponent(workflowId)}">${workflowId}</a>`;

function statusLabel(t: T, s: string | null): string {
  const ja: Record<string, string> = { pending: '審査中', rejected: '不承諾', active: '利用中', suspended: '停止中', ended: '終了' };
  return s ? t(ja[s] ?? s, s) : '–';
}

export function message(t: T, title: string, text: string): { title: string; body: Html } {
  return { title, body: html`<p>${text}</p><p><a href="/">${t('ダッシュボードへ', 'To the dashboard')}</a></p>` };
}

/** `sso`: where single sign-on starts, when it is configured (a link, not a form: the start redirects to the provider). */
export function signIn(t: T, csrf: string, login = '', sso?: string): { title: string; body: Html } {
  return {
    title: t('サインイン', 'Sign in'),
    body: html`<section><form method="post" action="/sign-in" id="sign-in">${csrfField(csrf)}
<label>${t('ログインID', 'Login')} <input name="login" autocomplete="username" required value="${login}"></label>
<label>${t('パスワード', 'Password')} <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">${t('サインイン', 'Sign in')}</button></form>
${sso ? html`<p><a id="sso" role="button" href="${sso}" style="display:inline-block;padding:.3rem .8rem;border:1px solid #143d59;background:#143d59;color:#fff;text-decoration:none">${t('シングルサインオン', 'Single sign-on')}</a></p>` : ''}
<p>${t('5回続けて間違えると15分間ロックされます。', 'Five wrong passwords in a row lock the account for 15 minutes.')}</p></section>`,
  };
}

export function password(c: Ctx): { title: string; body: Html } {
  const { t } = c;
  return {
    title: t('パスワードの変更', 'Change your password'),
    body: html`<section>${c.person.mustChangePassword ? html`<p>${t('初回サインインです。ワンタイムパスワードを新しいパスワード (12文字以上) に変更してください。', 'First sign-in: replace the one-time password with a new one of at least 12 characters.')}</p>` : ''}
<form method="post" action="/password" id="password">${csrfField(c.csrf)}
<label>${t('現在のパスワード', 'Current password')} <input name="currentPassword" type="password" autocomplete="current-password" required></label>
<label>${t('新しいパスワード (12文字以上)', 'New password (12 characters or more)')} <input name="newPassword" type="password" autocomplete="new-password" minlength="12" required></label>
<label>${t('新しいパスワード (確認)', 'New password (again)')} <input name="confirmPassword" type="password" autocomplete="new-password" minlength="12" required></label>
<button type="submit">${t('変更する', 'Change')}</button></form></section>`,
  };
}

interface Columns {
  /** A day column: its heading and its value. */
  day?: { label: string; of: (c: ListedContract) => string | null };
  overdue?: boolean;
}
const nextDeadlineColumn = (t: T): Columns['day'] => ({ label: t('次の期限', 'Next deadline'), of: (c) => (c.nextDeadline ? jstDay(c.nextDeadline) : null) });

function listingTable(t: T, l: Listing, columns: Columns = {}): Html {
  if ('error' in l) return html`<p class="msg err">${t('一覧を取得できませんでした', 'Could not list')}: ${l.error}</p>`;
  if (l.contracts.length === 0) return html`<p>${t('該当なし', 'None')}</p>`;
  const { day } = columns;
  // Earliest day first, so the most urgent leads (the listing itself comes newest-started first).
  const rows = day ? [...l.contracts].sort((a, b) => (day.of(a) ?? '9').localeCompare(day.of(b) ?? '9')) : l.contracts;
  return html`<table><tr><th>${t('契約', 'Contract')}</th><th>${t('状態', 'Status')}</th><th>${t('プラン', 'Plan')}</th>${day ? html`<th>${day.label}</th>` : ''}${columns.overdue ? html`<th>${t('延滞額', 'Overdue')}</th>` : ''}</tr>
${rows.map((c) => html`<tr><td>${contractLink(c.contractId)}</td><td>${statusLabel(t, c.status)}</td><td>${c.plan ?? '–'}</td>${day ? html`<td>${day.of(c) ?? '–'}</td>` : ''}${columns.overdue ? html`<td class="n">${yen(c.overdueYen)}</td>` : ''}</tr>`)}</table>
${l.more ? html`<p class="more">${t(`先頭の ${l.contracts.length} 件のみ表示しています。残りは検索か Temporal Web UI で絞り込んでください。`, `Only the first ${l.contracts.length} are shown: narrow the list in search or the Temporal Web UI.`)}</p>` : ''}`;
}

/** One line of a run's counts, each contract counted once (CloseOutcome). */
export function progressText(t: T, p: BillingRunProgress): string {
  return t(
    `${p.period}: 請求 ${p.billed} · 請求済み ${p.alreadyBilled} · 請求なし ${p.nothingToBill} · 失敗 ${p.failed.length} / ${p.total ?? '?'} 件${p.done ? ' · 完了' : ''}`,
    `${p.period}: billed ${p.billed} · already billed ${p.alreadyBilled} · nothing to bill ${p.nothingToBill} · failed ${p.failed.length} of ${p.total ?? '?'}${p.done ? ' · done' : ''}`,
  );
}

function billingRunSection(t: T, b: LatestRun | null | { error: string }): Html {
  if (b && 'error' in b) return html`<p class="msg err">${t('請求実行を取得できませんでした', 'Could not read the billing runs')}: ${b.error}</p>`;
  if (!b) return html`<p>${t('請求実行はまだありません', 'No billing run yet')}</p>`;
  const p = b.progress;
  return html`<table><tr><th>${t('ワークフロー', 'Workflow')}</th><td>${runLink(b.workflowId)}</td></tr>
<tr><th>${t('状態', 'Status')}</th><td id="billing-run-status">${b.status.toLowerCase()}</td></tr>
<tr><th>${t('開始', 'Started')}</th><td>${jstTime(b.startTime)}</td></tr>
<tr><th>${t('終了', 'Closed')}</th><td>${b.closeTime ? jstTime(b.closeTime) : '–'}</td></tr>
<tr><th>${t('進捗', 'Progress')}</th><td id="billing-run-progress">${
    p ? progressText(t, p) : (b.note ?? '–')
  }</td></tr>
${p?.failed.length ? html`<tr><th>${t('失敗した契約', 'Failed contracts')}</th><td>${p.failed.map((f) => html`${contractLink(f.contractId)}: ${f.reason}<br>`)}</td></tr>` : ''}</table>`;
}

export function dashboard(
  c: Ctx,
  d: { pending: Listing; overdue: Listing; suspended: Listing; renewalDeclines: Listing; cancellations: Listing; attention: Listing; steps: Listing; allowances: Listing; month: string; billing: LatestRun | null | { error: string } },
): { title: string; body: Html } {
  const { t } = c;
  const passed = (day: string | null) => (day && day < c.today ? t(`${day} (経過)`, `${day} (passed)`) : day);
  return {
    title: t('ダッシュボード', 'Dashboard'),
    body: html`<section id="pending"><h2>${t('審査中の申込 (期限までに承諾しないと不承諾とみなされます)', 'Pending applications (deemed rejected unless approved by the day shown)')}</h2>${listingTable(t, d.pending, { day: { ...nextDeadlineColumn(t)!, label: t('判断期限', 'Decide by') } })}</section>
<section id="attention"><h2>${t('要対応 (実行できなかった処理がある契約)', 'Needs attention (effects that could not be carried out)')}</h2>${listingTable(t, d.attention)}</section>
<section id="overdue"><h2>${t('延滞中の契約 (OverdueYen > 0)', 'Overdue contracts (OverdueYen > 0)')}</h2>${listingTable(t, d.overdue, { overdue: true })}</section>
<section id="suspended"><h2>${t('停止中の契約', 'Suspended contracts')}</h2>${listingTable(t, d.suspended)}</section>
<section id="renewal-declines"><h2>${t(`今月 (${d.month}) の更新拒絶期限 (第11条1項: 期限までの通知で期間満了日に終了)`, `Renewal-decline deadlines this month (${d.month}; Art. 11-1: a notice by the day ends the contract at the term's end)`)}</h2>${listingTable(t, d.renewalDeclines, { day: { label: t('通知期限', 'Notice by'), of: (x) => passed(x.renewalDeclineDeadline) } })}</section>
<section id="cancellations"><h2>${t(`今月 (${d.month}) の解約期限 (第28条: 最低利用期間の満了日に解約金なしで終了できる通知期限)`, `Cancellation deadlines this month (${d.month}; Art. 28: the last day to end on the minimum term's last day without an early termination fee)`)}</h2>${listingTable(t, d.cancellations, { day: { label: t('通知期限', 'Notice by'), of: (x) => passed(x.cancellationDeadline) } })}</section>
<section id="allowances-exceeded"><h2>${t('障害対応・運用代行の超過 (今月または先月, 別表2 D-19: 自動では請求しません)', 'Allowance exceeded (this month or last, Appendix 2 D-19: never billed by itself)')}</h2>${listingTable(t, d.allowances, { day: { label: t('超過した月 (最新)', 'Exceeded in (latest)'), of: (x) => x.allowanceExceeded } })}</section>
<section id="deadlines"><h2>${t(`今月 (${d.month}) の自動処理`, `Automatic steps this month (${d.month})`)}</h2>${listingTable(t, d.steps, { day: nextDeadlineColumn(t) })}</section>
<section id="billing-run"><h2>${t('最後の請求実行', 'The last billing run')}</h2>${billingRunSection(t, d.billing)}</section>`,
  };
}

function runStatus(t: T, status: string): string {
  const ja: Record<string, string> = { RUNNING: '実行中', COMPLETED: '完了', FAILED: '失敗', TERMINATED: '強制終了', CANCELED: '取消', TIMED_OUT: 'タイムアウト' };
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
              (r) => html`<tr class="run" data-status="${r.status}"><td>${runLink(r.workflowId)}</td><td>${runStatus(t, r.status)}</td><td>${jstTime(r.startTime)}</td><td>${r.progress ? progressText(t, r.progress) : (r.note ?? '–')}</td></tr>`,
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

export function search(c: Ctx, r: { listed?: Listing; status?: string | undefined; plan?: string | undefined; customers?: CustomerRecord[]; name?: string; email?: string }): { title: string; body: Html } {
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
${r.customers
  ? html`<section id="results">${
      r.customers.length === 0
        ? html`<p>${t('該当なし', 'None')}</p>`
        : html`<table><tr><th>${t('契約', 'Contract')}</th><th>${t('顧客名', 'Customer')}</th><th>${t('メール', 'E-mail')}</th></tr>${r.customers.map((cu) => html`<tr><td>${contractLink(cu.contractId)}</td><td>${cu.contact?.name ?? cu.billingName}</td><td>${cu.contact?.email ?? t('(削除済み)', '(deleted)')}</td></tr>`)}</table>`
    }</section>`
  : ''}`,
  };
}

function kv(rows: Array<[string, unknown]>): Html {
  return html`<table>${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v ?? '–'}</td></tr>`)}</table>`;
}

export function contract(
  c: Ctx,
  d: { view: ContractView; customer: CustomerRecord | undefined; trail: AuditEntry[]; payments: PaymentRecord[]; requestId: (prefix: string) => string },
): { title: string; body: Html } {
  const { t, person } = c;
  const v = d.view;
  const role = person.role;
  const canAct = role === 'clerk' || role === 'supervisor';
  const terms = v.terms;
  const path = `/contracts/${encodeURIComponent(v.contractId)}`;
  const form = (action: string, id: string, inner: Html, label: string) =>
    html`<form method="post" action="${path}/${action}" id="${id}">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId(id)}">${inner}<button type="submit">${label}</button></form>`;
  const live = v.status === 'active' || v.status === 'suspended';
  const actions: Html[] = [];
  if (canAct && may(role, 'pay') && v.status !== 'pending' && v.status !== 'rejected')
    actions.push(html`<h3>${t('入金の記録', 'Record a payment')}</h3>${form('pay', 'pay', html`<label>${t('金額 (84,700 / ８４，７００ / 84,700円)', 'Amount (84,700 / ８４，７００ / 84,700円)')} <input name="amount" required inputmode="numeric"></label> <label>${t('入金日 (空欄: 本日)', 'Received on (empty: today)')} <input name="receivedOn" type="date"></label> <label><input type="checkbox" name="sameAmountOk" value="yes"> ${t('同額の別入金 (7日以内に同じ金額の入金あり)', 'another payment of the same amount (one came within 7 days)')}</label>`, t('入金を記録', 'Record payment'))}`);
  if (canAct && may(role, 'approve') && v.status === 'pending')
    actions.push(html`<h3>${t('申込の承諾', 'Approve the application')}</h3>${form('approve', 'approve', html`<label>${t('利用開始日', 'Usage start date')} <input name="startDate" type="date" value="${c.today}" required></label>`, t('承諾する', 'Approve'))}`);
  if (canAct && may(role, 'cancel') && live)
    actions.push(html`<h3>${t('解約 (見積りを確認してから確定します)', 'Cancellation (shows the quote before you confirm)')}</h3><form method="get" action="${path}/cancel" id="cancel-quote"><label>${t('終了日', 'End date')} <input name="endDate" type="date" required></label><button type="submit">${t('見積り', 'Quote')}</button></form>`);
  if (canAct && may(role, 'requestApproval') && live)
    actions.push(
      html`<h3>${t('契約の終了 (二人目の監督者の承認が必要)', 'Terminate (a second supervisor approves)')}</h3>${form(
        'terminate',
        'terminate',
        html`<label>${t('種類', 'Kind')} <select name="kind"><option value="cause">${t('解除 (即時)', 'for cause (now)')}</option><option value="convenience">${t('当社都合 (終了日を指定)', 'for convenience (give the end date)')}</option></select></label>
<label>${t('終了日 (当社都合のみ)', 'End date (convenience only)')} <input name="endDate" type="date"></label>
<label>${t('理由 (必須)', 'Reason (required)')} <input name="reason" required maxlength="500"></label>`,
        t('承認を依頼', 'Ask for approval'),
      )}`,
    );
  if (canAct && may(role, 'changeContact') && d.customer?.contact)
    actions.push(
      html`<h3>${t('連絡先の変更 (変わった項目だけ入力)', 'Change the contact (fill in only what changed)')}</h3>${form(
        'contact',
        'contact',
        html`<label>${t('メール', 'E-mail')} <input name="email" type="text" inputmode="email" autocomplete="off" maxlength="254"></label>
<label>${t('顧客名', 'Name')} <input name="name" autocomplete="off" maxlength="200"></label>
<label>${t('担当者', 'Contact person')} <input name="contactPerson" autocomplete="off" maxlength="200"></label>
<label>${t('住所', 'Address')} <input name="address" autocomplete="off" maxlength="500"></label>
<label>${t('電話', 'Phone')} <input name="phone" autocomplete="off" maxlength="40"></label>`,
        t('連絡先を変更', 'Change contact'),
      )}`,
    );
  const approvals = v.pendingApprovals;
  return {
    title: `${t('契約', 'Contract')} ${v.contractId}`,
    body: html`${
      v.waitingEffects
        ? html`<section id="waiting" class="msg err"><h2>${t('要対応: 処理が待機中です', 'Needs attention: effects waiting')}</h2><p>${t(
            `${v.waitingEffects.effects.join(', ')} を ${jstTime(new Date(v.waitingEffects.since))} から再試行しています (台帳またはメールに届きません)。復旧すると自動で実行されます。`,
            `${v.waitingEffects.effects.join(', ')} retried since ${jstTime(new Date(v.waitingEffects.since))} (the ledger or mail is unreachable); they go through by themselves once it is back.`,
          )}</p></section>`
        : ''
    }${
      v.failedEffects.length
        ? html`<section id="attention" class="msg err"><h2>${t('要対応: 実行できなかった処理があります', 'Needs attention: effects that could not be carried out')}</h2><table><tr><th>${t('日付', 'On')}</th><th>${t('処理', 'Effect')}</th><th>${t('理由', 'Reason')}</th></tr>${v.failedEffects.map(
            (f) => html`<tr><td>${f.on}</td><td>${f.effect.type}${'kind' in f.effect ? ` ${String(f.effect.kind)}` : ''}${'period' in f.effect ? ` ${String(f.effect.period)}` : ''}</td><td>${f.reason}</td></tr>`,
          )}</table><p>${t('原因を解消してから再実行してください。', 'Fix the cause, then carry them out again.')}</p>${
            may(role, 'retryFailedEffects')
              ? html`<form method="post" action="/contracts/${encodeURIComponent(v.contractId)}/retry-effects" id="retry-effects">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId('retry')}"><button type="submit">${t('再実行する', 'Carry them out again')}</button></form>`
              : ''
          }</section>`
        : ''
    }<section id="summary"><h2>${t('概要', 'Summary')}</h2>${kv([
      [t('状態', 'Status'), statusLabel(t, v.status)],
      [t('申込日', 'Applied on'), v.appliedOn],
      [t('承諾日', 'Approved on'), v.approvedOn],
      [t('利用開始日', 'Start date'), v.startDate],
      [t('最低利用期間の末日', 'Minimum term end'), v.minimumTermEnd],
      [t('現在の期間の末日', 'Current term end'), v.currentTermEnd],
      [t('更新拒絶の通知期限', 'Renewal decline by'), v.noticeDeadlines.renewalDecline && t(`${v.noticeDeadlines.renewalDecline.on} (${v.noticeDeadlines.renewalDecline.termEnd} に終了, ${v.noticeDeadlines.renewalDecline.article})`, `${v.noticeDeadlines.renewalDecline.on} (ends ${v.noticeDeadlines.renewalDecline.termEnd}, ${v.noticeDeadlines.renewalDecline.article})`)],
      [t('解約金なしの解約通知期限', 'Cancel without a fee by'), v.noticeDeadlines.cancellationWithoutFee && t(`${v.noticeDeadlines.cancellationWithoutFee.on} (${v.noticeDeadlines.cancellationWithoutFee.endDay} に終了, ${v.noticeDeadlines.cancellationWithoutFee.article})`, `${v.noticeDeadlines.cancellationWithoutFee.on} (ends ${v.noticeDeadlines.cancellationWithoutFee.endDay}, ${v.noticeDeadlines.cancellationWithoutFee.article})`)],
      [t('終了日', 'End date'), v.endDate],
      [t('終了済み', 'Ended on'), v.endedOn],
      [t('未払い', 'Outstanding'), yen(v.outstanding)],
      [t('前受金', 'Credit'), yen(v.credit)],
    ])}</section>
<section id="customer"><h2>${t('顧客', 'Customer')}</h2>${
      d.customer
        ? d.customer.contact
          ? kv([
              [t('顧客名', 'Name'), d.customer.contact.name],
              [t('メール', 'E-mail'), d.customer.contact.email],
              [t('担当者', 'Contact person'), d.customer.contact.contactPerson],
              [t('住所', 'Address'), d.customer.contact.address],
              [t('電話', 'Phone'), d.customer.contact.phone],
              [t('版', 'Revision'), d.customer.revision],
            ])
          : html`<p>${d.customer.billingName} — ${t(`連絡先は ${d.customer.contactRemovedOn} に削除済み (第30条)`, `contact deleted on ${d.customer.contactRemovedOn} (Art. 30)`)}</p>`
        : html`<p>${t('台帳に顧客がありません', 'No customer in the ledger')}</p>`
    }</section>
<section id="terms"><h2>${t('契約条件と月額', 'Terms and monthly fees')}</h2>${kv([
      [t('プラン', 'Plan'), terms?.plan],
      [t('コンポーネント', 'Components'), terms ? terms.components.map((x) => x.os).join(', ') : null],
      [t('メトリック上限緩和', 'Metric-cap relaxations'), terms?.metricCapRelaxations],
      [t('マネージド月額', 'Managed monthly'), yen(v.fees?.managedTotal)],
      [t('クラウド月額', 'Cloud monthly'), yen(v.fees?.cloudMonthly)],
      [t('月額固定料金', 'Fixed monthly fee'), yen(v.fees?.fixedMonthlyFee)],
    ])}</section>
${allowancesSection(c, v.allowances, canAct && may(role, 'recordIncident') && v.status !== 'pending' && v.status !== 'rejected' ? { form } : null)}
<section id="deadlines"><h2>${t('次の期限', 'Next deadlines')}</h2>${v.nextDeadlines.length ? html`<table>${v.nextDeadlines.map((s) => html`<tr><td>${s.on}</td><td>${s.kind}</td><td>${s.summary}</td></tr>`)}</table>` : html`<p>${t('なし', 'None')}</p>`}</section>
<section id="approvals"><h2>${t('承認待ちの依頼 (四つの目)', 'Waiting for a second supervisor (four eyes)')}</h2>${
      approvals.length === 0
        ? html`<p>${t('なし', 'None')}</p>`
        : html`<table><tr><th>${t('依頼ID', 'Request')}</th><th>${t('操作', 'Action')}</th><th>${t('理由', 'Reason')}</th><th>${t('依頼者', 'Asked by')}</th><th>${t('期限', 'Expires')}</th><th></th></tr>${approvals.map(
            (p) => html`<tr><td>${p.id}</td><td>${p.action} ${JSON.stringify(p.input)}</td><td>${p.reason}</td><td>${p.requestedBy.id} (${p.requestedBy.role})</td><td>${p.expiresOn}${p.lapsed ? t(' (失効)', ' (lapsed)') : ''}</td><td>${
              canAct && may(role, 'approveRequest')
                ? html`${form('requests/approve', `approve-request-${p.id}`, html`<input type="hidden" name="approvalOf" value="${p.id}">`, t('承認する', 'Approve'))}
${form('requests/withdraw', `withdraw-request-${p.id}`, html`<input type="hidden" name="approvalOf" value="${p.id}"><input name="reason" required placeholder="${t('取下げの理由', 'why withdrawn')}">`, t('取り下げる', 'Withdraw'))}`
                : ''
            }</td></tr>`,
          )}</table>`
    }</section>
${actions.length ? html`<section id="actions"><h2>${t('操作', 'Actions')}</h2>${actions}</section>` : ''}
<section id="invoices"><h2>${t('請求書', 'Invoices')}</h2>${
      v.invoices.length === 0
        ? html`<p>${t('なし', 'None')}</p>`
        : v.invoices.map(
            (inv) => html`<h3>${inv.invoiceNumber ? html`<a class="invoice-doc" href="${path}/invoices/${encodeURIComponent(inv.period)}">${inv.period} ${inv.invoiceNumber}</a> <a class="invoice-pdf" href="${path}/invoices/${encodeURIComponent(inv.period)}.pdf" download>PDF</a>` : inv.period} — ${t('発行', 'issued')} ${inv.issuedOn}, ${t('期日', 'due')} ${inv.dueOn}: ${yen(inv.total)} (${t('入金', 'paid')} ${yen(inv.paid)}, ${t('未払', 'outstanding')} ${yen(inv.outstanding)})</h3>
<table><tr><th>${t('内容', 'Line')}</th><th>${t('金額', 'Amount')}</th><th>${t('課税', 'Taxable')}</th><th>${t('根拠', 'Rule')}</th></tr>${inv.lines.map((l) => html`<tr><td>${l.description}</td><td class="n">${yen(l.amount)}</td><td>${l.taxable ? t('課税', 'taxable') : t('不課税', 'non-taxable')}</td><td>${l.rule}</td></tr>`)}
<tr><th>${t('課税小計 / 消費税 / 不課税', 'Taxable / tax / non-taxable')}</th><td class="n">${yen(inv.taxableSubtotal)} / ${yen(inv.tax)} / ${yen(inv.nonTaxableSubtotal)}</td><td></td><td>D-10</td></tr></table>`,
          )
    }</section>
<section id="payments"><h2>${t('入金', 'Payments')}</h2>${
      d.payments.length === 0
        ? html`<p>${t('なし', 'None')}</p>`
        : html`<table><tr><th>${t('入金ID', 'Payment')}</th><th>${t('日付', 'Paid on')}</th><th>${t('金額', 'Amount')}</th><th>${t('取消', 'Reversal')}</th></tr>${d.payments.map((p) => {
            const requestIdOfPayment = p.paymentId.slice(v.contractId.length + 1);
            // Four eyes: a supervisor asks, with the reason; another approves it in the pending requests.
            const reverse =
              p.reversal
                ? html`${t('取消済み', 'reversed')} ${p.reversal.on}: ${p.reversal.reason}`
                : role === 'supervisor'
                  ? html`<form method="post" action="${path}/payments/reverse" class="reverse">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId(`reverse-${requestIdOfPayment}`)}"><input type="hidden" name="paymentRequestId" value="${requestIdOfPayment}"><input name="reason" required placeholder="${t('理由', 'reason')}"><button type="submit">${t('取消を依頼', 'Ask to reverse')}</button></form>`
                  : '';
            return html`<tr><td>${p.paymentId}</td><td>${p.paidOn}</td><td class="n">${yen(p.amount)}</td><td>${reverse}</td></tr>`;
          })}</table>`
    }</section>
<section id="notices"><h2>${t('通知', 'Notices')}</h2>${v.notices.length === 0 ? html`<p>${t('なし', 'None')}</p>` : html`<table>${v.notices.map((n) => html`<tr><td>${n.on}</td><td>${n.kind}</td><td>${n.id}</td></tr>`)}</table>`}</section>
<section id="audit"><h2>${t('監査記録', 'Audit trail')}</h2><p><a id="audit-csv" href="${path}/audit.csv">${t('CSVでダウンロード', 'Download as CSV')}</a></p>${
      d.trail.length === 0
        ? html`<p>${t('なし', 'None')}</p>`
        : html`<table><tr><th>${t('日時', 'At')}</th><th>${t('実行者', 'Actor')}</th><th>${t('コマンド', 'Command')}</th><th>${t('依頼ID', 'Request')}</th><th>${t('結果', 'Outcome')}</th><th>${t('メッセージ', 'Message')}</th></tr>${d.trail.map(
            (a) => html`<tr class="audit-row" data-outcome="${a.outcome}"><td>${a.at}</td><td>${a.actor.id} (${a.actor.role}, ${a.actor.via})</td><td>${a.command}</td><td>${a.requestId}</td><td>${a.outcome}</td><td>${a.message}</td></tr>`,
          )}</table>${d.trail.length >= CONTRACT_PAGE_AUDIT_ROWS ? html`<p class="more">${t(`最新の ${CONTRACT_PAGE_AUDIT_ROWS} 件です。すべては CSV にあります。`, `The latest ${CONTRACT_PAGE_AUDIT_ROWS}; the CSV has them all.`)}</p>` : ''}`
    }</section>`,
  };
}

export function cancelQuote(c: Ctx, contractId: string, q: CancellationQuote, requestId: string): { title: string; body: Html } {
  const { t } = c;
  const path = `/contracts/${encodeURIComponent(contractId)}`;
  return {
    title: t(`解約の見積り ${contractId}`, `Cancellation quote ${contractId}`),
    body: html`<section id="quote">${kv([
      [t('希望終了日', 'Requested end day'), q.endDay],
      [t('可能か', 'Possible'), q.valid ? t('はい', 'yes') : t('いいえ', 'no')],
      [t('理由', 'Reason'), q.reason],
      [t('根拠', 'Rule'), q.rule],
      [t('最短の終了日', 'Earliest end day'), q.earliestEndDay],
      [t('早期解約金 (ETF)', 'Early termination fee'), yen(q.earlyTerminationFee)],
      [t('最終請求月', 'Last billed month'), q.lastBilledMonth],
    ])}
${q.valid ? html`<form method="post" action="${path}/cancel" id="cancel-confirm">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${requestId}"><input type="hidden" name="endDate" value="${q.endDay}"><button type="submit">${t('この内容で解約を確定', 'Confirm the cancellation')}</button></form>` : ''}
<p><a href="${path}">${t('契約へ戻る', 'Back to the contract')}</a></p></section>`,
  };
}

/** `ssoIssuer`: single sign-on's issuer, when configured: a column to link each person to a subject of it. */
export function people(c: Ctx, list: Person[], shown?: OneTime, ssoIssuer?: string): { title: string; body: Html } {
  const { t } = c;
  const sso = (p: Person) => {
    const linked = p.oidcIssuer === ssoIssuer ? (p.oidcSubject ?? '') : '';
    return html`<td>${p.oidcSubject && !linked ? html`<small>${t('別の発行者', 'another issuer')}: ${p.oidcIssuer}</small> ` : ''}<form class="inline sso-link" method="post" action="/people/${p.id}/oidc">${csrfField(c.csrf)}<input name="subject" value="${linked}" placeholder="subject (sub)" size="16"><button type="submit">${t('結び付け', 'Link')}</button></form>${p.oidcSubject ? html` <form class="inline sso-unlink" method="post" action="/people/${p.id}/oidc">${csrfField(c.csrf)}<button type="submit">${t('解除', 'Unlink')}</button></form>` : ''}</td>`;
  };
  const op = (p: Person, name: string, label: string, inner: Html = html``) =>
    html`<form class="inline" method="post" action="/people/${p.id}/${name}">${csrfField(c.csrf)}${inner}<button type="submit">${label}</button></form>`;
  return {
    title: t('利用者', 'People'),
    body: html`${shown ? html`<div class="msg ok" id="one-time">${t(`${shown.login} のワンタイムパスワード (この一度だけ表示します。初回サインインで変更が必要です):`, `One-time password for ${shown.login} (shown this once; it must be changed at the first sign-in):`)} <span class="otp">${shown.password}</span></div>` : ''}
<section><h2>${t('追加', 'Add a person')}</h2><form method="post" action="/people" id="add-person">${csrfField(c.csrf)}
<label>${t('ログインID', 'Login')} <input name="login" required></label>
<label>${t('表示名', 'Display name')} <input name="displayName" required></label>
<label>${t('役割', 'Role')} <select name="role">${ROLES.map((r) => html`<option value="${r}">${r}</option>`)}</select></label>
<button type="submit">${t('追加', 'Add')}</button></form></section>
<section><table><tr><th>${t('ログインID', 'Login')}</th><th>${t('表示名', 'Name')}</th><th>${t('役割', 'Role')}</th><th>${t('状態', 'State')}</th>${ssoIssuer ? html`<th title="${ssoIssuer}">${t('シングルサインオン (subject)', 'Single sign-on (subject)')}</th>` : ''}<th></th></tr>
${list.map(
  (p) => html`<tr data-login="${p.login}"><td>${p.login}</td><td>${p.displayName}</td><td>${p.role}</td><td>${p.disabled ? t('無効', 'disabled') : p.lockedUntil && Date.parse(p.lockedUntil) > Date.now() ? t('ロック中', 'locked') : p.mustChangePassword ? t('初回変更待ち', 'must change password') : t('有効', 'active')}</td>${ssoIssuer ? sso(p) : ''}
<td>${op(p, 'role', t('役割を変更', 'Set role'), html`<select name="role">${ROLES.map((r) => html`<option value="${r}"${r === p.role ? html` selected` : ''}>${r}</option>`)}</select>`)}
${op(p, 'unlock', t('ロック解除', 'Unlock'))} ${p.disabled ? op(p, 'enable', t('有効にする', 'Enable')) : op(p, 'disable', t('無効にする', 'Disable'))} ${op(p, 'reset', t('パスワード再発行', 'Reset password'))}</td></tr>`,
)}</table></section>`,
  };
}

export function monthInvoices(c: Ctx, m: MonthInvoices | undefined): { title: string; body: Html } {
  const { t } = c;
  const period = m?.period ?? '';
  return {
    title: t(`月次請求書 ${period}`, `Invoices of the month ${period}`),
    body: html`<section><form method="get" action="/invoices" id="period"><label>${t('請求月 (YYYY-MM)', 'Billing month (YYYY-MM)')} <input name="period" value="${period}" pattern="[0-9]{4}-[0-9]{2}" required></label> <button type="submit">${t('表示', 'Show')}</button></form>
${m ? html`<p><a id="invoices-csv" href="/invoices.csv?period=${encodeURIComponent(m.period)}">${t('CSVでダウンロード (UTF-8 BOM付き、1行1明細)', 'Download as CSV (UTF-8 with BOM, one row per line)')}</a> · <a href="/audit.csv?from=${encodeURIComponent(`${m.period}-01`)}&amp;to=${encodeURIComponent(c.today)}">${t('監査記録CSV (今月初日から今日まで)', 'Audit CSV (from the 1st of this month to today)')}</a></p>` : ''}</section>
${m
  ? html`<section id="month-invoices">${
      m.invoices.length === 0
        ? html`<p>${t('この月の請求書はありません', 'No invoices for this month')}</p>`
        : html`<table><tr><th>${t('請求書番号', 'Invoice')}</th><th>${t('契約', 'Contract')}</th><th>${t('宛先 (発行時)', 'Customer (as issued)')}</th><th>${t('消費税', 'Tax')}</th><th>${t('合計', 'Total')}</th></tr>
${m.invoices.map((i) => html`<tr class="invoice-row" data-invoice="${i.number}"><td><a href="/contracts/${encodeURIComponent(i.contractId)}/invoices/${encodeURIComponent(m.period)}">${i.number}</a> <a class="invoice-pdf" href="/contracts/${encodeURIComponent(i.contractId)}/invoices/${encodeURIComponent(m.period)}.pdf" download>PDF</a></td><td>${contractLink(i.contractId)}</td><td>${i.customerName ?? t('(削除済み)', '(removed)')}</td><td class="n">${yen(i.tax)}</td><td class="n">${yen(i.total)}</td></tr>`)}
<tr><th colspan="4">${t(`合計 (${m.invoices.length}件)`, `Total (${m.invoices.length} invoices)`)}</th><td class="n" id="month-total">${yen(m.total)}</td></tr></table>`
    }</section>`
  : ''}`,
  };
}
