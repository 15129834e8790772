/**
 * The contract's page — its state, customer, terms, allowances, deadlines, four-eyes requests, the actions
 * the person's role may ask, invoices, payments, notices and audit trail — and the cancellation quote.
 */
import type { ClosedContract } from '../../backoffice/closed-contracts';
import type { AuditEntry, CustomerRecord, PaymentRecord } from '../../backoffice/ledger-records';
import { jstTime, yen } from '../../cli/format';
import type { CancellationQuote, ContractView } from '../../domain/contract';
import { articleOf, ruleInEnglish } from '../../domain/rules';
import { allowancesSection } from '../allowances-view';
import { closedBanner } from './closed';
import { csrfField, html, type Html } from '../html';
import { kv, may, statusLabel, type Ctx } from './common';

/** The audit rows the contract page shows (the newest); its CSV has every one. */
export const CONTRACT_PAGE_AUDIT_ROWS = 200;

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
  },
): { title: string; body: Html } {
  const { t, person } = c;
  const v = d.view;
  const role = person.role;
  const canAct = !d.closed && (role === 'clerk' || role === 'supervisor');
  const terms = v.terms;
  const path = `/contracts/${encodeURIComponent(v.contractId)}`;
  const form = (action: string, id: string, inner: Html, label: string) =>
    html`<form method="post" action="${path}/${action}" id="${id}">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId(id)}">${inner}<button type="submit">${label}</button></form>`;
  const live = v.status === 'active' || v.status === 'suspended';
  const actions: Html[] = [];
  if (canAct && may(role, 'pay') && v.status !== 'pending' && v.status !== 'rejected')
    actions.push(
      html`<h3>${t('入金の記録', 'Record a payment')}</h3>${form('pay', 'pay', html`<label>${t('金額 (84,700 / ８４，７００ / 84,700円)', 'Amount (84,700 / ８４，７００ / 84,700円)')} <input name="amount" required inputmode="numeric"></label> <label>${t('入金日 (空欄: 本日)', 'Received on (empty: today)')} <input name="receivedOn" type="date"></label> <label><input type="checkbox" name="sameAmountOk" value="yes"> ${t('同額の別入金 (7日以内に同じ金額の入金あり)', 'another payment of the same amount (one came within 7 days)')}</label>`, t('入金を記録', 'Record payment'))}`,
    );
  if (canAct && may(role, 'approve') && v.status === 'pending')
    actions.push(
      html`<h3>${t('申込の承諾', 'Approve the application')}</h3>${form('approve', 'approve', html`<label>${t('利用開始日', 'Usage start date')} <input name="startDate" type="date" value="${c.today}" required></label>`, t('承諾する', 'Approve'))}`,
    );
  if (canAct && may(role, 'cancel') && live)
    actions.push(
      html`<h3>${t('解約 (見積りを確認してから確定します)', 'Cancellation (shows the quote before you confirm)')}</h3><form method="get" action="${path}/cancel" id="cancel-quote"><label>${t('終了日', 'End date')} <input name="endDate" type="date" required></label><button type="submit">${t('見積り', 'Quote')}</button></form>`,
    );
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
    body: html`${d.closed ? closedBanner(t, d.closed) : ''}${
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
            may(role, 'retryFailedEffects')
              ? html`<form method="post" action="/contracts/${encodeURIComponent(v.contractId)}/retry-effects" id="retry-effects">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId('retry')}"><button type="submit">${t('再実行する', 'Carry them out again')}</button></form>`
              : ''
          }</section>`
        : ''
    }<section id="summary"><h2>${t('概要', 'Summary')}</h2>${kv([
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
            `${v.noticeDeadlines.renewalDecline.on} (ends ${v.noticeDeadlines.renewalDecline.termEnd}, ${v.noticeDeadlines.renewalDecline.article})`,
          ),
      ],
      [
        t('解約金なしの解約通知期限', 'Cancel without a fee by'),
        v.noticeDeadlines.cancellationWithoutFee &&
          t(
            `${v.noticeDeadlines.cancellationWithoutFee.on} (${v.noticeDeadlines.cancellationWithoutFee.endDay} に終了, ${v.noticeDeadlines.cancellationWithoutFee.article})`,
            `${v.noticeDeadlines.cancellationWithoutFee.on} (ends ${v.noticeDeadlines.cancellationWithoutFee.endDay}, ${v.noticeDeadlines.cancellationWithoutFee.article})`,
          ),
      ],
      [t('終了日', 'End date'), v.endDate],
      [t('終了済み', 'Ended on'), v.endedOn],
      [t('未払い', 'Outstanding'), yen(v.outstanding)],
      [t('前受金', 'Credit'), yen(v.credit)],
    ])}</section>
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
            (p) =>
              html`<tr><td>${p.id}</td><td>${p.action} ${JSON.stringify(p.input)}</td><td>${p.reason}</td><td>${p.requestedBy.id} (${p.requestedBy.role})</td><td>${p.expiresOn}${p.lapsed ? t(' (失効)', ' (lapsed)') : ''}</td><td>${
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
            (
              inv,
            ) => html`<h3>${inv.invoiceNumber ? html`<a class="invoice-doc" href="${path}/invoices/${encodeURIComponent(inv.period)}">${inv.period} ${inv.invoiceNumber}</a> <a class="invoice-pdf" href="${path}/invoices/${encodeURIComponent(inv.period)}.pdf" download>PDF</a>` : inv.period} — ${t('発行', 'issued')} ${inv.issuedOn}, ${t('期日', 'due')} ${inv.dueOn}: ${yen(inv.total)} (${t('入金', 'paid')} ${yen(inv.paid)}, ${t('未払', 'outstanding')} ${yen(inv.outstanding)})</h3>
<table><tr><th>${t('内容', 'Line')}</th><th>${t('金額', 'Amount')}</th><th>${t('課税', 'Taxable')}</th><th>${t('根拠', 'Rule')}</th></tr>${inv.lines.map((l) => html`<tr><td>${l.description}</td><td class="n">${yen(l.amount)}</td><td>${l.taxable ? t('課税', 'taxable') : t('不課税', 'non-taxable')}</td><td>${l.rule}</td></tr>`)}
<tr><th>${t('課税小計 / 消費税 / 不課税', 'Taxable / tax / non-taxable')}</th><td class="n">${yen(inv.taxableSubtotal)} / ${yen(inv.tax)} / ${yen(inv.nonTaxableSubtotal)}</td><td></td><td>D-10</td></tr></table>`,
          )
    }</section>
