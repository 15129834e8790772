/**
 * The contract's page, laid out for work: the status and what is owed at the top, the actions beside (a side
 * column on wide screens, below on narrow ones), the terms, deadlines and requests waiting for a second
 * supervisor, then the timeline — the coming invoices' lines, invoices, payments, notices and audit trail.
 */
import type { ClosedContract } from '../../backoffice/closed-contracts';
import type { AuditEntry, CustomerRecord, PaymentRecord } from '../../backoffice/ledger-records';
import { jstTime } from '../../cli/format';
import type { ContractView, StepKind } from '../../domain/contract';
import { articleOf, ruleInEnglish } from '../../domain/rules';
import { allowancesSection } from '../allowances-view';
import { kindLabel } from './calendar';
import { closedBanner } from './closed';
import { csrfField, html, type Html, type T } from '../html';
import { componentsText, kv, may, statusLabel, type Ctx, yenOf } from './common';
import { contractActions, type PostForm } from './contract-actions';
import { approvalsSection } from './contract-approvals';
import { timeline, upcomingSection } from './contract-timeline';

/** A step of the contract's own timers by its name (the calendar's words; a four-eyes lapse is the contract's alone). */
const stepLabel = (t: T, kind: StepKind): string => (kind === 'approvalLapse' ? t('二者承認の依頼の失効', 'Four-eyes request lapses') : kindLabel(t, kind));

export { CONTRACT_PAGE_AUDIT_ROWS } from './contract-timeline';

const END_KIND: Record<string, [string, string]> = {
  cancellation: ['解約 (第28条)', 'cancellation (Art. 28)'],
  renewalDeclined: ['更新拒絶 (第11条)', 'renewal declined (Art. 11)'],
  terminationForCause: ['解除 (第29条1項)', 'termination for cause (Art. 29-1)'],
  terminationForConvenience: ['当社都合による終了 (第29条3項)', 'termination for convenience (Art. 29-3)'],
  serviceDiscontinuation: ['サービスの廃止 (第5条)', 'service discontinued (Art. 5)'],
};

/** The top of the page: where the contract stands and what is owed, and its fixed end with the ETF and compensation. */
function headline(t: T, v: ContractView): Html {
  const end = v.end;
  const kind = end ? (END_KIND[end.kind] ?? [end.kind, end.kind]) : null;
  return html`<section id="headline" class="headline"><p><strong class="status">${statusLabel(t, v.status)}</strong> <span>${t('未払い', 'Outstanding')} <strong id="outstanding">${yenOf(t, v.outstanding)}</strong></span> <span>${t('前受金', 'Credit')} ${yenOf(t, v.credit)}</span> <span>${t('残高', 'Balance')} ${yenOf(t, v.balance)}</span></p>${
    end
      ? html`<p id="fixed-end">${t(`終了日 ${end.lastDay} (${kind![0]}, ${end.fixedOn} 確定)`, `Ends on ${end.lastDay} (${kind![1]}, fixed ${end.fixedOn})`)} — ${t('早期解約金', 'Early termination fee')} <strong id="fixed-etf">${yenOf(t, end.earlyTerminationFee)}</strong>, ${t('補償 (第29条3項)', 'Compensation (Art. 29-3)')} <strong id="fixed-compensation">${yenOf(t, end.compensation)}</strong></p>`
      : ''
  }</section>`;
}

