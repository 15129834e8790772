/** What every notice template shares: the facts, the context, the articles and the sentences several kinds say. */
import { CATALOG } from '../../domain/catalog';
import { APPROVAL_WINDOW_DAYS, dataDeletionDay } from '../../domain/lifecycle';
import { LATE_DAMAGES } from '../../domain/payments';
import { RULE, articleOf, ruleInEnglish, type RuleKey } from '../../domain/rules';
import type { Contact, IsoDate, NoticeFacts, NoticeKind } from '../../domain/types';
import { enDate, enMonth, enYen, jaDate, jaMonth, percentText, yenText } from './format';

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

export type F = NoticeFacts & { on: IsoDate };
export interface Ctx {
  f: F;
  article: string;
  invoice?: IssuedInvoiceFacts;
}

export interface Template {
  /** The facts without which the notice would not say what it is for. */
  required: Array<keyof NoticeFacts>;
  /** The article cited when the caller names none. */
  article: string;
  subject(c: Ctx): { ja: string; en: string };
  ja(c: Ctx): string[];
  en(c: Ctx): string[];
}

/** The article(s) of RULE keys as the Japanese text cites them, without decisions: `第8条・第9条`. */
export const artJa = (...keys: RuleKey[]): string => keys.map((k) => articleOf(RULE[k])).join('・');
/** The same article(s) as the English text cites them: `Art. 8, Art. 9`. */
export const artEn = (...keys: RuleKey[]): string => ruleInEnglish(artJa(...keys));

/** Approved changes for months after the end never take effect (Art. 12); the end's notice says so. */
export const droppedJa = (f: F) =>
  f.droppedChanges?.length
    ? [
        `契約終了日より後の${f.droppedChanges.map(jaMonth).join('・')}から適用予定だった契約変更は、適用されません（${artJa('contractChange')}）。その変更に係る費用もご請求しません。`,
      ]
    : [];
export const droppedEn = (f: F) =>
  f.droppedChanges?.length
    ? [
        `The approved change(s) due to take effect in ${f.droppedChanges.map(enMonth).join(', ')}, after the last contract day, will not take effect (${artEn('contractChange')}); nothing is charged for them.`,
      ]
    : [];

/** The figures the letters state, from the rules that define them. */
export const WINDOW = APPROVAL_WINDOW_DAYS;
export const TAX = `${CATALOG.taxRatePercent}%`;
export const LATE = percentText(LATE_DAMAGES.annualRate);
export const YEAR = LATE_DAMAGES.daysPerYear;

export const DELETION_JA = (end: IsoDate) =>
  `契約終了日の翌日（${jaDate(dataDeletionDay(end))}）に、お客様のデータ、アカウント及びリソースを削除します。削除したデータは復元できませんので、必要なデータは事前に保存してください（${artJa('dataDeletion')}）。`;
export const DELETION_EN = (end: IsoDate) =>
  `On the day after the last contract day (${enDate(dataDeletionDay(end))}) your data, accounts and resources will be deleted; deleted data cannot be restored, so please save what you need beforehand (${artEn('dataDeletion')}).`;

export const etfJa = (f: F) =>
  f.earlyTerminationFee
    ? [
        `最低利用期間内の終了のため、残余期間の定額利用料に相当する額 ${yenText(f.earlyTerminationFee)}（不課税）を最終のご請求に含めます（${artJa('earlyTermination')}）。`,
      ]
    : [];
export const etfEn = (f: F) =>
  f.earlyTerminationFee
    ? [
        `As the contract ends within the minimum term, the fixed monthly fees for the remaining period, ${enYen(f.earlyTerminationFee)} (outside the scope of consumption tax), will be billed on the final invoice (${artEn('earlyTermination')}).`,
      ]
    : [];

/** The last contract day a termination states: endDate, else terminationDay, else the notice day. */
export const endOf = (f: F): IsoDate => f.endDate ?? f.terminationDay ?? f.on;

export const appliedJa = (f: F) => (f.appliedOn ? `${jaDate(f.appliedOn)}に受け付けた` : '');
export const appliedEn = (f: F) => (f.appliedOn ? ` received on ${enDate(f.appliedOn)}` : '');

export const outstandingJa = (n: number) =>
  n < 0 ? `お預かり残高（次回以降のご請求に充当します。利息は付きません）: ${yenText(-n)}` : `ご請求残高: ${yenText(n)}`;
export const outstandingEn = (n: number) =>
  n < 0 ? `Credit in your favour (applied to later invoices, without interest): ${enYen(-n)}` : `Balance still due: ${enYen(n)}`;
