/**
 * One template per notice kind (NOTICE_KINDS; docs/simulator.md lists them). Each mail is Japanese first, with an English
 * rendering below; the subject and the body state the facts — days, amounts (`84,700円`) and the article.
 *
 * Art. 10 (last sentence): a rejection never carries a reason. The rejection templates read nothing but
 * the application day and the article from the facts, so no reason can reach the customer whatever the
 * caller passes.
 */
import { CATALOG } from '../../domain/catalog';
import { lastDayToPayBeforeTermination } from '../../domain/deadlines';
import { APPROVAL_WINDOW_DAYS, approvalDeadline, dataDeletionDay } from '../../domain/lifecycle';
import { LATE_DAMAGES } from '../../domain/payments';
import { RULE, articleOf, ruleInEnglish, type RuleKey } from '../../domain/rules';
import { NOTICE_KINDS, type Contact, type IsoDate, type NoticeFacts, type NoticeKind } from '../../domain/types';
import { FAILURE_TYPES, nonRetryable } from '../errors';
import { enDate, enInstant, enMonth, jaDate, jaInstant, jaMonth, percentText, yenText } from './format';
import { firstDayOf } from '../../domain/calendar';

/** What the invoiceIssued mail adds when the ledger holds the invoice (number and tax breakdown). */
export interface IssuedInvoiceFacts {
  number: string;
  taxableSubtotal: number;
  tax: number;
  nonTaxableSubtotal: number;
  /** The transfer account stated on the invoice document, and the document's file name when it is attached. */
  bankAccount?: string;
  attachment?: string;
}

/** What the workflow asks `sendNotice` for: one notice, idempotent by its id. */
export interface SendNoticeInput {
  noticeId: string;
  contractId: string;
  kind: NoticeKind;
  on: IsoDate;
  to: Contact;
  facts: NoticeFacts;
}

/** The notice as rendered: what was asked, plus the issuer and the issued invoice's figures. */
export interface NoticeContent extends SendNoticeInput {
  issuerName: string;
  invoice?: IssuedInvoiceFacts;
}

export interface RenderedNotice {
  subject: string;
  text: string;
}

type F = NoticeFacts & { on: IsoDate };
interface Ctx {
  f: F;
  article: string;
  invoice?: IssuedInvoiceFacts;
}

interface Template {
  /** The facts without which the notice would not say what it is for. */
  required: Array<keyof NoticeFacts>;
  /** The article cited when the caller names none. */
  article: string;
  subject(c: Ctx): { ja: string; en: string };
  ja(c: Ctx): string[];
  en(c: Ctx): string[];
}

/** The article(s) of RULE keys as the Japanese text cites them, without decisions: `第8条・第9条`. */
const artJa = (...keys: RuleKey[]): string => keys.map((k) => articleOf(RULE[k])).join('・');
/** The same article(s) as the English text cites them: `Art. 8, Art. 9`. */
const artEn = (...keys: RuleKey[]): string => ruleInEnglish(artJa(...keys));

/** Approved changes for months after the end never take effect (Art. 12); the end's notice says so. */
const droppedJa = (f: F) =>
  f.droppedChanges?.length ? [`契約終了日より後の${f.droppedChanges.map(jaMonth).join('・')}から適用予定だった契約変更は、適用されません（${artJa('contractChange')}）。その変更に係る費用もご請求しません。`] : [];
const droppedEn = (f: F) =>
  f.droppedChanges?.length ? [`The approved change(s) due to take effect in ${f.droppedChanges.map(enMonth).join(', ')}, after the last contract day, will not take effect (${artEn('contractChange')}); nothing is charged for them.`] : [];

/** The figures the letters state, from the rules that define them. */
const WINDOW = APPROVAL_WINDOW_DAYS;
const TAX = `${CATALOG.taxRatePercent}%`;
const LATE = percentText(LATE_DAMAGES.annualRate);
const YEAR = LATE_DAMAGES.daysPerYear;

const DELETION_JA = (end: IsoDate) =>
  `契約終了日の翌日（${jaDate(dataDeletionDay(end))}）に、お客様のデータ、アカウント及びリソースを削除します。削除したデータは復元できませんので、必要なデータは事前に保存してください（${artJa('dataDeletion')}）。`;
const DELETION_EN = (end: IsoDate) =>
  `On the day after the last contract day (${enDate(dataDeletionDay(end))}) your data, accounts and resources will be deleted; deleted data cannot be restored, so please save what you need beforehand (${artEn('dataDeletion')}).`;

