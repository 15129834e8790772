/** The contract's words the console, the CLI and the mails share: every status, notice and four-eyes step, or the build fails. */
import type { FourEyesAction } from '../actor';
import type { ActorRole, Via } from '../roles';
import type { ContractStatus, NoticeKind } from '../types';
import type { CommandName } from '../validation';
import type { Lang, Words } from './lang';

const STATUS: Record<ContractStatus, Words> = {
  pending: { ja: '審査中', en: 'pending' },
  approved: { ja: '承諾済（利用開始前）', en: 'approved (before usage start)' },
  rejected: { ja: '不承諾', en: 'rejected' },
  active: { ja: '利用中', en: 'active' },
  suspended: { ja: '停止中', en: 'suspended' },
  ended: { ja: '終了', en: 'ended' },
};

const NOTICE: Record<NoticeKind, Words> = {
  applicationReceived: { ja: '申込受付', en: 'Application received' },
  approved: { ja: '承諾', en: 'Approved' },
  rejected: { ja: '不承諾', en: 'Rejected' },
  deemedRejected: { ja: 'みなし不承諾', en: 'Deemed rejected' },
  changeApproved: { ja: '変更の承諾', en: 'Change approved' },
  changeRejected: { ja: '変更の不承諾', en: 'Change rejected' },
  changeDeemedRejected: { ja: '変更のみなし不承諾', en: 'Change deemed rejected' },
  invoiceIssued: { ja: '請求書発行', en: 'Invoice issued' },
  paymentReceived: { ja: '入金確認', en: 'Payment received' },
  paymentOverdue: { ja: '支払期日経過のお知らせ', en: 'Payment overdue' },
  paymentReminder: { ja: '支払期日の事前のご案内', en: 'Payment reminder' },
  paymentSecondNotice: { ja: '督促', en: 'Second payment notice' },
  suspensionWarning: { ja: '利用停止の予告', en: 'Suspension warning' },
  suspended: { ja: '利用停止', en: 'Suspended' },
  resumed: { ja: '利用再開', en: 'Resumed' },
  cancellationAccepted: { ja: '解約受付', en: 'Cancellation accepted' },
  renewalDeclined: { ja: '更新拒絶', en: 'Renewal declined' },
  terminationNotice: { ja: '契約解除の通知', en: 'Termination notice' },
  terminated: { ja: '契約解除', en: 'Terminated' },
  dataDeleted: { ja: 'データ削除', en: 'Data deleted' },
  priceListChanged: { ja: '料金改定', en: 'Price list changed' },
  serviceDiscontinued: { ja: 'サービス廃止', en: 'Service discontinued' },
  maintenanceScheduled: { ja: 'メンテナンスのお知らせ', en: 'Maintenance scheduled' },
};

const FOUR_EYES: Record<FourEyesAction, Words> = {
  terminateForCause: { ja: '契約解除 (第29条1項)', en: 'Termination for cause (Art. 29-1)' },
  terminateForConvenience: { ja: '当社都合による契約終了 (第29条3項)', en: 'Termination for convenience (Art. 29-3)' },
  reversePayment: { ja: '入金の取消', en: 'Payment reversal' },
  charge: { ja: '追加請求', en: 'Charge' },
  recogniseDamages: { ja: '損害賠償の計上', en: 'Damages' },
  penalty: { ja: '違約金の計上', en: 'Penalty' },
  pay: { ja: '入金の記録 (高額)', en: 'Payment (large)' },
};

const ROLE: Record<ActorRole, Words> = {
  viewer: { ja: '閲覧者', en: 'viewer' },
  clerk: { ja: '事務担当者', en: 'clerk' },
  supervisor: { ja: '監督者', en: 'supervisor' },
  admin: { ja: '管理者', en: 'admin' },
  system: { ja: 'システム', en: 'system' },
};

const VIA: Record<Via, Words> = {
  console: { ja: '画面', en: 'console' },
  cli: { ja: 'コマンド', en: 'CLI' },
  system: { ja: '自動処理', en: 'system' },
  api: { ja: '外部連携', en: 'API' },
  bank: { ja: '銀行明細', en: 'bank' },
};

/** An audited step's outcome (the audit trail's). */
const OUTCOME: Record<'pending' | 'accepted' | 'refused' | 'failed', Words> = {
  pending: { ja: '処理中', en: 'pending' },
  accepted: { ja: '受付', en: 'accepted' },
  refused: { ja: '拒否', en: 'refused' },
  failed: { ja: '失敗', en: 'failed' },
};

