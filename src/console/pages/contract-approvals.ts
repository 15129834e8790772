/**
 * Requests waiting for a second supervisor (二者承認), in words: the action, its amount or day, the reason,
 * who asked (by name) and the last day. The one who asked sees no approve button (the contract would refuse
 * it anyway); each form carries a request id, so a double click approves once.
 */
import type { ContractView } from '../../domain/contract';
import { yenIn } from '../../domain/messages';
import { html, type Html, type T } from '../html';
import { may, type Ctx } from './common';
import type { PostForm } from './contract-actions';

const yenText = (t: T, n: unknown) => (typeof n === 'number' ? yenIn(t.lang, n) : '');

/** The action and what it carries, as a person reads it. */
export function actionWords(t: T, action: string, input: Record<string, unknown>): string {
  switch (action) {
    case 'terminateForCause':
      return t('契約の解除 (第29条1項, 即日)', 'Termination for cause (Art. 29-1, today)');
    case 'terminateForConvenience':
      return t(`当社都合による終了 (第29条3項), 終了日 ${String(input.endDate)}`, `Termination for convenience (Art. 29-3), ending ${String(input.endDate)}`);
    case 'reversePayment':
      return t(`入金の取消 (${String(input.paymentRequestId)})`, `Payment reversal (${String(input.paymentRequestId)})`);
    case 'charge':
      return t(`追加請求 ${yenText(t, input.amount)}「${String(input.description)}」`, `Charge ${yenText(t, input.amount)} "${String(input.description)}"`);
    case 'recogniseDamages':
      return t(
        `損害賠償 ${yenText(t, input.amount)} (${String(input.occurredOn)} 発生)`,
        `Damages ${yenText(t, input.amount)} (occurred ${String(input.occurredOn)})`,
      );
    case 'penalty':
      return t(`違約金 (免れた額 ${yenText(t, input.evadedAmount)})`, `Penalty (evaded ${yenText(t, input.evadedAmount)})`);
    case 'pay':
      return t(
        `入金 ${yenText(t, input.amount)}${input.paidOn ? ` (${String(input.paidOn)} 受領)` : ''}`,
        `Payment ${yenText(t, input.amount)}${input.paidOn ? ` (received ${String(input.paidOn)})` : ''}`,
      );
    default:
      return action;
  }
}

export function approvalsSection(c: Ctx, v: ContractView, d: { form: PostForm; canAct: boolean; names: ReadonlyMap<string, string> }): Html {
  const { t } = c;
  const role = c.person.role;
  const rows = v.pendingApprovals;
  return html`<section id="approvals"><h2>${t('承認待ちの依頼 (二者承認)', 'Waiting for a second supervisor (four eyes)')}</h2>${
    rows.length === 0
      ? html`<p>${t('なし', 'None')}</p>`
      : html`<table><tr><th>${t('操作', 'Action')}</th><th>${t('理由', 'Reason')}</th><th>${t('依頼者', 'Asked by')}</th><th>${t('承認期限', 'Approve by')}</th><th></th></tr>${rows.map(
          (p) => {
            const own = p.requestedBy.id === c.person.id;
            const approve =
              d.canAct && may(role, 'approveRequest') && !own && !p.lapsed
                ? d.form('requests/approve', `approve-request-${p.id}`, html`<input type="hidden" name="approvalOf" value="${p.id}">`, t('承認する', 'Approve'))
                : own
                  ? html`<p>${t('別の監督者の承認待ち', 'Awaiting another supervisor')}</p>`
                  : '';
            const withdraw =
              d.canAct && may(role, 'withdrawRequest')
                ? d.form(
                    'requests/withdraw',
                    `withdraw-request-${p.id}`,
                    html`<input type="hidden" name="approvalOf" value="${p.id}"><label>${t('取下げの理由', 'Why withdrawn')} <input name="reason" required></label>`,
                    t('取り下げる', 'Withdraw'),
                  )
                : '';
            return html`<tr class="approval" data-id="${p.id}"><td>${actionWords(t, p.action, p.input)}</td><td>${p.reason}</td><td>${d.names.get(p.requestedBy.id) ?? p.requestedBy.id} (${p.requestedOn})</td><td>${p.expiresOn}${p.lapsed ? t(' (失効)', ' (lapsed)') : ''}</td><td>${approve}${withdraw}</td></tr>`;
          },
        )}</table>`
  }</section>`;
}
