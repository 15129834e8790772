/** 期限カレンダー / Deadline calendar: every dated thing ahead, by month. */
import { CALENDAR_MONTHS, type CalendarEvent, type CalendarKind, type DeadlineCalendar } from '../../backoffice/deadline-calendar';
import { html, type Html, type T } from '../html';
import { contractLink, type Ctx } from './common';
import { actionLabel } from './work';

export function kindLabel(t: T, k: CalendarKind): string {
  return {
    deemedRejection: t('申込のみなし不承諾 (D-2)', 'Application deemed rejected (D-2)'),
    changeDeemedRejection: t('変更申込のみなし不承諾', 'Change request deemed rejected'),
    usageStart: t('利用開始・契約成立 (第9条)', 'Usage starts; the contract is established (Art. 9)'),
    overdueNotice: t('延滞の通知 (第27条)', 'Overdue notice (Art. 27)'),
    paymentReminder: t('支払期日の事前のご案内', 'Payment reminder before the due day'),
    paymentSecondNotice: t('督促 (再通知)', 'Second payment notice (督促)'),
    suspensionWarning: t('利用停止の予告', 'Suspension warning'),
    overdueSuspension: t('未払いによる利用停止 (D-14)', 'Suspension for non-payment (D-14)'),
    overdueTermination: t('未払いによる契約解除 (D-14)', 'Termination for non-payment (D-14)'),
    contractEnd: t('契約終了', 'Contract ends'),
    dataDeletion: t('データ削除 (第30条, D-8)', 'Data deletion (Art. 30, D-8)'),
    renewalDeclineDeadline: t('更新拒絶の通知期限 (第11条1項)', 'Renewal-decline notice deadline (Art. 11-1)'),
    cancellationDeadline: t('解約金なしで解約できる通知期限 (第28条)', 'Cancellation deadline without a fee (Art. 28)'),
    approvalExpiry: t('二者承認の依頼の期限', 'Four-eyes request lapses after'),
  }[k];
}

const WEEKDAYS: Array<[string, string]> = [
  ['日', 'Sun'],
  ['月', 'Mon'],
  ['火', 'Tue'],
  ['水', 'Wed'],
  ['木', 'Thu'],
  ['金', 'Fri'],
  ['土', 'Sat'],
];
const weekday = (t: T, day: string) => {
  const w = WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!;
  return t(w[0], w[1]);
};

function detail(t: T, e: CalendarEvent): Html {
  if (e.kind === 'approvalExpiry')
    return html`${actionLabel(t, e.action ?? '')} <a href="/contracts/${encodeURIComponent(e.contractId)}#approve-request-${e.requestId ?? ''}">${e.requestId}</a>`;
  return html`${e.period ? t(`${e.period} 分の請求`, `invoice ${e.period}`) : ''}`;
}

export function calendar(c: Ctx, cal: DeadlineCalendar): { title: string; body: Html } {
  const { t } = c;
  const count = cal.months.reduce((a, m) => a + m.events.length, 0);
  const months = cal.months.length;
  return {
    title: t('期限カレンダー', 'Deadline calendar'),
    body: html`<section><form method="get" action="/calendar" id="calendar-months"><label>${t(`表示する月数 (1〜${CALENDAR_MONTHS.max})`, `Months to show (1–${CALENDAR_MONTHS.max})`)} <select name="months">${Array.from(
      { length: CALENDAR_MONTHS.max },
      (_, i) => i + 1,
    ).map(
      (n) => html`<option value="${String(n)}"${n === months ? html` selected` : ''}>${String(n)}</option>`,
    )}</select></label> <button type="submit">${t('表示', 'Show')}</button></form>
<p id="calendar-range">${t(`${cal.from} から ${cal.to} まで (日本時間): ${count} 件`, `${cal.from} to ${cal.to} (Japan time): ${count}`)}</p>
${cal.more ? html`<p class="msg err">${t('自動処理の予定がある契約が多すぎるため、一部のみ表示しています。', 'Too many contracts have steps ahead: only some are shown.')}</p>` : ''}</section>
${cal.months.map(
  (m) =>
    html`<section class="month" id="month-${m.month}"><h2>${m.month}</h2>${
      m.events.length === 0
        ? html`<p>${t('予定はありません', 'Nothing scheduled')}</p>`
        : html`<table><tr><th>${t('日付', 'Day')}</th><th>${t('契約', 'Contract')}</th><th>${t('内容', 'What')}</th><th>${t('詳細', 'Detail')}</th></tr>
${m.events.map((e) => html`<tr class="event" data-kind="${e.kind}" data-contract="${e.contractId}" data-on="${e.on}"><td>${e.on} (${weekday(t, e.on)})</td><td>${contractLink(e.contractId)}</td><td>${kindLabel(t, e.kind)}</td><td>${detail(t, e)}</td></tr>`)}</table>`
    }</section>`,
)}`,
  };
}
