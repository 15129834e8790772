/**
 * Every refusal the contract can answer, in Japanese and English, as a function of its facts. The domain
 * refuses with a code and facts (src/domain/contract/refusals.ts); the English text is also kept on the
 * refusal for logs, the audit and the simulator, and each screen shows it in its reader's language.
 */
import type { Lang } from './lang';
import { commandWords, doingWords, fourEyesWords, roleWords, statusWords, type Doing } from './words';

export type Facts = Record<string, string | number>;
type Text<F> = (f: F) => string;
const m = <F extends Facts>(ja: Text<F>, en: Text<F>) => ({ ja, en });
type D = string;
/** `by` is the actor as the program writes it; `byId` lets a screen show the person's name instead. */

/** A status as the refusal names it: English keeps the program's word, Japanese the back office's. */
const st = (s: string) => statusWords(s).ja;
const act = (a: string) => fourEyesWords(a).ja;
const cmd = (c: string) => commandWords(c).ja;
const roles = (list: string) =>
  list
    .split(' or ')
    .map((r) => roleWords(r).ja)
    .join('または');
const pendingNote = (s: string) => (s === 'pending' ? ' (awaiting approval)' : '');

export const REFUSALS = {
  // The contract's status (refusals.ts requireStatus).
  notWhile: m<{ doing: Doing; status: string }>(
    (f) => `契約が「${st(f.status)}」のため、${doingWords(f.doing).ja}はできません`,
    (f) => `${doingWords(f.doing).en} is not possible while the contract is ${f.status}${pendingNote(f.status)}`,
  ),
  // Art. 24-2 outage reports.
  outageBeforeStart: m<{ startDate: D }>(
    (f) => `障害の発生が利用開始日 ${f.startDate} より前です`,
    (f) => `the outage began before the usage start ${f.startDate}`,
  ),
  outageNotOver: m<{ restoredAt: D; today: D }>(
    (f) => `復旧時刻 ${f.restoredAt} が今日 ${f.today} より後です。障害が復旧してから報告してください`,
    (f) => `the outage is restored at ${f.restoredAt}, after today ${f.today}; report it once it is over`,
  ),
  // 別表2 D-19 incidents and ops work.
  dayAfterToday: m<{ field: string; day: D; today: D }>(
    (f) => `${f.field}: ${f.day} は今日 ${f.today} より後です。実施後に記録してください`,
    (f) => `${f.field}: ${f.day} is after today ${f.today}; record it once it happened`,
  ),
  dayBeforeStart: m<{ field: string; day: D; startDate: D }>(
    (f) => `${f.field}: ${f.day} は利用開始日 ${f.startDate} より前です`,
    (f) => `${f.field}: ${f.day} is before the usage start ${f.startDate}`,
  ),
  dayAfterLastDay: m<{ field: string; day: D; lastDay: D }>(
    (f) => `${f.field}: ${f.day} は契約の最終日 ${f.lastDay} より後です`,
    (f) => `${f.field}: ${f.day} is after the last contract day ${f.lastDay}`,
  ),
  // Four eyes (D-29).
  noSuchRequest: m<{ id: string }>(
    (f) => `承認待ちの依頼 ${f.id} はありません`,
    (f) => `no request ${f.id} is waiting for approval`,
  ),
  requestLapsed: m<{ id: string; action: string; expiresOn: D; days: number }>(
    (f) => `依頼 ${f.id} (${act(f.action)}) は依頼から${f.days}日後の ${f.expiresOn} に失効しました。改めて依頼してください`,
    (f) => `request ${f.id} (${f.action}) lapsed on ${f.expiresOn}, ${f.days} days after it was asked for; ask again`,
  ),
  requestAlreadyWaiting: m<{ action: string; id: string; by: string; byId: string; expiresOn: D }>(
    (f) => `${f.by} による「${act(f.action)}」の依頼 (${f.id}) が ${f.expiresOn} まで承認待ちです`,
    (f) => `a ${f.action} request (${f.id}) by ${f.by} is already waiting until ${f.expiresOn}`,
  ),
  ownRequest: m<{ by: string; byId: string; action: string; id: string }>(
    (f) => `${f.by} が依頼した「${act(f.action)}」(${f.id}) です。別の監督者が承認してください`,
    (f) => `${f.by} asked for ${f.action} (${f.id}); a second supervisor must approve it`,
  ),
  needsSecondSupervisor: m<{ command: string }>(
    (f) => `「${cmd(f.command)}」には二者承認が必要です。理由を添えて承認を依頼し、別の監督者が承認します`,
    (f) => `${f.command} needs a second supervisor (D-29): ask for it with requestApproval (and a reason); another supervisor approves it`,
  ),
  notAllowed: m<{ by: string; byId: string; command: string; roles: string }>(
    (f) => `${f.by} には「${cmd(f.command)}」の権限がありません (${roles(f.roles)}が行います)`,
    (f) => `${f.by} may not ask for ${f.command}; it takes a ${f.roles}`,
  ),
  requestIdUsedFor: m<{ requestId: string; command: string }>(
    (f) => `リクエストID ${f.requestId} は「${cmd(f.command)}」に使用済みです`,
    (f) => `request id ${f.requestId} was already used for ${f.command}`,
  ),
  requestIdUsedOtherwise: m<{ requestId: string; command: string }>(
    (f) => `リクエストID ${f.requestId} は内容または操作者の異なる「${cmd(f.command)}」に使用済みです。新しいリクエストIDを使ってください`,
    (f) => `request id ${f.requestId} was already used for another ${f.command} (other content or another actor); use a new request id`,
  ),
  // Application, approval and changes (Art. 7–9, 12; D-2, D-3).
  approvalWindowClosed: m<{ deadline: D }>(
    (f) => `60日の承諾期間は ${f.deadline} に終了しました。この申込みは不承諾とみなされます`,
    (f) => `the 60-day window closed on ${f.deadline}; the application is deemed rejected`,
  ),
  startBeforeApproval: m<{ startDate: D; today: D }>(
    (f) => `利用開始日 ${f.startDate} が承諾日 ${f.today} より前です。${f.today} 以降を指定してください`,
    (f) => `the usage start date ${f.startDate} is before the approval day ${f.today}; name ${f.today} or later`,
  ),
  applicationAfterToday: m<{ appliedOn: D; today: D }>(
    (f) => `申込日 ${f.appliedOn} が今日 ${f.today} より後です。申込みが届いた日に記録してください`,
    (f) => `the application is dated ${f.appliedOn}, after today ${f.today}; record it on the day it arrives`,
  ),
  applicationTooOld: m<{ appliedOn: D; closedOn: D }>(
    (f) => `${f.appliedOn} の申込みは60日の承諾期間 (${f.closedOn} まで) を過ぎています。不承諾とみなすほかありません`,
    (f) => `the application of ${f.appliedOn} is older than its 60-day approval window (closed ${f.closedOn}); it could only be deemed rejected`,
  ),
  noChangeRequest: m<Record<string, never>>(
    () => '判断待ちの変更の申込みはありません',
    () => 'there is no change request awaiting a decision',
  ),
  changeWindowClosed: m<{ requestedOn: D; closedOn: D }>(
    (f) => `${f.requestedOn} の変更の申込みの60日の期間は ${f.closedOn} に終了しました。不承諾とみなされます`,
    (f) => `the 60-day window for the change requested on ${f.requestedOn} closed on ${f.closedOn}; it is deemed rejected`,
  ),
  changeAwaiting: m<{ requestedOn: D }>(
    (f) => `${f.requestedOn} の変更の申込みがまだ判断待ちです`,
    (f) => `a change requested on ${f.requestedOn} is still awaiting a decision`,
  ),
  contractEndsOn: m<{ lastDay: D }>(
    (f) => `この契約は ${f.lastDay} に終了します`,
    (f) => `the contract ends on ${f.lastDay}`,
  ),
  changeMonthBegun: m<{ earliest: string }>(
    (f) => `変更は、まだ始まっていない月の1日から適用されます。最も早いのは ${f.earliest} です`,
    (f) => `a change takes effect on the first day of a month not yet begun; the earliest is ${f.earliest}`,
  ),
  changeAfterEnd: m<{ lastDay: D; firstDay: D }>(
    (f) => `契約は ${f.firstDay} より前の ${f.lastDay} に終了します`,
    (f) => `the contract ends on ${f.lastDay}, before ${f.firstDay}`,
  ),
  // Endings (Art. 11, 28, 29).
  alreadyEnds: m<{ lastDay: D }>(
    (f) => `この契約はすでに ${f.lastDay} に終了することになっています`,
    (f) => `the contract already ends on ${f.lastDay}`,
  ),
  noticeTooLate: m<{ endDay: D; deadline: D; earliest: D }>(
    (f) =>
      `${f.endDay} に終了するには ${f.deadline} までに通知が必要でした (60日前、営業日に繰り上げ)。今日の通知で指定できる最も早い終了日は ${f.earliest} です`,
    (f) =>
      `notice for ${f.endDay} had to arrive by ${f.deadline} (60 days before, moved back to a business day); the earliest end day a notice given today can reach is ${f.earliest}`,
  ),
  endBeforeStart: m<{ endDay: D; startDate: D }>(
    (f) => `終了日 ${f.endDay} が利用開始日 ${f.startDate} より前です`,
    (f) => `the end day ${f.endDay} is before the usage start ${f.startDate}`,
  ),
  cancellationNotEarlier: m<{ fixedEnd: D }>(
    (f) => `この契約はすでに ${f.fixedEnd} に終了します。解約ではそれより前の日だけを指定できます`,
    (f) => `the contract already ends on ${f.fixedEnd}; a cancellation may only name an earlier day`,
  ),
  convenienceNoticeShort: m<{ earliest: D }>(
    (f) => `当社からの終了は30日以上前の通知が必要です。最も早い終了日は ${f.earliest} です`,
    (f) => `the provider must give at least 30 days' notice; the earliest end day is ${f.earliest}`,
  ),
  convenienceNotEarlier: m<{ fixedEnd: D }>(
    (f) => `この契約はすでに ${f.fixedEnd} に終了します。それより前の日を指定してください`,
    (f) => `the contract already ends on ${f.fixedEnd}; name an earlier day`,
  ),
  // Suspension (Art. 18, D-14, D-25, D-26).
  alreadySuspended: m<{ since: D }>(
    (f) => `${f.since} からすでに当社の判断で利用停止中です`,
    (f) => `the back office already suspended the service on ${f.since}`,
  ),
  suspendedForNonPayment: m<{ unpaid: string }>(
    (f) => `${f.unpaid} の未払いによる利用停止中です。支払われると再開します`,
    (f) => `the service is suspended for non-payment of ${f.unpaid}; it resumes once they are paid`,
  ),
  // Data and operations (D-8).
  dataDeleted: m<{ on: D }>(
    (f) => `お客様のデータは ${f.on} に削除済みです`,
    (f) => `the customer's data was deleted on ${f.on}`,
  ),
  noFailedEffect: m<Record<string, never>>(
    () => '再実行が必要な処理はありません',
    () => 'there is no failed effect to retry',
  ),
  ...moneyRefusals(),
  ...providerRefusals(),
} as const;