function banners(c: Ctx, v: ContractView, closed: ClosedContract | null | undefined, requestId: (p: string) => string): Html {
  const { t } = c;
  return html`${closed ? closedBanner(t, closed) : ''}${
    v.waitingEffects
      ? html`<section id="waiting" class="msg err"><h2>${t('要対応: 処理が待機中です', 'Needs attention: effects waiting')}</h2><p>${t(
          `${v.waitingEffects.effects.join(', ')} を ${jstTime(new Date(v.waitingEffects.since))} から再試行しています (台帳またはメールに届きません)。復旧すると自動で実行されます。`,
          `${v.waitingEffects.effects.join(', ')} retried since ${jstTime(new Date(v.waitingEffects.since))} (the ledger or mail is unreachable); they go through by themselves once it is back.`,
        )}</p></section>`
      : ''
  }${
    v.failedEffects.length
      ? html`<section id="attention" class="msg err"><h2>${t('要対応: 実行できなかった処理があります', 'Needs attention: effects that could not be carried out')}</h2><table><tr><th>${t('日付', 'On')}</th><th>${t('処理', 'Effect')}</th><th>${t('理由', 'Reason')}</th></tr>${v.failedEffects.map(
          (f) =>
            html`<tr><td>${f.on}</td><td>${f.effect.type}${'kind' in f.effect ? ` ${String(f.effect.kind)}` : ''}${'period' in f.effect ? ` ${String(f.effect.period)}` : ''}</td><td>${f.reason}</td></tr>`,
        )}</table><p>${t('原因を解消してから再実行してください。', 'Fix the cause, then carry them out again.')}</p>${
          !closed && may(c.person.role, 'retryFailedEffects')
            ? html`<form method="post" action="/contracts/${encodeURIComponent(v.contractId)}/retry-effects" id="retry-effects">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${requestId('retry')}"><button type="submit">${t('再実行する', 'Carry them out again')}</button></form>`
            : ''
        }</section>`
      : ''
  }`;
}

