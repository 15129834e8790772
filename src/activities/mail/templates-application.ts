/** The notices of applications, changes and what the provider announces to every contract (Art. 4, 5, 7–12, 17). */
import { approvalDeadline } from '../../domain/lifecycle';
import { ruleInEnglish } from '../../domain/rules';
import { enDate, enInstant, enMonth, enYen, jaDate, jaInstant, jaMonth, yenText } from './format';
import { firstDayOf } from '../../domain/calendar';
import { type Template, artJa, artEn, droppedJa, droppedEn, WINDOW, DELETION_JA, DELETION_EN, appliedJa, appliedEn } from './template-kit';

export const APPLICATION_TEMPLATES: Record<
  | 'applicationReceived'
  | 'approved'
  | 'rejected'
  | 'deemedRejected'
  | 'changeApproved'
  | 'changeRejected'
  | 'changeDeemedRejected'
  | 'priceListChanged'
  | 'serviceDiscontinued'
  | 'maintenanceScheduled',
  Template
> = {
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
    subject: ({ f }) => ({
      ja: `お申込み承諾のお知らせ（利用開始日 ${jaDate(f.startDate!)}）`,
      en: `Application approved — service starts ${enDate(f.startDate!)}`,
    }),
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
    en: ({ f }) => [
      `We regret that we cannot accept your application${appliedEn(f)}.`,
      `We do not disclose the grounds for this decision (${artEn('rejectionUndisclosed')}).`,
    ],
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
    subject: ({ f }) => ({
      ja: `契約変更承諾のお知らせ（${jaMonth(f.effectiveMonth!)}から適用）`,
      en: `Change approved — effective ${enMonth(f.effectiveMonth!)}`,
    }),
    ja: ({ f }) => [
      `${appliedJa(f)}ご契約内容の変更のお申込みを承諾しました。`,
      `変更は${jaMonth(f.effectiveMonth!)}1日から適用し、同月分から変更後の料金でご請求します。`,
      ...(f.amount !== undefined ? [`変更後の定額利用料（月額・税抜）: ${yenText(f.amount)}`] : []),
    ],
    en: ({ f }) => [
      `We have approved your request to change the contract${appliedEn(f)}.`,
      `The change applies from the 1st of ${enMonth(f.effectiveMonth!)}; that month is billed at the new fees.`,
      ...(f.amount !== undefined ? [`Fixed monthly fee after the change (before tax): ${enYen(f.amount)}`] : []),
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
        : [
            `利用契約は${jaDate(f.endDate!)}をもって終了します。この終了について解約金及び補償はありません。最終月までの料金は通常どおりご請求します。`,
            ...droppedJa(f),
            DELETION_JA(f.endDate!),
          ]),
    ],
    en: ({ f, article }) => [
      `We are discontinuing Neutrix Cloud${f.postedOn ? ` (posted on our website on ${enDate(f.postedOn)})` : ''}${f.emergency ? ', as an emergency, without the usual notice period' : ''} (${ruleInEnglish(article)}).`,
      ...(f.appliedOn
        ? [`We cannot accept your application received on ${enDate(f.appliedOn)}.`]
        : [
            `Your contract ends on ${enDate(f.endDate!)}. No early termination fee is charged and no compensation is paid for this end; the fees up to the last month are billed as usual.`,
            ...droppedEn(f),
            DELETION_EN(f.endDate!),
          ]),
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
