/**
 * What an accepted command did, in Japanese and English, as a function of its facts. The English is the
 * command's `summary` (the audit's and the logs' words, amounts as plain numbers); a screen shows the
 * catalogue's text in its reader's language (answers.ts), with separators.
 */
import type { Lang } from './lang';
import { yenIn } from './lang';
import { fourEyesWords } from './words';
import type { Facts } from './refusals';

type Text<F> = (f: F) => string;
const m = <F extends Facts>(ja: Text<F>, en: Text<F>) => ({ ja, en });
type D = string;
const y = (n: number) => yenIn('ja', n);
const act = (a: string) => fourEyesWords(a).ja;
type None = Record<string, never>;

export const SUMMARIES = {
  approved: m<{ startDate: D; minimumTermEnd: D }>(
    (f) => `承諾しました。利用開始日 ${f.startDate}、最低利用期間の満了日 ${f.minimumTermEnd}`,
    (f) => `approved; usage starts ${f.startDate}, minimum term ends ${f.minimumTermEnd}`,
  ),
  rejected: m<None>(
    () => '申込みを不承諾としました',
    () => 'application rejected',
  ),
  changeReceived: m<{ decideBy: D; rule: string }>(
    (f) => `変更の申込みを受け付けました。${f.decideBy} までに諾否を決めてください (${f.rule})`,
    (f) => `change request received; decide by ${f.decideBy} (${f.rule})`,
  ),
  changeApproved: m<{ effectiveMonth: string; fee: number }>(
    (f) => `変更は ${f.effectiveMonth}-01 から適用されます。月額料金 ${y(f.fee)}`,
    (f) => `change takes effect ${f.effectiveMonth}-01; monthly fee ${f.fee} yen`,
  ),
  changeRejected: m<None>(
    () => '変更の申込みを不承諾としました',
    () => 'change request rejected',
  ),
  cancelled: m<{ lastDay: D }>(
    (f) => `解約を受け付けました。契約は ${f.lastDay} に終了します`,
    (f) => `cancellation accepted; the contract ends on ${f.lastDay}`,
  ),
  renewalDeclinedLate: m<{ deadline: D; termEnd: D; lastDay: D }>(
    (f) => `${f.termEnd} の1か月前 (${f.deadline}) を過ぎたため次の期間に適用されます。契約は ${f.lastDay} に終了します`,
    (f) => `declined after ${f.deadline} (one month before ${f.termEnd}): applies to the next term; the contract ends on ${f.lastDay}`,
  ),
  renewalDeclined: m<{ lastDay: D }>(
    (f) => `更新を拒絶しました。契約は ${f.lastDay} に終了します`,
    (f) => `renewal declined; the contract ends on ${f.lastDay}`,
  ),
  terminatedForCause: m<{ today: D }>(
    (f) => `${f.today} に契約を解除しました`,
    (f) => `terminated for cause on ${f.today}`,
  ),
  terminationNoticeGiven: m<{ lastDay: D }>(
    (f) => `契約終了の通知をしました。契約は ${f.lastDay} に終了します`,
    (f) => `termination notice given; the contract ends on ${f.lastDay}`,
  ),
  suspended: m<{ today: D; rule: string }>(
    (f) => `${f.today} から利用を停止しました。料金は引き続き発生します (${f.rule})`,
    (f) => `suspended from ${f.today}; fees continue (${f.rule})`,
  ),
  resumed: m<{ today: D }>(
    (f) => `${f.today} に利用を再開しました`,
    (f) => `service resumed on ${f.today}`,
  ),
  stillSuspended: m<{ unpaid: string }>(
    (f) => `当社判断による停止を解きました。${f.unpaid} の未払いによる停止は続きます`,
    (f) => `the back office's suspension is lifted; the service stays suspended for non-payment of ${f.unpaid}`,
  ),
  contactOnRecord: m<{ revision: number; rule: string }>(
    (f) => `連絡先 (版 ${f.revision}) を記録しました。以後の通知はこの連絡先に送ります (${f.rule})`,
    (f) => `contact revision ${f.revision} on record; later notices go to it (${f.rule})`,
  ),
  retrying: m<{ count: number }>(
    (f) => `${f.count}件の処理を再実行します`,
    (f) => `retrying ${f.count} effect(s)`,
  ),
  outageCredit: m<{ amount: number }>(
    (f) => `障害による減額 ${y(f.amount)} を次回の請求書に計上します`,
    (f) => `outage credit ${f.amount} yen on the next invoice`,
  ),
  noOutageCredit: m<{ rule: string }>(
    (f) => `この障害では減額の対象になりません (${f.rule})`,
    (f) => `no credit is due for this outage (${f.rule})`,
  ),
  damagesReduction: m<{ amount: number; period: string }>(
    (f) => `${f.period} 分の請求書で ${y(f.amount)} を減額します`,
    (f) => `reduction of ${f.amount} yen on the invoice for ${f.period}`,
  ),
  penalty: m<{ amount: number }>(
    (f) => `違約金 ${y(f.amount)} (税抜) を次回の請求書に計上します`,
    (f) => `penalty of ${f.amount} yen before tax on the next invoice`,
  ),
  charge: m<{ amount: number; taxable: string }>(
    (f) => `${y(f.amount)} (${f.taxable === 'taxable' ? '課税' : '不課税'}) を次回の請求書に計上します`,
    (f) => `${f.amount} yen (${f.taxable}) on the next invoice`,
  ),
  approvalAsked: m<{ action: string; expiresOn: D; rule: string }>(
    (f) => `「${act(f.action)}」は ${f.expiresOn} まで別の監督者の承認を待ちます (${f.rule})`,
    (f) => `${f.action} waits for a second supervisor's approval until ${f.expiresOn} (${f.rule})`,
  ),
  requestWithdrawn: m<{ action: string; id: string; by: string; byId: string; reason: string }>(
    (f) => `「${act(f.action)}」の依頼 ${f.id} を ${f.by} が取り下げました: ${f.reason}`,
    (f) => `the ${f.action} request ${f.id} is withdrawn by ${f.by}: ${f.reason}`,
  ),
  ...moneySummaries(),
  ...providerSummaries(),
} as const;

