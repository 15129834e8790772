/**
 * The vocabulary of the contract (docs/terms.md, docs/decisions.md). Everything here is plain JSON-serialisable data, so the same
 * values travel through workflow state, activity arguments, queries and the simulator's output.
 */

/** A calendar date in Japan time, `YYYY-MM-DD` (docs/terms.md: every date of the terms is a JST calendar date). */
export type IsoDate = string;
/** A calendar month, `YYYY-MM` (billing period, Appendix 3 §1). */
export type YearMonth = string;
/** Whole yen. Arithmetic happens in decimal.js inside the domain; only integers cross its edges. */
export type Yen = number;

export const PLAN_IDS = ['entry', 'standard', 'advanced', 'premium'] as const;
export type PlanId = (typeof PLAN_IDS)[number];
export const OS_KINDS = ['linux', 'windows'] as const;
export type Os = (typeof OS_KINDS)[number];

/** One component = one VM (Appendix 2 note). */
export interface Component {
  os: Os;
}

/** What the customer takes: the terms that set the monthly fees. */
export interface ServiceTerms {
  plan: PlanId;
  components: Component[];
  /** Components whose metric cap is relaxed (Appendix 2 note: 2,000 yen each per month). */
  metricCapRelaxations: number;
  /** Neutrix Cloud resource fee, fixed per contract (Appendix 2). */
  cloudMonthlyFee: Yen;
}

/** Invoice line kinds — exact spellings of the scenario format (docs/simulator.md). */
export const LINE_KINDS = [
  'initialFee',
  'componentAddition',
  'managedMonthly',
  'metricCapOption',
  'cloudMonthly',
  'earlyTermination',
  'downgradeSettlement',
  'lateDamages',
  'outageCredit',
  'damagesReduction',
  'evadedCharge',
  'penaltySurcharge',
  'convenienceCompensation',
  'extraCharge',
] as const;
export type LineKind = (typeof LINE_KINDS)[number];

export interface InvoiceLine {
  kind: LineKind;
  /** Negative for credits and reductions. */
  amount: Yen;
  taxable: boolean;
  /** The article or decision applied, e.g. `別表2`, `第11条2項 D-4`. */
  rule: string;
  /** A short human text for the invoice document (Japanese, English in brackets where useful). */
  description: string;
  /** D-17: the price-list version a line priced from Appendix 2 used (e.g. `PL-2025-04`). */
  priceList?: string;
}

/**
 * A fee the invoice does not charge, said on the document so the customer knows why it is absent. Only the
 * first month's cloud fee is waived by the terms (Appendix 3 §1); its amount is the fee not charged.
 */
export interface InvoiceNote {
  kind: 'cloudFeeWaived';
  amount: Yen;
  /** The usage start S (Art. 9) that makes it so. */
  startDate: IsoDate;
  rule: string;
}

export interface Invoice {
  period: YearMonth;
  issuedOn: IsoDate;
  dueOn: IsoDate;
  lines: InvoiceLine[];
  taxableSubtotal: Yen;
  /** D-10: once per invoice on the taxable subtotal, fractions rounded down. */
  tax: Yen;
  nonTaxableSubtotal: Yen;
  total: Yen;
}

/** Customer notice kinds — exact spellings of the scenario format (docs/simulator.md). */
export const NOTICE_KINDS = [
  'applicationReceived',
  'approved',
  'rejected',
  'deemedRejected',
  'changeApproved',
  'changeRejected',
  'changeDeemedRejected',
  'invoiceIssued',
  'paymentReceived',
  'paymentOverdue',
  // D-31: the dunning ladder's notices (settings; never in the simulator's outcome).
  'paymentReminder',
  'paymentSecondNotice',
  'suspensionWarning',
  'suspended',
  'resumed',
  'cancellationAccepted',
  'renewalDeclined',
  'terminationNotice',
  'terminated',
  'dataDeleted',
  'priceListChanged',
  'serviceDiscontinued',
  'maintenanceScheduled',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** `approved`: accepted, waiting for its usage start day S, when the contract is established (Art. 9, D-34). */
export const CONTRACT_STATUSES = ['pending', 'approved', 'rejected', 'active', 'suspended', 'ended'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** Who declines a renewal (Art. 11-1: either party). */
export type Party = 'customer' | 'provider';

/** An answer the domain gives to "may this be done on that day?": yes, or no with the rule and what would be accepted. */

/** The facts a notice states. Only what applies to the notice kind is set. Never a rejection reason (Art. 10). */
export interface NoticeFacts {
  article?: string;
  appliedOn?: IsoDate;
  startDate?: IsoDate;
  minimumTermEnd?: IsoDate;
  endDate?: IsoDate;
  effectiveMonth?: YearMonth;
  period?: YearMonth;
  invoiceTotal?: Yen;
  dueOn?: IsoDate;
  amount?: Yen;
  outstanding?: Yen;
  earlyTerminationFee?: Yen;
  compensation?: Yen;
  payBy?: IsoDate;
  terminationDay?: IsoDate;
  /** D-14, D-31: the day an unpaid invoice suspends the service; the ledger's number of the invoice. */
  suspensionDay?: IsoDate;
  invoiceNumber?: string;
  /** D-17: the price-list version announced. */
  priceListId?: string;
  /** Art. 17-1-1: a maintenance window (instants, ISO 8601 with offset). */
  from?: string;
  to?: string;
  /** Art. 5-2: a discontinuation declared an emergency; D-18: the day it was posted. */
  emergency?: boolean;
  postedOn?: IsoDate;
  /** D-25: the invoices a non-payment notice asks for (its number once issued). */
  invoices?: Array<{ period: YearMonth; invoiceNumber: string | null; dueOn: IsoDate; outstanding: Yen }>;
  /** D-26: the service was already suspended on another ground when the notice was given. */
  alreadySuspended?: boolean;
  /** D-28: approved changes for months after the end, which will not take effect (their months). */
  droppedChanges?: YearMonth[];
}

/** The customer's contact (Art. 12-3): personal data, kept in the ledger only — never in Temporal. */
export interface Contact {
  name: string;
  email: string;
  contactPerson?: string;
  address?: string;
  phone?: string;
}