function moneyRefusals() {
  return {
    periodNotOver: m<{ period: string; rule: string }>(
      (f) => `${f.period} はまだ終わっていません。翌月1日の請求実行で請求します (${f.rule})`,
      (f) => `${f.period} is not over yet; the run on the 1st of the next month bills it (${f.rule})`,
    ),
    nothingOwedPending: m<Record<string, never>>(
      () => '申込みの承諾前に支払うべきものはありません',
      () => 'nothing is owed before the application is approved',
    ),
    nothingOwedRejected: m<Record<string, never>>(
      () => '申込みは不承諾となりました。支払うべきものはありません',
      () => 'the application was rejected; nothing is owed',
    ),
    paymentAfterToday: m<{ paidOn: D; today: D }>(
      (f) => `入金日 ${f.paidOn} が今日 ${f.today} より後です。入金を確認してから記録してください`,
      (f) => `a payment received on ${f.paidOn} is after today ${f.today}; record it when it has arrived`,
    ),
    paymentBeforeApproval: m<{ paidOn: D; approvedOn: D }>(
      (f) => `入金日 ${f.paidOn} が承諾日 ${f.approvedOn} より前です`,
      (f) => `a payment received on ${f.paidOn} is before the approval on ${f.approvedOn}`,
    ),
    paymentTooOld: m<{ paidOn: D; days: number }>(
      (f) => `入金日 ${f.paidOn} は${f.days}日より前です。入金明細が届いた時点で記録してください`,
      (f) => `a payment received on ${f.paidOn} is more than ${f.days} days ago; record payments as the statements arrive`,
    ),
    noSuchPayment: m<{ requestId: string }>(
      (f) => `リクエストID ${f.requestId} の入金の記録はありません`,
      (f) => `no payment recorded with request id ${f.requestId}`,
    ),
    paymentAlreadyReversed: m<{ requestId: string; on: D }>(
      (f) => `入金 ${f.requestId} は ${f.on} にすでに取り消されています`,
      (f) => `the payment ${f.requestId} was already reversed on ${f.on}`,
    ),
    damagesInFuture: m<{ occurredOn: D }>(
      (f) => `損害の発生日 ${f.occurredOn} が未来の日付です`,
      (f) => `the damage date ${f.occurredOn} is in the future`,
    ),
    damagesClaimLate: m<{ occurredOn: D; last: D }>(
      (f) => `請求は ${f.occurredOn} から30日以内 (${f.last} まで) に行う必要がありました`,
      (f) => `a claim had to be made within 30 days of ${f.occurredOn}, by ${f.last}`,
    ),
  };
}