/** Every contract command, and the application, as the audit trail and the banners name them. */
const COMMAND: Record<CommandName | 'apply', Words> = {
  apply: { ja: '申込', en: 'Application' },
  approve: { ja: '承諾', en: 'Approval' },
  reject: { ja: '不承諾', en: 'Rejection' },
  requestChange: { ja: '変更の申込', en: 'Change request' },
  approveChange: { ja: '変更の承諾', en: 'Change approval' },
  rejectChange: { ja: '変更の不承諾', en: 'Change rejection' },
  cancel: { ja: '解約', en: 'Cancellation' },
  declineRenewal: { ja: '更新拒絶', en: 'Renewal decline' },
  terminateForCause: { ja: '契約解除', en: 'Termination for cause' },
  terminateForConvenience: { ja: '当社都合による終了', en: 'Termination for convenience' },
  suspend: { ja: '利用停止', en: 'Suspension' },
  resume: { ja: '利用再開', en: 'Resumption' },
  pay: { ja: '入金の記録', en: 'Payment' },
  reversePayment: { ja: '入金の取消', en: 'Payment reversal' },
  reportOutage: { ja: '障害の報告', en: 'Outage report' },
  recogniseDamages: { ja: '損害賠償の計上', en: 'Damages' },
  penalty: { ja: '違約金の計上', en: 'Penalty' },
  charge: { ja: '追加請求', en: 'Charge' },
  changeContact: { ja: '連絡先の変更', en: 'Contact change' },
  closeBillingPeriod: { ja: '請求の締め', en: 'Billing period closed' },
  announcePriceList: { ja: '料金改定の告知', en: 'Price-list announcement' },
  discontinueService: { ja: 'サービス廃止の告知', en: 'Service discontinuation' },
  announceMaintenance: { ja: 'メンテナンスの告知', en: 'Maintenance announcement' },
  recordIncident: { ja: '障害対応の記録', en: 'Incident response' },
  recordOpsWork: { ja: '運用代行の記録', en: 'Ops work' },
  retryFailedEffects: { ja: '失敗した処理の再実行', en: 'Retry of failed effects' },
  requestApproval: { ja: '承認の依頼 (二者承認)', en: 'Approval request (four eyes)' },
  approveRequest: { ja: '依頼の承認 (二者承認)', en: 'Request approved (four eyes)' },
  withdrawRequest: { ja: '依頼の取下げ', en: 'Request withdrawn' },
};

/** What a refusal says cannot be done in the contract's present status. */
const DOING = {
  outageReport: { ja: '障害の報告', en: 'an outage report' },
  damages: { ja: '損害賠償の計上', en: 'recognising damages' },
  penalty: { ja: '違約金の計上', en: 'a penalty' },
  charge: { ja: '追加請求', en: 'an extra charge' },
  allowance: { ja: '障害対応・運用作業の記録', en: 'recording an incident or ops work' },
  approval: { ja: '承諾', en: 'approval' },
  rejection: { ja: '不承諾', en: 'rejection' },
  changeRequest: { ja: '変更の申込み', en: 'a change request' },
  cancellation: { ja: '解約', en: 'cancellation' },
  renewalDecline: { ja: '更新の拒絶', en: 'declining the renewal' },
  terminationForCause: { ja: '契約解除', en: 'termination for cause' },
  terminationForConvenience: { ja: '当社都合による契約終了', en: 'termination for convenience' },
  suspension: { ja: '利用停止', en: 'suspension' },
  resumption: { ja: '利用再開', en: 'resuming' },
  maintenance: { ja: 'メンテナンスの告知', en: 'a maintenance announcement' },
} as const satisfies Record<string, Words>;
export type Doing = keyof typeof DOING;

/** A status's name; an unknown one as it is. */
export const statusWords = (s: string): Words => STATUS[s as ContractStatus] ?? { ja: s, en: s };
export const statusIn = (lang: Lang, s: string): string => statusWords(s)[lang];
export const noticeWords = (kind: NoticeKind): Words => NOTICE[kind];
/** A four-eyes step's name (a provider-wide one by its command's); an unknown one as it is. */
export const fourEyesWords = (action: string): Words => FOUR_EYES[action as FourEyesAction] ?? COMMAND[action as CommandName] ?? { ja: action, en: action };

export const doingWords = (d: Doing): Words => DOING[d];

/** A role, a way in, an audit outcome, a command: its name; an unknown one as it is (the audit keeps other steps too). */
const known = (table: Record<string, Words>, key: string): Words => table[key] ?? { ja: key, en: key };
export const roleWords = (role: string): Words => known(ROLE, role);
export const viaWords = (via: string): Words => known(VIA, via);
export const outcomeWords = (outcome: string): Words => known(OUTCOME, outcome);
export const commandWords = (command: string): Words => known(COMMAND, command);

/** A payer's key changed (the customer page's banner; the audit keeps the English). */
export const PAYER_CHANGE = {
  nameAdded: (matchKey: string): Words => ({ ja: `振込依頼人名を追加しました (${matchKey})`, en: `payer name added (${matchKey})` }),
  nameKnown: (matchKey: string): Words => ({ ja: `振込依頼人名は登録済みです (${matchKey})`, en: `payer name already registered (${matchKey})` }),
  payerCodeSet: (value: string): Words => ({ ja: `振込依頼人コードを ${value} にしました`, en: `payerCode set to ${value}` }),
  payerCodeCleared: (): Words => ({ ja: '振込依頼人コードを消去しました', en: 'payerCode cleared' }),
  virtualAccountSet: (value: string): Words => ({ ja: `バーチャル口座を ${value} にしました`, en: `virtualAccount set to ${value}` }),
  virtualAccountCleared: (): Words => ({ ja: 'バーチャル口座を消去しました', en: 'virtualAccount cleared' }),
} satisfies Record<string, (...facts: never[]) => Words>;

/** For the catalogue test: every entry of each table. */
export const WORD_TABLES = { STATUS, NOTICE, FOUR_EYES, ROLE, VIA, OUTCOME, COMMAND, DOING } as const;
