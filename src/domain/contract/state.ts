/** The contract's state as the workflow holds it and carries across continue-as-new. Plain JSON. */
import { monthOf } from '../calendar';
import type { Actor, FourEyesAction } from '../actor';
import type { ContractStatus, Invoice, InvoiceLine, IsoDate, NoticeFacts, NoticeKind, Party, ServiceTerms, YearMonth, Yen } from '../types';
import type { Application } from '../validation';
import type { PriceListChange } from '../price-lists';
import type { DunningLadder } from '../dunning';
import type { Said } from './said';

/** D-31: the ladder's notices, one of each at most per invoice. */
export type DunningKind = 'paymentReminder' | 'paymentSecondNotice' | 'suspensionWarning';

/** Art. 5, D-18: the provider's discontinuation of the whole service as this contract heard of it. */
export interface Discontinuation {
  postedOn: IsoDate;
  endDate: IsoDate;
  emergency: boolean;
  noticedOn: IsoDate;
}

/** Art. 17-1-1: a maintenance window announced to the contract (instants, ISO 8601 with offset). */
export interface MaintenanceWindow {
  from: string;
  to: string;
  emergency: boolean;
  announcedOn: IsoDate;
}

/** D-19: what was recorded in one Japan-time month; ops work in quarter hours, so no float is summed. */
export interface AllowanceRecord {
  month: YearMonth;
  incidents: number;
  opsQuarterHours: number;
}

/** An invoice as the contract tracks it: the issued figures plus what is paid of it. */
export interface InvoiceRecord extends Invoice {
  paid: Yen;
  outstanding: Yen;
  overdueNoticeSent: boolean;
  /** D-31: the ladder's steps done for this invoice: the day, and whether it was sent or its day had passed. */
  dunning?: Partial<Record<DunningKind, { on: IsoDate; sent: boolean }>>;
  /** The ledger's gap-free number, once the invoice is issued there. */
  invoiceNumber: string | null;
}

export type EndKind = 'cancellation' | 'renewalDeclined' | 'terminationForCause' | 'terminationForConvenience' | 'serviceDiscontinuation';

export interface FixedEnd {
  lastDay: IsoDate;
  kind: EndKind;
  fixedOn: IsoDate;
  by: Party;
  earlyTerminationFee: Yen;
  compensation: Yen;
}

/** D-28: a change as approved: what it names, from its month (D-3), in the order approved. */
export interface ApprovedChange {
  requestId: string;
  approvedOn: IsoDate;
  effectiveMonth: YearMonth;
  change: Partial<ServiceTerms>;
}

/** D-25: one non-payment notice (Art. 18-1-1, D-14): the day it was given and the invoices it asked for. */
export interface NonPaymentNotice {
  on: IsoDate;
  periods: YearMonth[];
}

/** D-26: what holds the service suspended; it resumes when no ground is left. */
export interface Suspension {
  /** The day the service was suspended (by the first ground; later grounds keep it so). */
  since: IsoDate;
  /** D-25: the non-payment notices still open (an invoice each names is unpaid). */
  nonPayment: NonPaymentNotice[];
  /** D-26: the back office's suspension for another Art. 18 reason, if it stands. */
  backOffice: { since: IsoDate } | null;
}

/** Four eyes: a step one supervisor asked for, waiting for a second (approvals.ts). */
export interface PendingApproval {
  /** The request id of the requestApproval that asked for it. */
  id: string;
  action: FourEyesAction;
  input: Record<string, unknown>;
  reason: string;
  requestedBy: Actor;
  requestedOn: IsoDate;
  /** The last day a second supervisor may approve it. */
  expiresOn: IsoDate;
}

/** A request no second supervisor approved by its last day: retired the day after, kept for the record. */
export interface LapsedApproval extends Omit<PendingApproval, 'input'> {
  lapsedOn: IsoDate;
}

export interface PendingChange {
  requestId: string;
  requestedOn: IsoDate;
  change: Partial<ServiceTerms>;
}

export interface ScheduledLine {
  period: YearMonth;
  line: InvoiceLine;
  /** Lines tied to the end (ETF, compensation) are recomputed when the end moves. */
  tiedToEnd: boolean;
}

/** A payment as the contract applied it: the invoices it settled (at once, or later as an advance), the damages it caused. */
export interface PaymentRecord {
  paymentId: string;
  requestId: string;
  paidOn: IsoDate;
  amount: Yen;
  settled: Array<{ period: YearMonth; amount: Yen }>;
  /** The late-damages lines its lateness put on a coming invoice (Art. 27, D-13). */
  damages: InvoiceLine[];
  reversed: { on: IsoDate; reason: string } | null;
}

/** A notice the contract has asked for (the ledger keeps the mail it became). */
export interface NoticeRecord {
  id: string;
  kind: NoticeKind;
  on: IsoDate;
}

export interface CommandResult {
  /** In English, for the audit and logs; `said` is the same for a screen to word in its language. */
  summary: string;
  said?: Said;
  [key: string]: unknown;
}

/** What a command answered; a repeated request id gets the same answer again (no second effect). */
export interface Answer {
  command: string;
  result: CommandResult;
  /** What was asked (fingerprint.ts): the same request id with other content is refused. */
  fingerprint?: string;
  /** Who asked (docs/architecture.md, one command's path). */
  actor?: Actor;
}

