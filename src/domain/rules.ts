/**
 * References to the terms (第N条 = Art. N, 別表 = Appendix) and to the decisions D-1…D-14 of RULES.md.
 * Every invoice line, deadline and refusal carries one of these so a clerk can trace it back.
 */
export const RULE = {
  businessDay: 'D-1',
  application: '第7条',
  approvalWindow: '第8条 D-2',
  usageStart: '第9条',
  rejectionUndisclosed: '第10条',
  minimumTerm: '第11条1項',
  renewal: '第11条1項',
  earlyTermination: '第11条2項 D-4 D-5',
  downgradeSettlement: '第11条3項 D-6 D-5',
  changeRequest: '第12条2項 D-3',
  contactChange: '第12条3項',
  suspension: '第18条 D-14',
  damagesReduction: '第21条',
  outageCredit: '第24条 D-12',
  penalty: '第26条',
  lateDamages: '第27条 D-13',
  cancellation: '第28条',
  terminationForCause: '第29条1項',
  terminationForConvenience: '第29条3項 D-7',
  dataDeletion: '第30条 D-8',
  managedFees: '別表2',
  volumeBands: '別表2 D-9',
  initialFee: '別表2',
  extraCharge: '別表2',
  cloudFee: '別表3',
  tax: '別表3 D-10',
  invoiceCycle: '別表3 D-11',
  paymentOrder: '別表3§3 D-11',
  advancePayment: '別表3§5',
  lumpSumPostpayment: '別表3§4',
  temporaryReduction: '別表3§7',
  overdueTermination: '第29条1項 D-14',
  feesDuringSuspension: '第25条',
  noticesToLatestContact: '第12条4項',
  /** Not a rule of the terms: an operator's command (retrying effects an outside system refused). */
  operations: '運用 (operations)',
} as const;
export type RuleKey = keyof typeof RULE;
