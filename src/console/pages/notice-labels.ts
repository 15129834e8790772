/** Each customer notice as the back office names it (Japanese, English): every kind, or the build fails. */
import type { NoticeKind } from '../../domain/types';
import type { T } from '../html';

const LABELS: Record<NoticeKind, [string, string]> = {
  applicationReceived: ['申込受付', 'Application received'],
  approved: ['承諾', 'Approved'],
  rejected: ['不承諾', 'Rejected'],
  deemedRejected: ['みなし不承諾', 'Deemed rejected'],
  changeApproved: ['変更の承諾', 'Change approved'],
  changeRejected: ['変更の不承諾', 'Change rejected'],
  changeDeemedRejected: ['変更のみなし不承諾', 'Change deemed rejected'],
  invoiceIssued: ['請求書発行', 'Invoice issued'],
  paymentReceived: ['入金確認', 'Payment received'],
  paymentOverdue: ['支払期日経過のお知らせ', 'Payment overdue'],
  paymentReminder: ['支払期日の事前のご案内', 'Payment reminder'],
  paymentSecondNotice: ['督促', 'Second payment notice'],
  suspensionWarning: ['利用停止の予告', 'Suspension warning'],
  suspended: ['利用停止', 'Suspended'],
  resumed: ['利用再開', 'Resumed'],
  cancellationAccepted: ['解約受付', 'Cancellation accepted'],
  renewalDeclined: ['更新拒絶', 'Renewal declined'],
  terminationNotice: ['契約解除の通知', 'Termination notice'],
  terminated: ['契約解除', 'Terminated'],
  dataDeleted: ['データ削除', 'Data deleted'],
  priceListChanged: ['料金改定', 'Price list changed'],
  serviceDiscontinued: ['サービス廃止', 'Service discontinued'],
  maintenanceScheduled: ['メンテナンスのお知らせ', 'Maintenance scheduled'],
};

export const noticeLabel = (t: T, kind: NoticeKind): string => t(...LABELS[kind]);