const etfJa = (f: F) =>
  f.earlyTerminationFee
    ? [`最低利用期間内の終了のため、残余期間の定額利用料に相当する額 ${yenText(f.earlyTerminationFee)}（不課税）を最終のご請求に含めます（${artJa('earlyTermination')}）。`]
    : [];
const etfEn = (f: F) =>
  f.earlyTerminationFee
    ? [`As the contract ends within the minimum term, the fixed monthly fees for the remaining period, ${yenText(f.earlyTerminationFee)} (outside the scope of consumption tax), will be billed on the final invoice (${artEn('earlyTermination')}).`]
    : [];

/** The last contract day a termination states: endDate, else terminationDay, else the notice day. */
const endOf = (f: F): IsoDate => f.endDate ?? f.terminationDay ?? f.on;

const appliedJa = (f: F) => (f.appliedOn ? `${jaDate(f.appliedOn)}に受け付けた` : '');
const appliedEn = (f: F) => (f.appliedOn ? ` received on ${enDate(f.appliedOn)}` : '');

const outstandingJa = (n: number) => (n < 0 ? `お預かり残高（次回以降のご請求に充当します。利息は付きません）: ${yenText(-n)}` : `ご請求残高: ${yenText(n)}`);
const outstandingEn = (n: number) => (n < 0 ? `Credit in your favour (applied to later invoices, without interest): ${yenText(-n)}` : `Balance still due: ${yenText(n)}`);

