/** The simulator's outcome (docs/simulator.md): the contract as the back office would read it at the end. */
import type { ContractView } from '../domain/contract';
import type { IsoDate, LineKind, NoticeKind, YearMonth, Yen } from '../domain/types';
import type { BankLineOutcome } from './bank';
import type { EventType } from './scenario';

export interface OutcomeInvoice {
  period: YearMonth;
  issuedOn: IsoDate;
  dueOn: IsoDate;
  lines: Array<{ kind: LineKind; amount: Yen; taxable: boolean; rule: string }>;
  taxableSubtotal: Yen;
  tax: Yen;
  nonTaxableSubtotal: Yen;
  total: Yen;
  paid: Yen;
}

export interface Outcome {
  contractId: string;
  /** scenario.md's five: an approved contract waiting for S is `active` there (D-34). */
  status: Exclude<ContractView['status'], 'approved'>;
  startDate: IsoDate | null;
  minimumTermEnd: IsoDate | null;
  endDate: IsoDate | null;
  dataDeletedOn: IsoDate | null;
  invoices: OutcomeInvoice[];
  notices: Array<{ kind: NoticeKind; on: IsoDate }>;
  balance: Yen;
  /** D-19: one row per month with an incident or ops work recorded, beside what the plan includes. */
  allowances: Array<{ month: YearMonth; incidents: number; incidentsIncluded: number; opsHours: number; opsHoursIncluded: number }>;
  /** D-26: what holds the service suspended at the end of `until` (empty when it is not): each ground on its own. */
  suspendedFor: Array<{ ground: 'nonPayment'; since: IsoDate; invoices: YearMonth[]; terminationDay: IsoDate } | { ground: 'backOffice'; since: IsoDate }>;
  refused: Array<{ on: IsoDate; type: EventType; message: string }>;
  /** Issue 29: every data line of every imported bank file, in import order, with what it became. */
  bankLines: BankLineOutcome[];
}

export function outcomeOf(view: ContractView, refused: Outcome['refused'], bankLines: BankLineOutcome[] = []): Outcome {
  const invoices = [...view.invoices].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  return {
    contractId: view.contractId,
    status: view.status === 'approved' ? 'active' : view.status,
    startDate: view.startDate,
    minimumTermEnd: view.minimumTermEnd,
    endDate: view.endDate,
    dataDeletedOn: view.dataDeletedOn,
    invoices: invoices.map((i) => ({
      period: i.period,
      issuedOn: i.issuedOn,
      dueOn: i.dueOn,
      lines: i.lines.map((l) => ({ kind: l.kind, amount: l.amount, taxable: l.taxable, rule: l.rule })),
      taxableSubtotal: i.taxableSubtotal,
      tax: i.tax,
      nonTaxableSubtotal: i.nonTaxableSubtotal,
      total: i.total,
      paid: i.paid,
    })),
    notices: view.notices.map((n) => ({ kind: n.kind, on: n.on })),
    balance: view.balance,
    allowances: view.allowances.map((a) => ({
      month: a.month,
      incidents: a.incidents,
      incidentsIncluded: a.incidentsIncluded,
      opsHours: a.opsHours,
      opsHoursIncluded: a.opsHoursIncluded,
    })),
    suspendedFor: view.suspensionGrounds.map((g) =>
      g.ground === 'nonPayment'
        ? { ground: g.ground, since: g.since, invoices: g.periods, terminationDay: g.terminationDay }
        : { ground: g.ground, since: g.since },
    ),
    refused,
    bankLines,
  };
}
