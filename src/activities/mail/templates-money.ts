/** The notices of invoices, payments, overdue steps and suspension (Appendix 3, Art. 18, 27, D-14, D-25, D-26). */
import { lastDayToPayBeforeTermination } from '../../domain/deadlines';
import { enDate, enMonth, enYen, jaDate, jaMonth, yenText } from './format';
import { type Template, artJa, artEn, TAX, LATE, YEAR, outstandingJa, outstandingEn } from './template-kit';

export const MONEY_TEMPLATES: Record<'invoiceIssued' | 'paymentReceived' | 'paymentOverdue' | 'suspended' | 'resumed', Template> = {
  invoiceIssued: {
    required: ['period', 'invoiceTotal', 'dueOn'],
    article: artJa('billingAndPayment'),
    subject: ({ f }) => ({
      ja: `ご請求書発行のお知らせ（${jaMonth(f.period!)}分 ${yenText(f.invoiceTotal!)}、お支払期限 ${jaDate(f.dueOn!)}）`,
      en: `Invoice for ${enMonth(f.period!)}: ${enYen(f.invoiceTotal!)}, due ${enDate(f.dueOn!)}`,
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
      `Amount due, tax included: ${enYen(f.invoiceTotal!)}`,
      ...(invoice
        ? [
            `  of which taxable at ${TAX}: ${enYen(invoice.taxableSubtotal)}, consumption tax (${TAX}): ${enYen(invoice.tax)}${invoice.nonTaxableSubtotal !== 0 ? `, non-taxable: ${enYen(invoice.nonTaxableSubtotal)}` : ''}`,
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
    subject: ({ f }) => ({ ja: `ご入金確認のお知らせ（${yenText(f.amount!)}）`, en: `Payment received: ${enYen(f.amount!)}` }),
    ja: ({ f }) => [
      `${jaDate(f.on)}に ${yenText(f.amount!)} のご入金を確認しました。ありがとうございます。`,
      `ご入金は支払期限の古いご請求から順に充当します（${artJa('billingAndPayment')}）。`,
      ...(f.outstanding !== undefined ? [outstandingJa(f.outstanding)] : []),
    ],
    en: ({ f }) => [
      `We received your payment of ${enYen(f.amount!)} on ${enDate(f.on)}. Thank you.`,
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
        en: `Payment overdue${f.period ? ` for ${enMonth(f.period)}` : ''}${owed !== undefined ? `: ${enYen(owed)}` : ''}`,
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
        `As of ${enDate(f.on)} we have not received ${owed !== undefined ? `${enYen(owed)} ` : 'payment '}for your invoice${f.period ? ` for ${enMonth(f.period)}` : ''}${f.dueOn ? ` (due ${enDate(f.dueOn)})` : ''}.`,
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
      ...(f.invoices ?? []).map(
        (i) =>
          `・${jaMonth(i.period)}分${i.invoiceNumber ? `（請求書番号 ${i.invoiceNumber}）` : ''} お支払期限 ${jaDate(i.dueOn)}、未払い ${yenText(i.outstanding)}`,
      ),
      ...(f.outstanding !== undefined ? [`未払いのご請求額: ${yenText(f.outstanding)}`] : []),
      ...(f.invoices ? [`上記のご請求の全額のご入金を確認し次第、この事由による利用停止を解除します。`] : []),
      ...(f.payBy ? [`${jaDate(f.payBy)}までにお支払いください。全額のご入金を確認し次第、利用停止を解除します。`] : []),
      ...(f.terminationDay
        ? [
            `${jaDate(lastDayToPayBeforeTermination(f.terminationDay))}までにお支払いを確認できない場合、${jaDate(f.terminationDay)}に利用契約を解除します（${artJa('terminationForCause')}）。`,
          ]
        : []),
      `利用停止期間中も、料金は本サービスの提供があるものとみなして算出します（${artJa('feesDuringSuspension')}）。`,
    ],
    en: ({ f }) => [
      f.alreadySuspended
        ? `The service is already suspended; as of ${enDate(f.on)} it is also suspended for non-payment of the invoices below (${artEn('nonPaymentSuspension')}).`
        : `The service is suspended from ${enDate(f.on)} (${artEn(f.invoices ? 'nonPaymentSuspension' : 'suspension')}).`,
      ...(f.invoices ?? []).map(
        (i) => `- ${enMonth(i.period)}${i.invoiceNumber ? ` (invoice ${i.invoiceNumber})` : ''}, due ${enDate(i.dueOn)}: ${enYen(i.outstanding)} unpaid`,
      ),
      ...(f.outstanding !== undefined ? [`Unpaid amount: ${enYen(f.outstanding)}`] : []),
      ...(f.invoices ? [`This ground of suspension is lifted as soon as these invoices are paid in full.`] : []),
      ...(f.payBy ? [`Please pay by ${enDate(f.payBy)}; the suspension is lifted as soon as the full amount is received.`] : []),
      ...(f.terminationDay
        ? [
            `Unless payment is received by ${enDate(lastDayToPayBeforeTermination(f.terminationDay))}, we will terminate the contract on ${enDate(f.terminationDay)} (${artEn('terminationForCause')}).`,
          ]
        : []),
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
};
