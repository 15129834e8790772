/**
 * References to the terms (第N条 = Art. N, 別表 = Appendix) and to the decisions D-1…D-31 (docs/decisions.md).
 * Every invoice line, deadline and refusal carries one of these so a clerk can trace it back.
 */
export const RULE = {
  /** Art. 4 with D-17: price-list versions, announced before their effective month. */
  priceListChange: '第4条 D-17',
  serviceDiscontinuation: '第5条 D-18',
  /** Art. 5-2 ただし書き: the emergency that needs no 30 days. */
  emergencyDiscontinuation: '第5条2項 D-18',
  /** Art. 17-1-1, Art. 24-2-1: maintenance announced before it starts; fees continue. */
  maintenance: '第17条1項1号',
  /** Appendix 2 notes with D-19: incident responses and ops hours recorded beside what the plan includes. */
  allowances: '別表2 D-19',
  application: '第7条',
  approvalWindow: '第8条 D-2',
  usageStart: '第9条',
  rejectionUndisclosed: '第10条',
  contractTerm: '第11条',
  minimumTerm: '第11条1項',
  renewal: '第11条1項',
  earlyTermination: '第11条2項 D-4 D-5',
  downgradeSettlement: '第11条3項 D-6 D-5',
  contractChange: '第12条',
  changeRequest: '第12条2項 D-3',
  contactChange: '第12条3項',
  accounts: '第13条',
  noticesToLatestContact: '第12条4項',
  suspension: '第18条 D-14',
  /** D-25: a non-payment suspension is about the invoices 30 days past due on its day; paying them resumes. */
  nonPaymentSuspension: '第18条1項1号 D-14 D-25',
  /** D-26: the back office's suspension for another Art. 18 reason is a ground of its own. */
  suspensionGrounds: '第18条 D-26',
  /** D-27: a credit settles the oldest due invoice first, on the day it arises. */
  creditSettlement: '別表3§3 D-27',
  /** D-28: approved changes keep their months; a change after the end never takes effect. */
  approvedChanges: '第12条 D-3 D-28',
  damagesReduction: '第21条',
  outageCredit: '第24条 D-12',
  feesDuringSuspension: '第25条',
  penalty: '第26条',
  lateDamages: '第27条 D-13',
  /** D-31: the dunning ladder (settings): a reminder before the due day, a second notice, a warning before D-14's day. */
  paymentReminder: '別表3 D-31',
  paymentSecondNotice: '第27条 D-13 D-31',
  suspensionWarning: '第18条1項1号 D-14 D-31',
  cancellation: '第28条',
  terminationForCause: '第29条1項',
  overdueTermination: '第29条1項 D-14',
  terminationForConvenience: '第29条3項 D-7',
  dataDeletion: '第30条 D-8',
  managedFees: '別表2',
  initialFee: '別表2',
  extraCharge: '別表2',
  billingAndPayment: '別表3',
  cloudFee: '別表3',
  tax: '別表3 D-10',
  invoiceCycle: '別表3 D-11',
  /** The due day: the last day of the next month, moved back to a bank business day. */
  dueDay: '別表3 D-11 D-20',
  paymentOrder: '別表3§3 D-11',
  /** 別表3 §5: money paid beyond what is owed is held as an advance payment, without interest. */
  advancePayment: '別表3§5',
  /** Art. 24-1: the costs of paying (the bank's transfer fee) are the customer's. */
  transferFees: '第24条1項',
  /** D-30, D-33: whose a bank statement's line is, and when two lines are the same money. */
  bankMatching: '別表3§3 D-30 D-33',
  /** Not a rule of the terms: an operator's command (retrying effects an outside system refused). */
  operations: '運用 (operations)',
} as const;
export type RuleKey = keyof typeof RULE;

/** The terms' part of a reference, without the decisions (D-n): '第18条 D-14' → '第18条', 'D-1' → ''. */
export function articleOf(ref: string): string {
  return ref
    .split(' ')
    .filter((part) => part !== '' && !/^D-\d+$/.test(part))
    .join(' ');
}

/**
 * A reference as the English text cites it: '第27条' → 'Art. 27', '第11条2項' → 'Art. 11-2',
 * '第29条1項4号' → 'Art. 29-1-4', '別表3' → 'Appendix 3', '別表3§3' → 'Appendix 3 §3', '第8条・第9条' →
 * 'Art. 8, Art. 9'. Decisions (D-n) and anything else stay as they are.
 */
export function ruleInEnglish(ref: string): string {
  return ref
    .replace(/第(\d+)条(?:(\d+)項)?(?:(\d+)号)?/g, (_, art: string, para?: string, item?: string) => `Art. ${[art, para, item].filter(Boolean).join('-')}`)
    .replace(/別表(\d+)(?:§(\d+))?/g, (_, n: string, sec?: string) => `Appendix ${n}${sec ? ` §${sec}` : ''}`)
    .replace(/\s*・\s*/g, ', ')
    .replace('運用 (権限)', 'Operations (roles)')
    .replace('運用 (二者承認)', 'Operations (four eyes)');
}