export function contract(
  c: Ctx,
  d: {
    view: ContractView;
    customer: CustomerRecord | undefined;
    trail: AuditEntry[];
    payments: PaymentRecord[];
    requestId: (prefix: string) => string;
    /** Set when the server closed the workflow: the view is its last state, and it takes no command. */
    closed?: ClosedContract | null;
    /** People's display names by id (the requests' and the audit's). */
    names?: ReadonlyMap<string, string>;
  },
): { title: string; body: Html; wide: boolean } {
  const { t, person } = c;
  const v = d.view;
  const role = person.role;
  const names = d.names ?? new Map<string, string>();
  const canAct = !d.closed && (role === 'clerk' || role === 'supervisor');
  const terms = v.terms;
  const path = `/contracts/${encodeURIComponent(v.contractId)}`;
  const form: PostForm = (action, id, inner, label) =>
    html`<form method="post" action="${path}/${action}" id="${id}">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId(id)}">${inner}<button type="submit">${label}</button></form>`;
  const actions = canAct ? contractActions(c, v, { path, form, requestId: d.requestId, hasContact: !!d.customer?.contact }) : [];
  return {
    wide: true,
    title: `${t('契約', 'Contract')} ${v.contractId}`,
    body: html`${banners(c, v, d.closed, d.requestId)}<div class="work"><div class="main">${headline(t, v)}<section id="summary"><h2>${t('概要', 'Summary')}</h2>${kv(
      [
        [t('状態', 'Status'), statusLabel(t, v.status)],
        // D-26: what holds the service suspended, each ground on its own (D-25: the invoices a notice asks for).
        ...v.suspensionGrounds.map((g): [string, string] =>
          g.ground === 'nonPayment'
            ? [
                t('停止事由: 料金未払い', 'Suspended for: non-payment'),
                t(
                  `${g.periods.join('・')} 分（${g.since} 通知、未払いなら ${g.terminationDay} に解除、${articleOf(g.rule)}）`,
                  `${g.periods.join(', ')} (notice ${g.since}; terminated on ${g.terminationDay} unless paid, ${ruleInEnglish(articleOf(g.rule))})`,
                ),
              ]
            : [
                t('停止事由: 当社による利用停止', 'Suspended for: the back office'),
                t(`${g.since} から（再開で解除、${articleOf(g.rule)}）`, `since ${g.since} (lifted by resume, ${ruleInEnglish(articleOf(g.rule))})`),
              ],
        ),
        [t('申込日', 'Applied on'), v.appliedOn],
        [t('承諾日', 'Approved on'), v.approvedOn],
        [t('利用開始日', 'Start date'), v.startDate],
        [t('最低利用期間の末日', 'Minimum term end'), v.minimumTermEnd],
        [t('現在の期間の末日', 'Current term end'), v.currentTermEnd],
        [
          t('更新拒絶の通知期限', 'Renewal decline by'),
          v.noticeDeadlines.renewalDecline &&
            t(
              `${v.noticeDeadlines.renewalDecline.on} (${v.noticeDeadlines.renewalDecline.termEnd} に終了, ${v.noticeDeadlines.renewalDecline.article})`,
              `${v.noticeDeadlines.renewalDecline.on} (ends ${v.noticeDeadlines.renewalDecline.termEnd}, ${ruleInEnglish(v.noticeDeadlines.renewalDecline.article)})`,
            ),
        ],
        [
          t('解約金なしの解約通知期限', 'Cancel without a fee by'),
          v.noticeDeadlines.cancellationWithoutFee &&
            t(
              `${v.noticeDeadlines.cancellationWithoutFee.on} (${v.noticeDeadlines.cancellationWithoutFee.endDay} に終了, ${v.noticeDeadlines.cancellationWithoutFee.article})`,
              `${v.noticeDeadlines.cancellationWithoutFee.on} (ends ${v.noticeDeadlines.cancellationWithoutFee.endDay}, ${ruleInEnglish(v.noticeDeadlines.cancellationWithoutFee.article)})`,
            ),
        ],
        [t('終了日', 'End date'), v.endDate],
        [t('終了済み', 'Ended on'), v.endedOn],
        [t('未払い', 'Outstanding'), yenOf(t, v.outstanding)],
        [t('前受金', 'Credit'), yenOf(t, v.credit)],
      ],
    )}</section>
<section id="customer"><h2>${t('顧客', 'Customer')}</h2>${d.customer ? html`<p><a id="customer-page" href="/customers/${encodeURIComponent(d.customer.customerId)}">${t('顧客のページ (契約一覧、未収、入金、振込依頼人)', "The customer's page (contracts, owed, payments, payer)")}</a></p>` : ''}${
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
      [t('コンポーネント', 'Components'), terms ? componentsText(t, terms.components) : null],
      [t('メトリック上限緩和', 'Metric-cap relaxations'), terms?.metricCapRelaxations],
      [t('マネージド月額', 'Managed monthly'), yenOf(t, v.fees?.managedTotal)],
      [t('クラウド月額', 'Cloud monthly'), yenOf(t, v.fees?.cloudMonthly)],
      [t('月額固定料金', 'Fixed monthly fee'), yenOf(t, v.fees?.fixedMonthlyFee)],
    ])}</section>
${allowancesSection(c, v.allowances, canAct && may(role, 'recordIncident') && v.status !== 'pending' && v.status !== 'rejected' ? { form } : null)}
<section id="deadlines"><h2>${t('次の期限', 'Next deadlines')}</h2>${v.nextDeadlines.length ? html`<table>${v.nextDeadlines.map((s) => html`<tr data-kind="${s.kind}"><td>${s.on}</td><td>${stepLabel(t, s.kind)}</td><td>${s.period ? t(`${s.period} 分の請求`, `invoice ${s.period}`) : ''}</td></tr>`)}</table>` : html`<p>${t('なし', 'None')}</p>`}</section>
${approvalsSection(c, v, { form, canAct, names })}</div>
${actions.length ? html`<aside id="actions" class="side"><h2>${t('操作', 'Actions')}</h2>${actions}</aside>` : ''}</div>
${upcomingSection(c, v)}
${timeline(c, v, { path, payments: d.payments, trail: d.trail, names, requestId: d.requestId })}`,
  };
}