function moneySummaries() {
  return {
    notStarted: m<None>(
      () => '利用開始前のため請求するものはありません',
      () => 'nothing to bill: the contract has not started',
    ),
    invoiced: m<{ periods: string }>(
      (f) => `${f.periods} 分を請求しました`,
      (f) => `invoiced ${f.periods}`,
    ),
    alreadyClosed: m<{ period: string }>(
      (f) => `${f.period} まで締め済みです`,
      (f) => `already closed through ${f.period}`,
    ),
    nothingToBill: m<{ period: string }>(
      (f) => `${f.period} までに請求するものはありません`,
      (f) => `nothing to bill through ${f.period}`,
    ),
    /** Empty or zero facts: the part is left out (received today, no damages, nothing held). */
    paymentApplied: m<{ amount: number; paidOn: D; damages: number; unapplied: number }>(
      (f) =>
        `${f.paidOn ? `${f.paidOn} 受領の` : ''}入金 ${y(f.amount)} を充当しました${f.damages ? `。遅延損害金 ${y(f.damages)} を次回の請求書に計上します` : ''}${f.unapplied ? `。${y(f.unapplied)} を前受金として預かります` : ''}`,
      (f) =>
        `payment of ${f.amount} yen${f.paidOn ? ` received on ${f.paidOn}` : ''} applied${f.damages ? `; late-payment damages ${f.damages} yen on the next invoice` : ''}${f.unapplied ? `; ${f.unapplied} yen held as advance payment` : ''}`,
    ),
    paymentReversed: m<{ requestId: string; amount: number; paidOn: D; owed: number; advance: number; damagesCredited: number }>(
      (f) =>
        `入金 ${f.requestId} (${f.paidOn} 受領、${y(f.amount)}) を取り消しました。${y(f.owed)} が再び未払いになります${f.advance ? `。前受金 ${y(f.advance)} を取り下げました` : ''}${f.damagesCredited ? `。請求済みの遅延損害金 ${y(f.damagesCredited)} を減額します` : ''}`,
      (f) =>
        `payment ${f.requestId} of ${f.amount} yen (received ${f.paidOn}) reversed: ${f.owed} yen owed again${f.advance ? `, ${f.advance} yen of advance withdrawn` : ''}${f.damagesCredited ? `, ${f.damagesCredited} yen of invoiced damages credited` : ''}`,
    ),
    allowances: m<{ month: string; incidents: number; incidentsIncluded: number; opsHours: number; opsHoursIncluded: number; exceeded: number }>(
      (f) =>
        `${f.month}: 障害対応 ${f.incidents}回 (プラン内 ${f.incidentsIncluded}回)、運用作業 ${f.opsHours}時間 (プラン内 ${f.opsHoursIncluded}時間)${f.exceeded ? ' — プランの範囲を超えています。超過分を見積もり、追加請求してください' : ''}`,
      (f) =>
        `${f.month}: ${f.incidents} incident response(s) of ${f.incidentsIncluded} included, ${f.opsHours} ops hour(s) of ${f.opsHoursIncluded} included${f.exceeded ? ' — beyond the plan: quote and charge the excess' : ''}`,
    ),
  };
}