export interface ContractState {
  contractId: string;
  /** Who the customer is lives in the ledger (Art. 12-3); the contract knows the id only. */
  customerId: string;
  /** The ledger's revision of the contact the contract last heard of (1: as applied), and when it changed. */
  contactRevision: number;
  contactChangedOn: IsoDate | null;
  appliedOn: IsoDate;
  status: ContractStatus;
  /** The terms applied for; the terms in force in a month follow from these and `changes` (terms.ts). */
  baseTerms: ServiceTerms;
  /** D-28: every approved change still to take effect or in effect, in the order approved. */
  changes: ApprovedChange[];
  approvedOn: IsoDate | null;
  startDate: IsoDate | null;
  /** Art. 11: fixed at approval. The current (renewal) term is computed from the dates (`currentTermEnd`). */
  minimumTermEnd: IsoDate | null;
  end: FixedEnd | null;
  endedOn: IsoDate | null;
  dataDeletedOn: IsoDate | null;
  suspension: Suspension | null;
  pendingChange: PendingChange | null;
  invoices: InvoiceRecord[];
  billedThrough: YearMonth | null;
  pendingLines: InvoiceLine[];
  scheduledLines: ScheduledLine[];
  /** Advance payments and refunds not yet set against an invoice (Appendix 3 §5: no interest). */
  credit: Yen;
  /** The part of `credit` that is money paid in advance, by payment, oldest first (so the ledger can allocate it). */
  advances: Array<{ paymentId: string; remaining: Yen }>;
  /** The part of `credit` left from negative invoices, by period, oldest first (so the ledger can move it). */
  creditNotes: Array<{ period: YearMonth; remaining: Yen }>;
  notices: NoticeRecord[];
  answers: Record<string, Answer>;
  answerOrder: string[];
  /** Effects an activity refused for good (bad data): kept, shown to ops, never silently dropped. */
  failedEffects: Array<{ effect: Effect; reason: string; on: IsoDate }>;
  /**
   * When Temporal was last asked to cancel the workflow (the Web UI's "Request Cancellation"): recorded and
   * shown, never acted on — a contract ends by Art. 28 or 29, not by an operator's button.
   */
  cancellationRequestedAt: string | null;
  /** Payments received, with where each yen went, so one can be reversed (four eyes) exactly. */
  payments: PaymentRecord[];
  /** Four eyes: steps asked for by one supervisor, waiting for a second (approvals.ts). */
  pendingApprovals: PendingApproval[];
  /** D-17: the price-list versions announced to the contract, in the order announced (the first, PL-2025-04, is implicit). */
  priceLists: PriceListChange[];
  /** Four eyes: the latest requests that lapsed unapproved (approvals.ts), newest last. */
  lapsedApprovals?: LapsedApproval[];
  /** Art. 5, D-18: set once the provider's discontinuation reached the contract. */
  discontinuation: Discontinuation | null;
  /** Art. 17-1-1: maintenance windows announced to the contract. */
  maintenance: MaintenanceWindow[];
  /** D-19: incidents and ops hours recorded, one row per month, in month order. */
  allowances: AllowanceRecord[];
  /** D-31: the dunning ladder as the worker's settings last said (read by the workflow; absent: all off). */
  dunning?: DunningLadder;
}

/** Effects the workflow carries out through activities, in order, after a state change. */
export type Effect =
  | { type: 'notice'; id: string; kind: NoticeKind; on: IsoDate; facts: NoticeFacts }
  | { type: 'issueInvoice'; period: YearMonth }
  | { type: 'recordPayment'; paymentId: string; paidOn: IsoDate; amount: Yen; allocations: { period: YearMonth; amount: Yen }[] }
  /** A payment taken back (a bounced transfer, a clerk's slip): the ledger records the reversal; the payment row stays. */
  | { type: 'reversePayment'; paymentId: string; reversedOn: IsoDate; reason: string }
  | { type: 'allocateAdvance'; paymentId: string; period: YearMonth; amount: Yen }
  | { type: 'applyCredit'; fromPeriod: YearMonth; period: YearMonth; amount: Yen }
  /** Art. 30, D-8; its notice is sent by the deletion itself, before the address is erased. */
  | { type: 'deleteData'; lastContractDay: IsoDate; deletionDay: IsoDate; notice: NoticeEffect };

export type NoticeEffect = Extract<Effect, { type: 'notice' }>;

/** A contract as its application makes it: pending approval (Art. 7, 8). */
export function initialState(application: Application): ContractState {
  const a = application;
  return {
    contractId: a.contractId,
    customerId: a.customerId,
    contactRevision: 1,
    contactChangedOn: null,
    appliedOn: a.appliedOn,
    status: 'pending',
    baseTerms: a.terms,
    changes: [],
    approvedOn: null,
    startDate: null,
    minimumTermEnd: null,
    end: null,
    endedOn: null,
    dataDeletedOn: null,
    suspension: null,
    pendingChange: null,
    invoices: [],
    billedThrough: null,
    pendingLines: [],
    scheduledLines: [],
    credit: 0,
    advances: [],
    creditNotes: [],
    notices: [],
    answers: {},
    answerOrder: [],
    failedEffects: [],
    cancellationRequestedAt: null,
    payments: [],
    pendingApprovals: [],
    priceLists: [...(a.priceLists ?? [])], // D-21: the versions announced before the application
    discontinuation: null,
    maintenance: [],
    allowances: [],
  };
}

/** Done when nothing is left to do: rejected, or ended, deleted, fully billed and paid. */
export function finished(s: ContractState): boolean {
  if (s.status === 'rejected') return true;
  return (
    s.status === 'ended' &&
    s.dataDeletedOn !== null &&
    s.billedThrough !== null &&
    s.end !== null &&
    s.billedThrough >= monthOf(s.end.lastDay) &&
    s.pendingLines.length === 0 &&
    s.scheduledLines.length === 0 &&
    s.invoices.every((i) => i.outstanding <= 0)
  );
}