function providerRefusals() {
  return {
    versionReused: m<{ id: string }>(
      (f) => `version.id: ${f.id} は別の内容で告知済みです。新しい版には新しいIDを付けてください`,
      (f) => `version.id: ${f.id} was already announced with other content; a new version needs a new id`,
    ),
    priceListNotTo: m<{ status: string }>(
      (f) => `「${st(f.status)}」の契約には料金表を告知しません`,
      (f) => `a price list is not announced to a contract that is ${f.status}`,
    ),
    effectiveMonthBegun: m<{ month: string; today: D }>(
      (f) => `version.effectiveMonth: ${f.month} はすでに始まっています (今日 ${f.today})。改定は適用月の1日より前に告知します`,
      (f) => `version.effectiveMonth: ${f.month} has already begun (today ${f.today}); a change is announced before the first day of its effective month`,
    ),
    versionForMonth: m<{ id: string; month: string }>(
      (f) => `version.effectiveMonth: ${f.month} には版 ${f.id} がすでに告知されています。1か月に1版です`,
      (f) => `version.effectiveMonth: version ${f.id} is already announced for ${f.month}; one version per month`,
    ),
    nothingToDiscontinue: m<{ status: string }>(
      (f) => `契約は「${st(f.status)}」です。廃止の対象がありません`,
      (f) => `the contract is ${f.status}; there is nothing to discontinue`,
    ),
    discontinuedBeforeStart: m<{ endDate: D; startDate: D }>(
      (f) => `endDate: ${f.endDate} はこの契約の利用開始日 ${f.startDate} より前です。サービス終了前にお客様と精算してください`,
      (f) => `endDate: ${f.endDate} is before this contract's usage start ${f.startDate}; settle it with the customer before the service ends`,
    ),
    postedAfterToday: m<{ postedOn: D; today: D }>(
      (f) => `postedOn: ${f.postedOn} は今日 ${f.today} より後です。ウェブサイトに掲載してから記録してください`,
      (f) => `postedOn: ${f.postedOn} is after today ${f.today}; record the posting once it is on the website`,
    ),
    endBeforePosting: m<{ endDate: D; postedOn: D }>(
      (f) => `endDate: ${f.endDate} は掲載日 ${f.postedOn} より前です。緊急の場合も掲載日以降に終了します`,
      (f) => `endDate: ${f.endDate} is before the posting on ${f.postedOn}; even in an emergency the service ends on or after the day it is posted`,
    ),
    postingTooShort: m<{ endDate: D; postedOn: D; earliest: D }>(
      (f) =>
        `endDate: ${f.endDate} は掲載日 ${f.postedOn} から30日未満です。掲載は ${f.earliest} に到達したものとみなされ、これが最も早い終了日です (緊急の場合を除く、第5条2項)`,
      (f) =>
        `endDate: ${f.endDate} is less than 30 days after the posting on ${f.postedOn}; the posting counts as delivered on ${f.earliest}, the earliest end day (unless declared an emergency, Art. 5-2)`,
    ),
    endPassed: m<{ endDate: D; today: D }>(
      (f) => `endDate: ${f.endDate} はすでに過ぎています (今日 ${f.today})。過去の日に契約を終了することはできません`,
      (f) => `endDate: ${f.endDate} has already passed (today ${f.today}); a contract cannot end on a past day`,
    ),
    windowEnded: m<{ toDay: D; today: D }>(
      (f) => `to: メンテナンスは今日 ${f.today} より前の ${f.toDay} に終わっています。告知するものがありません`,
      (f) => `to: the window ended on ${f.toDay}, before today ${f.today}; there is nothing left to announce`,
    ),
    windowAfterEnd: m<{ lastDay: D }>(
      (f) => `from: メンテナンスは契約の最終日 ${f.lastDay} より後に始まります。この契約には影響しません`,
      (f) => `from: the window starts after the contract's last day ${f.lastDay}; it does not affect this contract`,
    ),
    windowTooSoon: m<{ from: string; today: D }>(
      (f) =>
        `from: メンテナンスは ${f.from} に始まり、今日 ${f.today} より後ではありません。前日までに告知します (緊急の場合は後からの告知も可: emergency true)`,
      (f) =>
        `from: the window starts ${f.from}, not after today ${f.today}; maintenance is announced by the day before it starts (an emergency may be announced late: emergency true)`,
    ),
  };
}

export type RefusalCode = keyof typeof REFUSALS;
export type FactsOf<C extends RefusalCode> = Parameters<(typeof REFUSALS)[C]['en']>[0];

/** A refusal's text in `lang`; an unknown code (an older worker's) as null, for the caller to show its English. */
export function refusalIn(lang: Lang, code: string, facts: Facts): string | null {
  const entry = (REFUSALS as unknown as Record<string, { ja: Text<Facts>; en: Text<Facts> }>)[code];
  return entry ? entry[lang](facts) : null;
}
