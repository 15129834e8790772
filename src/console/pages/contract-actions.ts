/**
 * The contract page's actions: one form per command the person's role may ask (MAY_ASK) in the contract's
 * status. Every irreversible step (cancel, decline, terminate, reject) is a GET to its confirmation page,
 * which shows the consequences in yen before anything is sent.
 */
import type { ContractView } from '../../domain/contract';
import { yenIn } from '../../domain/messages';
import { OS_KINDS, PLAN_IDS } from '../../domain/types';
import { html, type Html, type T } from '../html';
import { componentsText, may, type Ctx } from './common';

export type PostForm = (action: string, id: string, inner: Html, label: string) => Html;

/** A form that only asks for the confirmation page (nothing is sent), with the request id it will carry. */
export const confirmForm = (path: string, action: string, id: string, requestId: string, inner: Html, label: string) =>
  html`<form method="get" action="${path}/confirm/${action}" id="${id}"><input type="hidden" name="requestId" value="${requestId}">${inner}<button type="submit">${label}</button></form>`;

const reasonField = (name: string, required: boolean, hint: string) =>
  html`<label>${hint} <input name="${name}" maxlength="500"${required ? html` required` : ''}></label>`;

/** Four eyes (D-29): above 100,000円 the step waits for a second supervisor; the reason goes with it. */
const fourEyesReason = (t: T) =>
  reasonField('reason', false, t('理由 (10万円を超える場合は必須: 二者承認)', 'Reason (required above 100,000 yen: a second supervisor approves)'));

function changeForms(c: Ctx, v: ContractView, form: PostForm): Html[] {
  const { t } = c;
  const role = c.person.role;
  const out: Html[] = [];
  const pending = v.pendingChange;
  if (pending) {
    const ch = pending.change;
    const words = [
      ch.plan ? `${t('プラン', 'plan')} ${ch.plan}` : '',
      ch.components ? `${t('コンポーネント', 'components')} ${componentsText(t, ch.components)}` : '',
      ch.metricCapRelaxations !== undefined ? `${t('メトリック上限緩和', 'metric-cap relaxations')} ${ch.metricCapRelaxations}` : '',
      ch.cloudMonthlyFee !== undefined ? `${t('クラウド月額', 'cloud monthly fee')} ${yenIn(t.lang, ch.cloudMonthlyFee)}` : '',
    ].filter(Boolean);
    out.push(
      html`<h3>${t('変更の申込 (審査中)', 'Change request (awaiting a decision)')}</h3><p id="pending-change">${words.join('、')} — ${t(`${pending.requestedOn} 受付`, `received ${pending.requestedOn}`)}</p>`,
    );
    if (may(role, 'approveChange'))
      out.push(
        form(
          'approve-change',
          'approve-change',
          html`<label>${t('適用月 (空欄: 翌月)', 'Effective month (empty: next month)')} <input name="effectiveMonth" type="month"></label>`,
          t('変更を承諾', 'Approve the change'),
        ),
        form(
          'reject-change',
          'reject-change',
          reasonField('internalReason', false, t('社内用の理由 (顧客には通知しません)', 'Internal reason (not sent to the customer)')),
          t('変更を不承諾', 'Reject the change'),
        ),
      );
  } else if (may(role, 'requestChange') && !v.end)
    out.push(
      html`<h3>${t('契約内容の変更 (変わる項目だけ入力)', 'Change the terms (fill in only what changes)')}</h3>`,
      form(
        'change',
        'change',
        html`<label>${t('プラン', 'Plan')} <select name="plan"><option value="">${t('変更なし', 'unchanged')}</option>${PLAN_IDS.map((p) => html`<option value="${p}">${p}</option>`)}</select></label>
${OS_KINDS.map((os) => html`<label>${os === 'linux' ? t('Linux の台数 (コンポーネント全体を指定)', 'Linux components (the whole new set)') : t('Windows の台数', 'Windows components')} <input name="${os}" inputmode="numeric" size="5"></label>`)}
<label>${t('メトリック上限緩和の数', 'Metric-cap relaxations')} <input name="metricCapRelaxations" inputmode="numeric" size="5"></label>
<label>${t('クラウド月額 (円, 税抜)', 'Cloud monthly fee (yen, before tax)')} <input name="cloudMonthlyFee" inputmode="numeric"></label>`,
        t('変更を申込', 'Record the change request'),
      ),
    );
  return out;
}

