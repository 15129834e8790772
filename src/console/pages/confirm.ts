/**
 * The confirmation pages of the irreversible steps (cancel, decline renewal, terminate, reject): the
 * consequences in yen as the contract computes them (quoteCancellation, previewEnding), then one form that
 * sends the step with the request id it came with — a double submit takes effect once. Nothing is sent
 * before the button on this page.
 */
import type { CancellationQuote, EndingPreview } from '../../domain/contract';
import { csrfField, html, type Html, type T } from '../html';
import { refusalLine, refusalWords } from '../contract-words';
import { kv, ruleText, statusLabel, type Ctx, yenOf } from './common';

export interface Confirmation {
  contractId: string;
  /** The POST route under the contract that sends the step. */
  action: string;
  title: [string, string];
  preview: EndingPreview;
  requestId: string;
  /** The step's own fields, carried as they were chosen. */
  fields: Record<string, string>;
  /** The reason asked for on this page, if any: [name, label, required]. */
  reason?: [string, string, boolean];
  button: string;
  /** Rows before the computed ones (a cancellation's quote). */
  extra?: Array<[string, unknown]>;
  /** The confirm form's id (default `confirm`). */
  formId?: string;
  /** False when the step cannot go ahead (the contract or the quote refuses it). */
  possible?: boolean;
}

function consequences(t: T, p: EndingPreview): Array<[string, unknown]> {
  return [
    [t('状態', 'Status'), `${statusLabel(t, p.statusBefore)} → ${statusLabel(t, p.status)}`],
    [t('最終日', 'Last day'), p.lastDay],
    // A refused step fixes nothing: no figure rather than a misleading 0円.
    [t('早期解約金 (第11条2項)', 'Early termination fee (Art. 11-2)'), p.accepted ? html`<span id="etf">${yenOf(t, p.earlyTerminationFee)}</span>` : null],
    [
      t('補償 (第29条3項, 当社からお客様へ, 最終請求で相殺)', 'Compensation (Art. 29-3; owed to the customer, set against the last invoice)'),
      p.accepted ? html`<span id="compensation">${yenOf(t, p.compensation)}</span>` : null,
    ],
    [
      t('これから発行する請求書', 'Invoices still to be issued'),
      p.invoicesToCome.length ? p.invoicesToCome.map((i) => `${i.period}: ${yenOf(t, i.total)}`).join(', ') : t('なし', 'none'),
    ],
    [t('最終請求後の残高 (入金がない場合)', 'Owed after the last invoice (if nothing is paid)'), html`<span id="owes">${yenOf(t, p.owes)}</span>`],
  ];
}

export function confirmation(c: Ctx, k: Confirmation): { title: string; body: Html } {
  const { t } = c;
  const p = k.preview;
  const path = `/contracts/${encodeURIComponent(k.contractId)}`;
  const possible = (k.possible ?? true) && p.accepted;
  return {
    title: `${t(k.title[0], k.title[1])} ${k.contractId}`,
    body: html`<section id="quote" class="confirm">${kv([
      ...(k.extra ?? []),
      ...(p.refusal ? [[t('受け付けられません', 'Not possible'), refusalLine(t, p.refusal)] as [string, unknown]] : []),
      ...consequences(t, p),
    ])}
${
  possible
    ? html`<form method="post" action="${path}/${k.action}" id="${k.formId ?? 'confirm'}">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${k.requestId}"><input type="hidden" name="confirmed" value="yes">${Object.entries(
        k.fields,
      ).map(
        ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
      )}${k.reason ? html`<label>${k.reason[1]} <input name="${k.reason[0]}" maxlength="500"${k.reason[2] ? html` required` : ''}></label>` : ''}<button type="submit">${k.button}</button></form>`
    : html`<p class="msg err" role="alert">${t('この内容では送信できません。何も送信していません。', 'This cannot be sent as it is. Nothing was sent.')}</p>`
}
<p><a href="${path}">${t('契約へ戻る (何も送信しません)', 'Back to the contract (sends nothing)')}</a></p></section>`,
  };
}

/** Art. 28: the cancellation's quote (earliest end day, ETF) beside what the end would bring. */
export function cancelQuote(c: Ctx, contractId: string, q: CancellationQuote, preview: EndingPreview, requestId: string): { title: string; body: Html } {
  const { t } = c;
  return confirmation(c, {
    contractId,
    action: 'cancel',
    title: ['解約の見積り', 'Cancellation quote'],
    preview,
    requestId,
    fields: { endDate: q.endDay },
    button: t('この内容で解約を確定', 'Confirm the cancellation'),
    possible: q.valid,
    extra: [
      [t('希望終了日', 'Requested end day'), q.endDay],
      [t('可能か', 'Possible'), q.valid ? t('はい', 'yes') : t('いいえ', 'no')],
      [t('理由', 'Reason'), q.refusal ? t(refusalWords(q.refusal).ja, refusalWords(q.refusal).en) : q.reason],
      [t('根拠', 'Rule'), ruleText(t, q.rule)],
      [t('最短の終了日', 'Earliest end day'), q.earliestEndDay],
      [t('早期解約金 (見積り)', 'Early termination fee (quote)'), q.valid ? html`<span id="quote-etf">${yenOf(t, q.earlyTerminationFee)}</span>` : null],
      [t('最終請求月', 'Last billed month'), q.lastBilledMonth],
    ],
    formId: 'cancel-confirm',
  });
}