const TEMPLATES: Record<NoticeKind, Template> = {
  applicationReceived: {
    required: [],
    article: artJa('application', 'approvalWindow'),
    subject: ({ f }) => ({ ja: `お申込み受付のお知らせ（${jaDate(f.appliedOn ?? f.on)}）`, en: `Application received (${enDate(f.appliedOn ?? f.on)})` }),
    ja: ({ f }) => {
      const a = f.appliedOn ?? f.on;
      return [
        `Neutrix Cloud のお申込みを${jaDate(a)}に受け付けました。`,
        `当社は承諾の可否を受付日から${WINDOW}日以内（${jaDate(approvalDeadline(a))}まで）にお知らせします。期限までにお知らせしない場合、お申込みは承諾しなかったものとみなされます（${artJa('approvalWindow')}）。`,
      ];
    },
    en: ({ f }) => {
      const a = f.appliedOn ?? f.on;
      return [
        `We received your application for Neutrix Cloud on ${enDate(a)}.`,
        `We will tell you within ${WINDOW} days of receipt (by ${enDate(approvalDeadline(a))}) whether we accept it. Without our answer by then, the application is deemed not accepted (${artEn('approvalWindow')}).`,
      ];
    },
  },
  approved: {
    required: ['startDate'],
    article: artJa('approvalWindow', 'usageStart'),
    subject: ({ f }) => ({ ja: `お申込み承諾のお知らせ（利用開始日 ${jaDate(f.startDate!)}）`, en: `Application approved — service starts ${enDate(f.startDate!)}` }),
    ja: ({ f }) => [
      `${appliedJa(f)}お申込みを承諾しました。`,
      `ご利用開始日: ${jaDate(f.startDate!)}（この日に利用契約が成立します。${artJa('usageStart')}）`,
      ...(f.minimumTermEnd ? [`最低利用期間: ${jaDate(f.startDate!)}から${jaDate(f.minimumTermEnd)}まで（${artJa('contractTerm')}）`] : []),
      `ご利用に必要なアカウント等は別途お知らせします（${artJa('accounts')}）。`,
    ],
    en: ({ f }) => [
      `We have approved your application${appliedEn(f)}.`,
      `Service start date: ${enDate(f.startDate!)} (the contract is established on that day, ${artEn('usageStart')}).`,
      ...(f.minimumTermEnd ? [`Minimum term: ${enDate(f.startDate!)} to ${enDate(f.minimumTermEnd)} (${artEn('contractTerm')}).`] : []),
      `The accounts for using the service will be sent to you separately (${artEn('accounts')}).`,
    ],
  },
  rejected: {
    required: [],
    article: artJa('approvalWindow', 'rejectionUndisclosed'),
    subject: () => ({ ja: 'お申込みについてのお知らせ（承諾いたしかねます）', en: 'Your application was not accepted' }),
    ja: ({ f }) => [
      `${appliedJa(f)}お申込みについて、誠に恐れ入りますが、承諾いたしかねます。`,
      `なお、その理由については開示いたしかねます（${artJa('rejectionUndisclosed')}）。`,
    ],
    en: ({ f }) => [`We regret that we cannot accept your application${appliedEn(f)}.`, `We do not disclose the grounds for this decision (${artEn('rejectionUndisclosed')}).`],
  },
  deemedRejected: {
    required: [],
    article: artJa('approvalWindow'),
    subject: () => ({ ja: 'お申込みについてのお知らせ（承諾しなかったものとみなされました）', en: 'Your application is deemed not accepted' }),
    ja: ({ f }) => [
      `${appliedJa(f)}お申込みについて、受付日から${WINDOW}日以内に承諾の通知をいたしませんでしたので、承諾しなかったものとみなされました（${artJa('approvalWindow')}）。`,
      `なお、その理由については開示いたしかねます（${artJa('rejectionUndisclosed')}）。`,
    ],
    en: ({ f }) => [
      `We did not answer your application${appliedEn(f)} within ${WINDOW} days of receipt, so it is deemed not accepted (${artEn('approvalWindow')}).`,
      `We do not disclose any grounds (${artEn('rejectionUndisclosed')}).`,
    ],
  },
  changeApproved: {
    required: ['effectiveMonth'],
    article: artJa('contractChange'),
    subject: ({ f }) => ({ ja: `契約変更承諾のお知らせ（${jaMonth(f.effectiveMonth!)}から適用）`, en: `Change approved — effective ${enMonth(f.effectiveMonth!)}` }),
    ja: ({ f }) => [
      `${appliedJa(f)}ご契約内容の変更のお申込みを承諾しました。`,
      `変更は${jaMonth(f.effectiveMonth!)}1日から適用し、同月分から変更後の料金でご請求します。`,
      ...(f.amount !== undefined ? [`変更後の定額利用料（月額・税抜）: ${yenText(f.amount)}`] : []),
    ],
    en: ({ f }) => [
      `We have approved your request to change the contract${appliedEn(f)}.`,
      `The change applies from the 1st of ${enMonth(f.effectiveMonth!)}; that month is billed at the new fees.`,
      ...(f.amount !== undefined ? [`Fixed monthly fee after the change (before tax): ${yenText(f.amount)}`] : []),
    ],
  },
  changeRejected: {
    required: [],
    article: artJa('contractChange', 'rejectionUndisclosed'),
    subject: () => ({ ja: '契約変更のお申込みについてのお知らせ（承諾いたしかねます）', en: 'Your change request was not accepted' }),
    ja: ({ f }) => [
      `${appliedJa(f)}ご契約内容の変更のお申込みについて、誠に恐れ入りますが、承諾いたしかねます。ご契約は現在の内容のまま継続します。`,
      `なお、その理由については開示いたしかねます（${artJa('rejectionUndisclosed')}）。`,
    ],
    en: ({ f }) => [
      `We regret that we cannot accept your request to change the contract${appliedEn(f)}. The contract continues unchanged.`,
      `We do not disclose the grounds for this decision (${artEn('rejectionUndisclosed')}).`,
    ],
  },
  changeDeemedRejected: {
    required: [],
    article: artJa('contractChange', 'approvalWindow'),
    subject: () => ({ ja: '契約変更のお申込みについてのお知らせ（承諾しなかったものとみなされました）', en: 'Your change request is deemed not accepted' }),
    ja: ({ f }) => [
      `${appliedJa(f)}ご契約内容の変更のお申込みについて、受付日から${WINDOW}日以内に承諾の通知をいたしませんでしたので、承諾しなかったものとみなされました（${artJa('changeRequest', 'approvalWindow')}）。ご契約は現在の内容のまま継続します。`,
    ],
    en: ({ f }) => [
      `We did not answer your change request${appliedEn(f)} within ${WINDOW} days of receipt, so it is deemed not accepted (${artEn('changeRequest', 'approvalWindow')}). The contract continues unchanged.`,
    ],
  },
  invoiceIssued: {
    required: ['period', 'invoiceTotal', 'dueOn'],
    article: artJa('billingAndPayment'),
    subject: ({ f }) => ({
      ja: `ご請求書発行のお知らせ（${jaMonth(f.period!)}分 ${yenText(f.invoiceTotal!)}、お支払期限 ${jaDate(f.dueOn!)}）`,
      en: `Invoice for ${enMonth(f.period!)}: ${yenText(f.invoiceTotal!)}, due ${enDate(f.dueOn!)}`,
    }),
    ja: ({ f, invoice }) => [
      `${jaMonth(f.period!)}分のご請求書を発行しました${invoice ? `（請求書番号 ${invoice.number}）` : ''}。`,
      `ご請求金額（税込）: ${yenText(f.invoiceTotal!)}`,
      ...(invoice
        ? [
            `　うち ${TAX}対象 ${yenText(invoice.taxableSubtotal)}、消費税（${TAX}）${yenText(invoice.tax)}${invoice.nonTaxableSubtotal !== 0 ? `、不課税 ${yenText(invoice.nonTaxableSubtotal)}` : ''}`,
          ]
        : []),
      `お支払期限: ${jaDate(f.dueOn!)}`,
      ...(invoice?.bankAccount ? [`お振込先: ${invoice.bankAccount}`] : []),
      ...(f.outstanding !== undefined && f.outstanding !== f.invoiceTotal ? [outstandingJa(f.outstanding)] : []),
      ...(invoice?.attachment ? [`明細は添付の請求書（${invoice.attachment}）をご覧ください。`] : []),
      `お支払期限を過ぎた場合、期限の翌日からお支払いの前日まで年${LATE}の遅延損害金をお支払いいただきます（${artJa('lateDamages')}）。`,
    ],
    en: ({ f, invoice }) => [
      `We have issued your invoice for ${enMonth(f.period!)}${invoice ? ` (invoice number ${invoice.number})` : ''}.`,
      `Amount due, tax included: ${yenText(f.invoiceTotal!)}`,
      ...(invoice
        ? [
            `  of which taxable at ${TAX}: ${yenText(invoice.taxableSubtotal)}, consumption tax (${TAX}): ${yenText(invoice.tax)}${invoice.nonTaxableSubtotal !== 0 ? `, non-taxable: ${yenText(invoice.nonTaxableSubtotal)}` : ''}`,
          ]
        : []),
      `Due date: ${enDate(f.dueOn!)}`,
      ...(invoice?.bankAccount ? [`Bank transfer to: ${invoice.bankAccount}`] : []),
      ...(f.outstanding !== undefined && f.outstanding !== f.invoiceTotal ? [outstandingEn(f.outstanding)] : []),
      ...(invoice?.attachment ? [`The lines are on the attached invoice (${invoice.attachment}).`] : []),
      `After the due date, late-payment damages of ${LATE} a year accrue from the day after the due date to the day before payment (${artEn('lateDamages')}).`,
    ],
  },
  paymentReceived: {
    required: ['amount'],
    article: artJa('billingAndPayment'),
    subject: ({ f }) => ({ ja: `ご入金確認のお知らせ（${yenText(f.amount!)}）`, en: `Payment received: ${yenText(f.amount!)}` }),
    ja: ({ f }) => [
      `${jaDate(f.on)}に ${yenText(f.amount!)} のご入金を確認しました。ありがとうございます。`,
      `ご入金は支払期限の古いご請求から順に充当します（${artJa('billingAndPayment')}）。`,
      ...(f.outstanding !== undefined ? [outstandingJa(f.outstanding)] : []),
    ],
    en: ({ f }) => [
      `We received your payment of ${yenText(f.amount!)} on ${enDate(f.on)}. Thank you.`,
      `Payments are applied to the invoice with the oldest due date first (${artEn('billingAndPayment')}).`,
      ...(f.outstanding !== undefined ? [outstandingEn(f.outstanding)] : []),
    ],
  },
  paymentOverdue: {
    required: [],
    article: artJa('lateDamages'),
    subject: ({ f }) => {
      const owed = f.outstanding ?? f.amount ?? f.invoiceTotal;
      return {
        ja: `お支払いのお願い（${f.period ? `${jaMonth(f.period)}分 ` : ''}${owed !== undefined ? `${yenText(owed)} ` : ''}未入金）`,
        en: `Payment overdue${f.period ? ` for ${enMonth(f.period)}` : ''}${owed !== undefined ? `: ${yenText(owed)}` : ''}`,
      };
    },
    ja: ({ f }) => {
      const owed = f.outstanding ?? f.amount ?? f.invoiceTotal;
      return [
        `${f.period ? `${jaMonth(f.period)}分の` : ''}ご請求${f.dueOn ? `（お支払期限 ${jaDate(f.dueOn)}）` : ''}について、${jaDate(f.on)}現在、${owed !== undefined ? `${yenText(owed)} の` : ''}ご入金を確認できておりません。`,
        f.payBy ? `${jaDate(f.payBy)}までにお支払いください。` : `至急お支払いください。`,
        `お支払期限の翌日からお支払いの前日まで、年${LATE}（${YEAR}日の日割り）の遅延損害金をお支払いいただきます（${artJa('lateDamages')}）。`,
        `お支払いのない状態が続く場合、本サービスの利用を停止することがあります（${artJa('suspension')}）。`,
      ];
    },
    en: ({ f }) => {
      const owed = f.outstanding ?? f.amount ?? f.invoiceTotal;
      return [
        `As of ${enDate(f.on)} we have not received ${owed !== undefined ? `${yenText(owed)} ` : 'payment '}for your invoice${f.period ? ` for ${enMonth(f.period)}` : ''}${f.dueOn ? ` (due ${enDate(f.dueOn)})` : ''}.`,
        f.payBy ? `Please pay by ${enDate(f.payBy)}.` : `Please pay as soon as possible.`,
        `Late-payment damages of ${LATE} a year (${YEAR}-day basis) accrue from the day after the due date to the day before payment (${artEn('lateDamages')}).`,
        `If the amount stays unpaid, the service may be suspended (${artEn('suspension')}).`,
      ];
    },
  },
  suspended: {
    required: [],
    article: artJa('suspension'),
    subject: ({ f }) => ({ ja: `ご利用停止のお知らせ（${jaDate(f.on)}）`, en: `Service suspended (${enDate(f.on)})` }),
    ja: ({ f }) => [
      f.alreadySuspended
        ? `本サービスはご利用停止中ですが、${jaDate(f.on)}現在、下記のご請求のお支払いがないため、料金の未払いによっても利用を停止します（${artJa('nonPaymentSuspension')}）。`
        : `${jaDate(f.on)}から本サービスの利用を停止しました（${artJa(f.invoices ? 'nonPaymentSuspension' : 'suspension')}）。`,
      ...(f.invoices ?? []).map((i) => `・${jaMonth(i.period)}分${i.invoiceNumber ? `（請求書番号 ${i.invoiceNumber}）` : ''} お支払期限 ${jaDate(i.dueOn)}、未払い ${yenText(i.outstanding)}`),
      ...(f.outstanding !== undefined ? [`未払いのご請求額: ${yenText(f.outstanding)}`] : []),
      ...(f.invoices ? [`上記のご請求の全額のご入金を確認し次第、この事由による利用停止を解除します。`] : []),
      ...(f.payBy ? [`${jaDate(f.payBy)}までにお支払いください。全額のご入金を確認し次第、利用停止を解除します。`] : []),
      ...(f.terminationDay ? [`${jaDate(lastDayToPayBeforeTermination(f.terminationDay))}までにお支払いを確認できない場合、${jaDate(f.terminationDay)}に利用契約を解除します（${artJa('terminationForCause')}）。`] : []),
      `利用停止期間中も、料金は本サービスの提供があるものとみなして算出します（${artJa('feesDuringSuspension')}）。`,
    ],
    en: ({ f }) => [
      f.alreadySuspended
        ? `The service is already suspended; as of ${enDate(f.on)} it is also suspended for non-payment of the invoices below (${artEn('nonPaymentSuspension')}).`
        : `The service is suspended from ${enDate(f.on)} (${artEn(f.invoices ? 'nonPaymentSuspension' : 'suspension')}).`,
      ...(f.invoices ?? []).map((i) => `- ${enMonth(i.period)}${i.invoiceNumber ? ` (invoice ${i.invoiceNumber})` : ''}, due ${enDate(i.dueOn)}: ${yenText(i.outstanding)} unpaid`),
      ...(f.outstanding !== undefined ? [`Unpaid amount: ${yenText(f.outstanding)}`] : []),
      ...(f.invoices ? [`This ground of suspension is lifted as soon as these invoices are paid in full.`] : []),
      ...(f.payBy ? [`Please pay by ${enDate(f.payBy)}; the suspension is lifted as soon as the full amount is received.`] : []),
      ...(f.terminationDay ? [`Unless payment is received by ${enDate(lastDayToPayBeforeTermination(f.terminationDay))}, we will terminate the contract on ${enDate(f.terminationDay)} (${artEn('terminationForCause')}).`] : []),
      `Fees continue during the suspension as if the service were provided (${artEn('feesDuringSuspension')}).`,
    ],
  },
  resumed: {
    required: [],
    article: artJa('suspension'),
    subject: ({ f }) => ({ ja: `ご利用停止解除のお知らせ（${jaDate(f.on)}）`, en: `Service resumed (${enDate(f.on)})` }),
    ja: ({ f }) => [`${jaDate(f.on)}に本サービスの利用停止を解除しました。引き続きご利用いただけます。`],
    en: ({ f }) => [`The suspension was lifted on ${enDate(f.on)}; the service is available again.`],
  },
  cancellationAccepted: {
    required: ['endDate'],
    article: artJa('cancellation'),
    subject: ({ f }) => ({ ja: `解約受付のお知らせ（契約終了日 ${jaDate(f.endDate!)}）`, en: `Cancellation accepted — the contract ends ${enDate(f.endDate!)}` }),
    ja: ({ f }) => [
      `${jaDate(f.on)}に解約のお申出を受け付けました（${artJa('cancellation')}）。`,
      `契約終了日: ${jaDate(f.endDate!)}（この日を含む月の分までご請求します）`,
      ...etfJa(f),
      ...droppedJa(f),
      DELETION_JA(f.endDate!),
    ],
    en: ({ f }) => [
      `We accepted your cancellation notice on ${enDate(f.on)} (${artEn('cancellation')}).`,
      `Last contract day: ${enDate(f.endDate!)} (billed through that month).`,
      ...etfEn(f),
      ...droppedEn(f),
      DELETION_EN(f.endDate!),
    ],
  },
  renewalDeclined: {
    required: ['endDate'],
    article: artJa('renewal'),
    subject: ({ f }) => ({ ja: `契約を更新しない旨のお知らせ（契約終了日 ${jaDate(f.endDate!)}）`, en: `No renewal — the contract ends ${enDate(f.endDate!)}` }),
    ja: ({ f }) => [
      `期間満了の1か月前までに更新しない旨の意思表示がありましたので、利用契約は更新せず、現在の期間の末日 ${jaDate(f.endDate!)} をもって終了します（${artJa('renewal')}）。`,
      ...droppedJa(f),
      DELETION_JA(f.endDate!),
    ],
    en: ({ f }) => [
      `Notice not to renew was given at least one month before the end of the current term, so the contract is not extended and ends on the last day of the current term, ${enDate(f.endDate!)} (${artEn('renewal')}).`,
      ...droppedEn(f),
      DELETION_EN(f.endDate!),
    ],
  },
  terminationNotice: {
    required: ['endDate'],
    article: artJa('terminationForConvenience'),
    // Art. 29-3 only: the discontinuation of the service (Art. 5) has its own notice, serviceDiscontinued.
    subject: ({ f }) => ({
      ja: `利用契約解除のご通知（契約終了日 ${jaDate(f.endDate!)}）`,
      en: `Notice of termination — the contract ends ${enDate(f.endDate!)}`,
    }),
    ja: ({ f, article }) => [
      `当社は、${jaDate(f.on)}付の本通知により、利用契約を${jaDate(f.endDate!)}をもって解除します（${article}）。`,
      ...(f.compensation ? [`${artJa('terminationForConvenience')}に基づき、利用料金（税抜）3か月分に相当する ${yenText(f.compensation)}（不課税）をお支払いします。最終のご請求額から差し引き、超える分はご返金します。`] : []),
      `この終了について、最低利用期間内の解約金はご請求しません。`,
      ...droppedJa(f),
      DELETION_JA(f.endDate!),
    ],
    en: ({ f, article }) => [
      `By this notice of ${enDate(f.on)} we terminate the contract with effect from the end of ${enDate(f.endDate!)} (${ruleInEnglish(article)}).`,
      ...(f.compensation ? [`Under ${artEn('terminationForConvenience')} we pay you ${yenText(f.compensation)}, three months of the fees before tax (outside the scope of consumption tax). It is set off against the final invoice; any excess is refunded to you.`] : []),
      `No early termination fee is charged for this end of the contract.`,
      ...droppedEn(f),
      DELETION_EN(f.endDate!),
    ],
  },
  terminated: {
    required: [],
    article: artJa('terminationForCause'),
    subject: ({ f }) => ({ ja: `利用契約終了のお知らせ（${jaDate(endOf(f))}）`, en: `Contract ended (${enDate(endOf(f))})` }),
    ja: ({ f, article }) => [
      `利用契約は${jaDate(endOf(f))}をもって終了${endOf(f) > f.on ? 'します' : 'しました'}（${article}）。`,
      ...etfJa(f),
      ...(f.compensation ? [`${artJa('terminationForConvenience')}に基づく解約補償金 ${yenText(f.compensation)}（不課税）は最終のご請求額から差し引き、超える分はご返金します。`] : []),
      ...(f.outstanding !== undefined ? [outstandingJa(f.outstanding)] : []),
      ...droppedJa(f),
      DELETION_JA(endOf(f)),
    ],
    en: ({ f, article }) => [
      `The contract ${endOf(f) > f.on ? 'ends' : 'ended'} on ${enDate(endOf(f))} (${ruleInEnglish(article)}).`,
      ...etfEn(f),
      ...(f.compensation ? [`The compensation under ${artEn('terminationForConvenience')}, ${yenText(f.compensation)} (outside the scope of consumption tax), is set off against the final invoice; any excess is refunded to you.`] : []),
      ...(f.outstanding !== undefined ? [outstandingEn(f.outstanding)] : []),
      ...droppedEn(f),
      DELETION_EN(endOf(f)),
    ],
  },
  dataDeleted: {
    required: [],
    article: artJa('dataDeletion'),
    subject: ({ f }) => ({ ja: `データ削除完了のお知らせ（${jaDate(f.on)}）`, en: `Your data was deleted (${enDate(f.on)})` }),
    ja: ({ f }) => [
      `利用契約${f.endDate ? `（最終利用日 ${jaDate(f.endDate)}）` : ''}の終了に伴い、${jaDate(f.on)}にお客様のデータ、アカウント及びリソースを削除しました（${artJa('dataDeletion')}）。削除したデータは復元できません。`,
      `請求書及びお支払いの記録は法令に従い保存しますが、そこからお客様のご連絡先は削除しました。`,
    ],
    en: ({ f }) => [
      `Following the end of the contract${f.endDate ? ` (last contract day ${enDate(f.endDate)})` : ''}, your data, accounts and resources were deleted on ${enDate(f.on)} (${artEn('dataDeletion')}). Deleted data cannot be restored.`,
      `Invoices and payment records are kept as the law requires, with your contact details removed from them.`,
    ],
  },
  priceListChanged: {
    required: ['effectiveMonth'],
    article: artJa('priceListChange'),
    subject: ({ f }) => ({ ja: `料金表改定のお知らせ（${jaMonth(f.effectiveMonth!)}から）`, en: `Price list revised — from ${enMonth(f.effectiveMonth!)}` }),
    ja: ({ f, article }) => [
      `料金表（${artJa('managedFees')}）を改定します${f.priceListId ? `（改定版 ${f.priceListId}）` : ''}。改定後の料金は${jaDate(firstDayOf(f.effectiveMonth!))}から、すべての利用契約に適用します（${article}）。改定後の料金表は当社ウェブサイトに掲載しています。`,
      `この改定はお客様による契約変更ではないため、契約変更精算金は発生しません。`,
    ],
    en: ({ f, article }) => [
      `We are revising the price list (${artEn('managedFees')})${f.priceListId ? `, version ${f.priceListId}` : ''}. The new prices apply to every contract from ${enDate(firstDayOf(f.effectiveMonth!))} (${ruleInEnglish(article)}); the revised list is on our website.`,
      `This revision is not a change you asked for, so no downgrade settlement arises from it.`,
    ],
  },
  serviceDiscontinued: {
    required: ['endDate'],
    article: artJa('serviceDiscontinuation'),
    subject: ({ f }) => ({ ja: `本サービス提供終了のお知らせ（${jaDate(f.endDate!)}）`, en: `The service is being discontinued (${enDate(f.endDate!)})` }),
    ja: ({ f, article }) => [
      `当社は Neutrix Cloud の提供を終了します${f.postedOn ? `（${jaDate(f.postedOn)}に当社ウェブサイトに掲載）` : ''}${f.emergency ? '。緊急やむを得ない事由によるため、通常の周知期間を置かずに終了します' : ''}（${article}）。`,
      ...(f.appliedOn
        ? [`${jaDate(f.appliedOn)}に受け付けたお申込みは、承諾いたしかねます。`]
        : [`利用契約は${jaDate(f.endDate!)}をもって終了します。この終了について解約金及び補償はありません。最終月までの料金は通常どおりご請求します。`, ...droppedJa(f), DELETION_JA(f.endDate!)]),
    ],
    en: ({ f, article }) => [
      `We are discontinuing Neutrix Cloud${f.postedOn ? ` (posted on our website on ${enDate(f.postedOn)})` : ''}${f.emergency ? ', as an emergency, without the usual notice period' : ''} (${ruleInEnglish(article)}).`,
      ...(f.appliedOn
        ? [`We cannot accept your application received on ${enDate(f.appliedOn)}.`]
        : [`Your contract ends on ${enDate(f.endDate!)}. No early termination fee is charged and no compensation is paid for this end; the fees up to the last month are billed as usual.`, ...droppedEn(f), DELETION_EN(f.endDate!)]),
    ],
  },
  maintenanceScheduled: {
    required: ['from', 'to'],
    article: artJa('maintenance'),
    subject: ({ f }) => ({ ja: `メンテナンスのお知らせ（${jaInstant(f.from!)}〜）`, en: `Scheduled maintenance (from ${enInstant(f.from!)})` }),
    ja: ({ f, article }) => [
      `次の日時にメンテナンスを実施します${f.emergency ? '（緊急）' : ''}（${article}）: ${jaInstant(f.from!)} 〜 ${jaInstant(f.to!)}`,
      `メンテナンス中も利用料金は発生し、メンテナンスによる停止は料金減額の対象となりません（第24条2項1号）。`,
    ],
    en: ({ f, article }) => [
      `We will carry out ${f.emergency ? 'emergency ' : ''}maintenance (${ruleInEnglish(article)}): ${enInstant(f.from!)} to ${enInstant(f.to!)}.`,
      `The fees continue during maintenance, and a stop for maintenance earns no outage credit (Art. 24-2-1).`,
    ],
  },
};