function moneyForms(c: Ctx, form: PostForm): Html[] {
  const { t } = c;
  const role = c.person.role;
  const out: Html[] = [];
  if (may(role, 'charge'))
    out.push(
      html`<h3>${t('追加請求・減額 (減額はマイナス)', 'Charge or reduction (negative reduces)')}</h3>`,
      form(
        'charge',
        'charge',
        html`<label>${t('内容 (請求書に表示)', 'Description (shown on the invoice)')} <input name="description" required maxlength="200"></label>
<label>${t('金額 (円, 税抜, 減額は -5,000)', 'Amount (yen before tax; -5,000 reduces)')} <input name="amount" required inputmode="numeric"></label>
<label>${t('課税区分', 'Tax')} <select name="taxable"><option value="yes">${t('課税', 'taxable')}</option><option value="no">${t('不課税', 'non-taxable')}</option></select></label>${fourEyesReason(t)}`,
        t('次回請求に計上', 'Put on the next invoice'),
      ),
    );
  if (may(role, 'reportOutage'))
    out.push(
      html`<h3>${t('障害による停止の報告 (第21条: 減額は次回請求)', 'Report an outage (Art. 21: any reduction on the next invoice)')}</h3>`,
      form(
        'outage',
        'outage',
        html`<label>${t('対象', 'Scope')} <select name="scope"><option value="managed">${t('マネージド', 'managed')}</option><option value="cloud">${t('クラウド', 'cloud')}</option></select></label>
<label>${t('当社が知った日時 (日本時間)', 'Known at (Japan time)')} <input name="knownAt" type="datetime-local" required></label>
<label>${t('復旧日時 (日本時間)', 'Restored at (Japan time)')} <input name="restoredAt" type="datetime-local" required></label>
<label><input type="checkbox" name="grossNegligence" value="yes"> ${t('当社の重大な過失', "the provider's gross negligence")}</label>`,
        t('停止を報告', 'Report the outage'),
      ),
    );
  if (may(role, 'recogniseDamages'))
    out.push(
      html`<h3>${t('損害賠償の認定 (第31条: 月額を上限に減額)', 'Recognise damages (Art. 31: a reduction, capped at the monthly fee)')}</h3>`,
      form(
        'damages',
        'damages',
        html`<label>${t('発生日', 'Occurred on')} <input name="occurredOn" type="date" required></label>
<label>${t('認定額 (円)', 'Amount (yen)')} <input name="amount" required inputmode="numeric"></label>${fourEyesReason(t)}`,
        t('損害を認定', 'Recognise the damages'),
      ),
    );
  if (may(role, 'penalty'))
    out.push(
      html`<h3>${t('違約金 (免れた額とその2倍、税)', 'Penalty (the evaded fees, twice that, and tax)')}</h3>`,
      form(
        'penalty',
        'penalty',
        html`<label>${t('免れた料金 (円)', 'Evaded fees (yen)')} <input name="evadedAmount" required inputmode="numeric"></label>${fourEyesReason(t)}`,
        t('違約金を請求', 'Charge the penalty'),
      ),
    );
  return out;
}