function providerSummaries() {
  return {
    priceListRepeated: m<{ id: string }>(
      (f) => `料金表 ${f.id} は告知済みです。変更はありません`,
      (f) => `price list ${f.id} was already announced; nothing changes`,
    ),
    priceListApplies: m<{ id: string; from: D }>(
      (f) => `料金表 ${f.id} を ${f.from} から適用します`,
      (f) => `price list ${f.id} applies from ${f.from}`,
    ),
    discontinuationRepeated: m<{ postedOn: D }>(
      (f) => `${f.postedOn} 掲載のサービス廃止は通知済みです。変更はありません`,
      (f) => `the discontinuation posted on ${f.postedOn} was already noticed; nothing changes`,
    ),
    discontinuedApplication: m<{ endDate: D }>(
      (f) => `サービスは ${f.endDate} に終了します。申込みは不承諾となります`,
      (f) => `the service ends on ${f.endDate}: the application is rejected`,
    ),
    discontinuedAfterEnd: m<{ endDate: D; lastDay: D }>(
      (f) => `サービスは ${f.endDate} に終了します。契約はすでに ${f.lastDay} に終了します`,
      (f) => `the service ends on ${f.endDate}; the contract already ends on ${f.lastDay}`,
    ),
    discontinued: m<{ lastDay: D }>(
      (f) => `サービスの廃止により契約は ${f.lastDay} に終了します。中途解約金はありません`,
      (f) => `the service ends: the contract ends on ${f.lastDay}, no early termination fee`,
    ),
    maintenanceRepeated: m<{ from: string; to: string }>(
      (f) => `メンテナンス ${f.from} – ${f.to} は告知済みです。変更はありません`,
      (f) => `maintenance ${f.from} – ${f.to} was already announced; nothing changes`,
    ),
    maintenanceAnnounced: m<{ from: string; to: string }>(
      (f) => `メンテナンス ${f.from} – ${f.to} を告知しました。料金は引き続き発生します`,
      (f) => `maintenance ${f.from} – ${f.to} announced; fees continue`,
    ),
  };
}

export type SummaryCode = keyof typeof SUMMARIES;
export type SummaryFactsOf<C extends SummaryCode> = Parameters<(typeof SUMMARIES)[C]['en']>[0];

/** A summary's text in `lang`; an unknown code as null. */
export function summaryIn(lang: Lang, code: string, facts: Facts): string | null {
  const entry = (SUMMARIES as unknown as Record<string, { ja: Text<Facts>; en: Text<Facts> }>)[code];
  return entry ? entry[lang](facts) : null;
}