/** The facts each kind needs; the workflow must pass at least these. */
export const REQUIRED_FACTS: Readonly<Record<NoticeKind, ReadonlyArray<keyof NoticeFacts>>> = Object.fromEntries(
  NOTICE_KINDS.map((k) => [k, TEMPLATES[k].required]),
) as unknown as Record<NoticeKind, ReadonlyArray<keyof NoticeFacts>>;

const REJECTIONS: ReadonlySet<NoticeKind> = new Set(['rejected', 'deemedRejected', 'changeRejected', 'changeDeemedRejected']);

/** Renders the notice, or throws a non-retryable BadNoticeData failure naming what is missing. */
export function renderNotice(n: NoticeContent): RenderedNotice {
  const template = (TEMPLATES as Partial<Record<string, Template>>)[n.kind];
  if (!template) throw nonRetryable(FAILURE_TYPES.badNoticeData, `unknown notice kind "${String(n.kind)}"; expected one of ${NOTICE_KINDS.join(', ')}`);
  const missing = template.required.filter((k) => n.facts[k] === undefined || n.facts[k] === null);
  if (missing.length > 0) {
    throw nonRetryable(FAILURE_TYPES.badNoticeData, `a ${n.kind} notice states ${missing.join(', ')}; missing from the facts of notice ${n.noticeId}`);
  }
  // Art. 10: a rejection reads only the application day and the article, nothing else the caller passed.
  const facts: F = REJECTIONS.has(n.kind)
    ? { on: n.on, ...(n.facts.appliedOn ? { appliedOn: n.facts.appliedOn } : {}) }
    : { ...n.facts, on: n.on };
  const article = n.facts.article?.trim() || template.article;
  const ctx: Ctx = { f: facts, article, ...(n.kind === 'invoiceIssued' && n.invoice ? { invoice: n.invoice } : {}) };
  const subject = template.subject(ctx);
  const ja = template.ja(ctx);
  const en = template.en(ctx);

  const text = [
    `${n.to.name} 様`,
    '',
    ...ja,
    '',
    `根拠: Neutrix Cloud 契約約款 ${article}`,
    `ご契約番号: ${n.contractId}`,
    `通知日: ${jaDate(n.on)}`,
    `通知番号: ${n.noticeId}`,
    '',
    `${n.issuerName}`,
    'Neutrix Cloud サポート窓口',
    '※本メールは送信専用です。',
    '',
    '---------------------------------------------------------------- English',
    '',
    `Dear ${n.to.name},`,
    '',
    ...en,
    '',
    `Basis: Neutrix Cloud terms of contract, ${ruleInEnglish(article)}`,
    `Contract: ${n.contractId}`,
    `Notice date: ${enDate(n.on)}`,
    `Notice reference: ${n.noticeId}`,
    '',
    `${n.issuerName}`,
    'Neutrix Cloud support',
    'This is a send-only address.',
    '',
  ].join('\n');
  return { subject: `【Neutrix Cloud】${subject.ja} / ${subject.en}`, text };
}