/** Every form the person may use on this contract now; empty for a viewer, an admin or a closed contract. */
export function contractActions(
  c: Ctx,
  v: ContractView,
  d: { path: string; form: PostForm; requestId: (prefix: string) => string; hasContact: boolean },
): Html[] {
  const { t } = c;
  const role = c.person.role;
  const { form, path } = d;
  // D-34: an approved contract before its usage start is live for every step but suspension (no service yet).
  const live = v.status === 'active' || v.status === 'suspended' || v.status === 'approved';
  const out: Html[] = [];
  if (v.status === 'pending') {
    if (may(role, 'approve'))
      out.push(
        html`<h3>${t('申込の承諾', 'Approve the application')}</h3>${form('approve', 'approve', html`<label>${t('利用開始日', 'Usage start date')} <input name="startDate" type="date" value="${c.today}" required></label>`, t('承諾する', 'Approve'))}`,
      );
    if (may(role, 'reject'))
      out.push(
        html`<h3>${t('申込の不承諾 (確認画面へ)', 'Reject the application (asks to confirm)')}</h3>${confirmForm(path, 'reject', 'reject', d.requestId('reject'), html``, t('不承諾の確認へ', 'Review the rejection'))}`,
      );
  }
  if (may(role, 'pay') && v.status !== 'pending' && v.status !== 'rejected')
    out.push(
      html`<h3>${t('入金の記録', 'Record a payment')}</h3>${form('pay', 'pay', html`<label>${t('金額 (84,700 / ８４，７００ / 84,700円)', 'Amount (84,700 / ８４，７００ / 84,700円)')} <input name="amount" required inputmode="numeric"></label> <label>${t('入金日 (空欄: 本日)', 'Received on (empty: today)')} <input name="receivedOn" type="date"></label> <label><input type="checkbox" name="sameAmountOk" value="yes"> ${t('同額の別入金 (7日以内に同じ金額の入金あり)', 'another payment of the same amount (one came within 7 days)')}</label>`, t('入金を記録', 'Record payment'))}`,
    );
  if (live) {
    out.push(...changeForms(c, v, form), ...moneyForms(c, form));
    if (may(role, 'suspend') && v.status !== 'approved' && !v.suspensionGrounds.some((g) => g.ground === 'backOffice'))
      out.push(
        html`<h3>${t('利用停止 (第18条: 料金は発生し続けます)', 'Suspend (Art. 18: fees continue)')}</h3>${form('suspend', 'suspend', reasonField('internalReason', true, t('停止の理由 (社内用)', 'Ground (internal)')), t('利用を停止', 'Suspend'))}`,
      );
    if (may(role, 'resume') && v.suspensionGrounds.some((g) => g.ground === 'backOffice'))
      out.push(
        html`<h3>${t('利用停止の解除 (当社による停止のみ)', "Resume (lifts the back office's ground only)")}</h3>${form('resume', 'resume', html``, t('利用を再開', 'Resume'))}`,
      );
    if (may(role, 'cancel'))
      out.push(
        html`<h3>${t('解約 (見積りを確認してから確定します)', 'Cancellation (shows the quote before you confirm)')}</h3><form method="get" action="${path}/cancel" id="cancel-quote"><input type="hidden" name="requestId" value="${d.requestId('cancel')}"><label>${t('終了日', 'End date')} <input name="endDate" type="date" required></label><button type="submit">${t('見積り', 'Quote')}</button></form>`,
      );
    if (may(role, 'declineRenewal') && !v.end)
      out.push(
        html`<h3>${t('更新拒絶 (確認画面へ)', 'Decline the renewal (asks to confirm)')}</h3>${confirmForm(
          path,
          'decline-renewal',
          'decline-renewal',
          d.requestId('decline'),
          html`<label>${t('申出者', 'Declined by')} <select name="by"><option value="customer">${t('顧客', 'the customer')}</option><option value="provider">${t('当社', 'the provider')}</option></select></label>`,
          t('更新拒絶の確認へ', 'Review the decline'),
        )}`,
      );
    if (may(role, 'terminateForCause'))
      out.push(
        html`<h3>${t('契約の終了 (確認のうえ、別の監督者が承認)', 'Terminate (confirm, then a second supervisor approves)')}</h3>${confirmForm(
          path,
          'terminate',
          'terminate',
          d.requestId('terminate'),
          html`<label>${t('種類', 'Kind')} <select name="kind"><option value="cause">${t('解除 (即時, 第29条1項)', 'for cause (now, Art. 29-1)')}</option><option value="convenience">${t('当社都合 (終了日を指定, 第29条3項)', 'for convenience (give the end date, Art. 29-3)')}</option></select></label>
<label>${t('終了日 (当社都合のみ)', 'End date (convenience only)')} <input name="endDate" type="date"></label>`,
          t('終了の確認へ', 'Review the termination'),
        )}`,
      );
  }
  if (may(role, 'changeContact') && d.hasContact)
    out.push(
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
  return out;
}
