/**
 * The contract page's allowances (Appendix 2 notes, D-19; recording: D-24): each month's incident
 * responses (障害対応) and ops hours (運用代行) beside what the plan includes, the excess flagged — never
 * billed by itself; a supervisor adds it with a charge and a reason. Clerks and above record here.
 */
import type { AllowanceRow } from '../domain/contract/allowances';
import { RULE, ruleInEnglish } from '../domain/rules';
import type { IsoDate } from '../domain/types';
import { html, type Html, type T } from './html';

/** The month's excess in words, or '' when within what the plan includes. */
function excessText(t: T, r: AllowanceRow): string {
  if (!r.exceeded) return '';
  const ja = [r.incidentsExcess > 0 ? `障害対応 ${r.incidentsExcess} 件` : '', r.opsHoursExcess > 0 ? `運用代行 ${r.opsHoursExcess} 時間` : '']
    .filter(Boolean)
    .join('、');
  const en = [r.incidentsExcess > 0 ? `${r.incidentsExcess} incident(s)` : '', r.opsHoursExcess > 0 ? `${r.opsHoursExcess} ops hour(s)` : '']
    .filter(Boolean)
    .join(', ');
  return t(
    `超過: ${ja} — 自動では請求しません。請求する場合は理由を付けて追加請求してください`,
    `excess: ${en} over the plan — not billed; add a charge with a reason if the customer is to pay it`,
  );
}

export function allowancesSection(
  c: { t: T; today: IsoDate },
  rows: AllowanceRow[],
  /** The forms, for those who may record (clerks and above, an open or ended contract); null: the table only. */
  forms: { form: (action: string, id: string, inner: Html, label: string) => Html } | null,
): Html {
  const { t } = c;
  const table = rows.length
    ? html`<table><tr><th>${t('月', 'Month')}</th><th>${t('障害対応 / 含まれる数', 'Incidents / included')}</th><th>${t('運用代行 (時間) / 含まれる時間', 'Ops hours / included')}</th><th>${t('超過', 'Excess')}</th></tr>${rows.map(
        (r) =>
          html`<tr class="allowance" data-month="${r.month}" data-exceeded="${String(r.exceeded)}"${r.exceeded ? html` style="background:#fdeaea"` : ''}><td>${r.month}</td><td class="n">${r.incidents} / ${r.incidentsIncluded}</td><td class="n">${r.opsHours} / ${r.opsHoursIncluded}</td><td class="excess">${r.exceeded ? html`<strong>${excessText(t, r)}</strong>` : '–'}</td></tr>`,
      )}</table>`
    : html`<p>${t('記録なし', 'Nothing recorded')}</p>`;
  const recording = forms
    ? html`<h3>${t('障害対応の記録 (発生日時, 日本時間)', 'Record an incident response (when it began, Japan time)')}</h3>${forms.form(
        'incident',
        'record-incident',
        html`<label>${t('発生日時', 'Began at')} <input name="at" type="datetime-local" required max="${c.today}T23:59"></label>`,
        t('障害対応を記録', 'Record incident'),
      )}
<h3>${t('運用代行の記録', 'Record ops work')}</h3>${forms.form(
        'ops-work',
        'record-ops-work',
        html`<label>${t('作業日', 'Day')} <input name="on" type="date" required max="${c.today}"></label> <label>${t('時間 (0.25時間単位)', 'Hours (0.25 steps)')} <input name="hours" type="number" min="0.25" max="24" step="0.25" required></label>`,
        t('運用代行を記録', 'Record ops work'),
      )}`
    : '';
  return html`<section id="allowances"><h2>${t(`障害対応・運用代行 (別表2, D-19)`, `Allowances (Appendix 2, D-19)`)}</h2>
<p>${t(`月ごとの記録と、プランに含まれる数。超過は表示のみで、自動では請求しません (${RULE.allowances})。`, `Each month's record beside what the plan includes. The excess is flagged, never billed by itself (${ruleInEnglish(RULE.allowances)}).`)}</p>${table}${recording}</section>`;
}
