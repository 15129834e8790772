/** The notices of a contract's end and of the deletion of its data (Art. 11, 28–30, D-8, D-28). */
import { ruleInEnglish } from '../../domain/rules';
import { enDate, enYen, jaDate, yenText } from './format';
import { type Template, artJa, artEn, droppedJa, droppedEn, DELETION_JA, DELETION_EN, etfJa, etfEn, endOf, outstandingJa, outstandingEn } from './template-kit';

export const ENDING_TEMPLATES: Record<'cancellationAccepted' | 'renewalDeclined' | 'terminationNotice' | 'terminated' | 'dataDeleted', Template> = {
  cancellationAccepted: {
    required: ['endDate'],
    article: artJa('cancellation'),
    subject: ({ f }) => ({
      ja: `解約受付のお知らせ（契約終了日 ${jaDate(f.endDate!)}）`,
      en: `Cancellation accepted — the contract ends ${enDate(f.endDate!)}`,
    }),
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
    subject: ({ f }) => ({
      ja: `契約を更新しない旨のお知らせ（契約終了日 ${jaDate(f.endDate!)}）`,
      en: `No renewal — the contract ends ${enDate(f.endDate!)}`,
    }),
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
      ...(f.compensation
        ? [
            `${artJa('terminationForConvenience')}に基づき、利用料金（税抜）3か月分に相当する ${yenText(f.compensation)}（不課税）をお支払いします。最終のご請求額から差し引き、超える分はご返金します。`,
          ]
        : []),
      `この終了について、最低利用期間内の解約金はご請求しません。`,
      ...droppedJa(f),
      DELETION_JA(f.endDate!),
    ],
    en: ({ f, article }) => [
      `By this notice of ${enDate(f.on)} we terminate the contract with effect from the end of ${enDate(f.endDate!)} (${ruleInEnglish(article)}).`,
      ...(f.compensation
        ? [
            `Under ${artEn('terminationForConvenience')} we pay you ${enYen(f.compensation)}, three months of the fees before tax (outside the scope of consumption tax). It is set off against the final invoice; any excess is refunded to you.`,
          ]
        : []),
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
      ...(f.compensation
        ? [`${artJa('terminationForConvenience')}に基づく解約補償金 ${yenText(f.compensation)}（不課税）は最終のご請求額から差し引き、超える分はご返金します。`]
        : []),
      ...(f.outstanding !== undefined ? [outstandingJa(f.outstanding)] : []),
      ...droppedJa(f),
      DELETION_JA(endOf(f)),
    ],
    en: ({ f, article }) => [
      `The contract ${endOf(f) > f.on ? 'ends' : 'ended'} on ${enDate(endOf(f))} (${ruleInEnglish(article)}).`,
      ...etfEn(f),
      ...(f.compensation
        ? [
            `The compensation under ${artEn('terminationForConvenience')}, ${enYen(f.compensation)} (outside the scope of consumption tax), is set off against the final invoice; any excess is refunded to you.`,
          ]
        : []),
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
};