<section id="payments"><h2>${t('入金', 'Payments')}</h2>${
      d.payments.length === 0
        ? html`<p>${t('なし', 'None')}</p>`
        : html`<table><tr><th>${t('入金ID', 'Payment')}</th><th>${t('日付', 'Paid on')}</th><th>${t('金額', 'Amount')}</th><th>${t('取消', 'Reversal')}</th></tr>${d.payments.map(
            (p) => {
              const requestIdOfPayment = p.paymentId.slice(v.contractId.length + 1);
              // Four eyes: a supervisor asks, with the reason; another approves it in the pending requests.
              const reverse = p.reversal
                ? html`${t('取消済み', 'reversed')} ${p.reversal.on}: ${p.reversal.reason}`
                : role === 'supervisor'
                  ? html`<form method="post" action="${path}/payments/reverse" class="reverse">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId(`reverse-${requestIdOfPayment}`)}"><input type="hidden" name="paymentRequestId" value="${requestIdOfPayment}"><input name="reason" required placeholder="${t('理由', 'reason')}"><button type="submit">${t('取消を依頼', 'Ask to reverse')}</button></form>`
                  : '';
              return html`<tr><td>${p.paymentId}</td><td>${p.paidOn}</td><td class="n">${yen(p.amount)}</td><td>${reverse}</td></tr>`;
            },
          )}</table>`
    }</section>
<section id="notices"><h2>${t('通知', 'Notices')}</h2>${v.notices.length === 0 ? html`<p>${t('なし', 'None')}</p>` : html`<table>${v.notices.map((n) => html`<tr><td>${n.on}</td><td>${n.kind}</td><td>${n.id}</td></tr>`)}</table>`}</section>
<section id="audit"><h2>${t('監査記録', 'Audit trail')}</h2><p><a id="audit-csv" href="${path}/audit.csv">${t('CSVでダウンロード', 'Download as CSV')}</a></p>${
      d.trail.length === 0
        ? html`<p>${t('なし', 'None')}</p>`
        : html`<table><tr><th>${t('日時', 'At')}</th><th>${t('実行者', 'Actor')}</th><th>${t('コマンド', 'Command')}</th><th>${t('依頼ID', 'Request')}</th><th>${t('結果', 'Outcome')}</th><th>${t('メッセージ', 'Message')}</th></tr>${d.trail.map(
            (a) =>
              html`<tr class="audit-row" data-outcome="${a.outcome}"><td>${a.at}</td><td>${a.actor.id} (${a.actor.role}, ${a.actor.via})</td><td>${a.command}</td><td>${a.requestId}</td><td>${a.outcome}</td><td>${a.message}</td></tr>`,
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
