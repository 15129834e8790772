/**
 * D-31: the dunning ladder's notices — a reminder before the due day, a second notice (督促) and a warning
 * before D-14's suspension day. Each states the invoice, its due day and what is still owed; the two after
 * the due day also the suspension day and the last day to pay before it.
 */
import { enDate, enMonth, enYen, jaDate, jaMonth, yenText } from './format';
import { type F, type Template, artJa, artEn, LATE, YEAR, outstandingJa, outstandingEn } from './template-kit';

const invoiceJa = (f: F) => `${jaMonth(f.period!)}分のご請求（${f.invoiceNumber ? `請求書番号 ${f.invoiceNumber}、` : ''}お支払期限 ${jaDate(f.dueOn!)}）`;
const invoiceEn = (f: F) => `your invoice for ${enMonth(f.period!)}${f.invoiceNumber ? ` (invoice ${f.invoiceNumber})` : ''}, due ${enDate(f.dueOn!)}`;
const lateJa = () => `お支払期限の翌日からお支払いの前日まで、年${LATE}（${YEAR}日の日割り）の遅延損害金をお支払いいただきます（${artJa('lateDamages')}）。`;
const lateEn = () =>
  `Late-payment damages of ${LATE} a year (${YEAR}-day basis) accrue from the day after the due date to the day before payment (${artEn('lateDamages')}).`;
const suspensionJa = (f: F) =>
  `${jaDate(f.payBy!)}までに全額のお支払いを確認できない場合、${jaDate(f.suspensionDay!)}から本サービスの利用を停止します（${artJa('nonPaymentSuspension')}）。`;
const suspensionEn = (f: F) =>
  `Unless the full amount is received by ${enDate(f.payBy!)}, the service will be suspended from ${enDate(f.suspensionDay!)} (${artEn('nonPaymentSuspension')}).`;
const CROSSED_JA = '本状と行き違いにお支払いいただいた場合は、ご容赦ください。';
const CROSSED_EN = 'If your payment has crossed with this notice, please disregard it.';
const AFTER_DUE = ['period', 'dueOn', 'outstanding', 'suspensionDay', 'payBy'] as const;

export const DUNNING_TEMPLATES: Record<'paymentReminder' | 'paymentSecondNotice' | 'suspensionWarning', Template> = {
  paymentReminder: {
    required: ['period', 'dueOn', 'outstanding'],
    article: artJa('billingAndPayment'),
    subject: ({ f }) => ({
      ja: `お支払期限のご案内（${jaMonth(f.period!)}分 ${yenText(f.outstanding!)}、お支払期限 ${jaDate(f.dueOn!)}）`,
      en: `Payment reminder for ${enMonth(f.period!)}: ${enYen(f.outstanding!)} due ${enDate(f.dueOn!)}`,
    }),
    ja: ({ f }) => [
      `${invoiceJa(f)}のお支払期限が近づいております。お支払期限までにお支払いください。`,
      outstandingJa(f.outstanding!),
      `お支払期限を過ぎた場合、${lateJa()}`,
      CROSSED_JA,
    ],
    en: ({ f }) => [
      `This is a reminder that ${invoiceEn(f)}, is due soon. Please pay by the due date.`,
      outstandingEn(f.outstanding!),
      `After the due date, late-payment damages of ${LATE} a year (${YEAR}-day basis) accrue from the day after the due date to the day before payment (${artEn('lateDamages')}).`,
      CROSSED_EN,
    ],
  },
  paymentSecondNotice: {
    required: [...AFTER_DUE],
    article: artJa('lateDamages'),
    subject: ({ f }) => ({
      ja: `督促状（${jaMonth(f.period!)}分 ${yenText(f.outstanding!)} 未入金）`,
      en: `Second notice: ${enYen(f.outstanding!)} overdue for ${enMonth(f.period!)}`,
    }),
    ja: ({ f }) => [
      `${invoiceJa(f)}について、先にお支払いのお願いをお送りしましたが、${jaDate(f.on)}現在、${yenText(f.outstanding!)} のご入金を確認できておりません。至急お支払いください。`,
      lateJa(),
      suspensionJa(f),
      CROSSED_JA,
    ],
    en: ({ f }) => [
      `We wrote to you when ${invoiceEn(f)}, became overdue; as of ${enDate(f.on)} we still have not received ${enYen(f.outstanding!)}. Please pay without delay.`,
      lateEn(),
      suspensionEn(f),
      CROSSED_EN,
    ],
  },
  suspensionWarning: {
    required: [...AFTER_DUE],
    article: artJa('nonPaymentSuspension'),
    subject: ({ f }) => ({
      ja: `ご利用停止の予告（${jaDate(f.suspensionDay!)}から、${jaMonth(f.period!)}分 ${yenText(f.outstanding!)} 未入金）`,
      en: `Service suspension from ${enDate(f.suspensionDay!)} unless ${enYen(f.outstanding!)} for ${enMonth(f.period!)} is paid`,
    }),
    ja: ({ f }) => [
      `${invoiceJa(f)}について、${jaDate(f.on)}現在、${yenText(f.outstanding!)} のご入金を確認できておりません。`,
      suspensionJa(f),
      `利用停止期間中も、料金は本サービスの提供があるものとみなして算出します（${artJa('feesDuringSuspension')}）。`,
      lateJa(),
      CROSSED_JA,
    ],
    en: ({ f }) => [
      `As of ${enDate(f.on)} we have not received ${enYen(f.outstanding!)} for ${invoiceEn(f)}.`,
      suspensionEn(f),
      `Fees continue during a suspension as if the service were provided (${artEn('feesDuringSuspension')}).`,
      lateEn(),
      CROSSED_EN,
    ],
  },
};
