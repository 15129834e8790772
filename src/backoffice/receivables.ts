/**
 * Receivables for the console, the API and the CLI (issue 29): the aging report as of a day, the payments
 * of a range of days with where each came from, and one customer's overview. The figures are the ledger's
 * (read once per report); the buckets are the domain's.
 */
import { z } from 'zod';
import type { CustomerProfile, InvoiceSummary, Ledger, PaymentRecord, ReceivedPayment } from '../activities';
import { daysBetween, isIsoDate } from '../domain/calendar';
import { agingReport, type AgingReport } from '../domain/receivables';
import type { IsoDate, Yen } from '../domain/types';
import { perLang, V, type Lang } from '../domain/messages';
import { schemasIn } from '../domain/validation';

/** The widest range of one payments report (as the audit export's). */
export const PAYMENTS_MAX_DAYS = 366;

export const customerIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, { message: 'expected a customer id (cus-…)' });
/** The reports' queries, their messages in `lang`: English for the API, the reader's in the console. */
function queries(lang: Lang) {
  const { isoDate } = schemasIn(lang);
  return {
    agingQuery: z.object({ asOf: isoDate.optional().describe('default: today (Japan time)') }),
    paymentsQuery: z.object({ from: isoDate, to: isoDate }).superRefine((q, ctx) => {
      if (!isIsoDate(q.from) || !isIsoDate(q.to)) return; // each is named by its own field
      const days = daysBetween(q.from, q.to);
      if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: V.notBeforeFrom()[lang] });
      else if (days >= PAYMENTS_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: V.atMostDaysFrom(PAYMENTS_MAX_DAYS)[lang] });
    }),
  };
}
export const receivablesQueriesIn = perLang(queries);
export const { agingQuery, paymentsQuery } = receivablesQueriesIn('en');

export async function agingAsOf(ledger: Ledger, asOf: IsoDate): Promise<AgingReport> {
  const { items, customers } = await ledger.receivables.openAsOf(asOf);
  return agingReport(asOf, items, customers);
}

/** Where a payment came from: a bank statement's line, the person who keyed it (the audit row of its `pay`), or not known. */
export type PaymentSource =
  | { kind: 'bank'; fileId: string | null; record: number | null }
  | { kind: 'person'; personId: string; login: string | null; name: string | null; role: string; via: string; at: string }
  | { kind: 'unknown' };

export interface PaymentRow extends ReceivedPayment {
  /** The request id of its `pay` (the payment id is `<contract>:<request id>`). */
  requestId: string;
  source: PaymentSource;
}

export interface PaymentsReport {
  from: IsoDate;
  to: IsoDate;
  payments: PaymentRow[];
  /** Received and not reversed. */
  total: Yen;
  reversed: Yen;
}

const requestIdOf = (p: { paymentId: string; contractId: string }) =>
  p.paymentId.startsWith(`${p.contractId}:`) ? p.paymentId.slice(p.contractId.length + 1) : p.paymentId;

export async function paymentsBetween(ledger: Ledger, from: IsoDate, to: IsoDate): Promise<PaymentsReport> {
  const received = await ledger.receivables.paymentsReceived(from, to);
  const withIds = received.map((p) => ({ ...p, requestId: requestIdOf(p) }));
  const keyed = withIds.filter((p) => !p.requestId.startsWith('bank:'));
  // A bank line's 勘定日 is the day received: the same range finds its line.
  const lines = new Map((await ledger.bankLines.paymentsBooked(from, to)).map((b) => [`${b.contractId} ${b.requestId}`, b]));
  const rows = new Map<string, { actorId: string; role: string; via: string; at: string; accepted: boolean }>();
  for (const a of await ledger.audit.ofRequests(
    'pay',
    keyed.map((p) => p.requestId),
  )) {
    const k = `${a.contractId} ${a.requestId}`;
    // The accepted attempt names who keyed it; a refused retry before it does not.
    if (!rows.get(k)?.accepted) rows.set(k, { actorId: a.actor.id, role: a.actor.role, via: a.actor.via, at: a.at, accepted: a.outcome === 'accepted' });
  }
  const people = new Map<string, { login: string; displayName: string } | undefined>();
  for (const r of rows.values()) if (!people.has(r.actorId)) people.set(r.actorId, (await ledger.people.get(r.actorId)) ?? undefined);
  const payments = withIds.map((p): PaymentRow => {
    const k = `${p.contractId} ${p.requestId}`;
    if (p.requestId.startsWith('bank:')) {
      const line = lines.get(k);
      return { ...p, source: { kind: 'bank', fileId: line?.fileId ?? null, record: line?.record ?? null } };
    }
    const a = rows.get(k);
    return {
      ...p,
      source: a
        ? {
            kind: 'person',
            personId: a.actorId,
            login: people.get(a.actorId)?.login ?? null,
            name: people.get(a.actorId)?.displayName ?? null,
            role: a.role,
            via: a.via,
            at: a.at,
          }
        : { kind: 'unknown' },
    };
  });
  const sum = (ps: PaymentRow[]) => ps.reduce((s, p) => s + p.amount, 0);
  return { from, to, payments, total: sum(payments.filter((p) => !p.reversal)), reversed: sum(payments.filter((p) => p.reversal)) };
}

export interface CustomerOverview {
  profile: CustomerProfile;
  /** Its contracts' invoices that are not settled (owed, or a credit not yet used), oldest first. */
  openInvoices: InvoiceSummary[];
  payments: PaymentRecord[];
  /** Owed on its invoices. */
  owed: Yen;
  /** Credit notes not yet used and payments not yet set against an invoice (advances). */
  credit: Yen;
  /** owed − credit: what the customer owes, negative when the provider owes it. */
  balance: Yen;
}

export async function customerOverview(ledger: Ledger, customerId: string): Promise<CustomerOverview | undefined> {
  const profile = await ledger.payers.profile(customerId);
  if (!profile) return undefined;
  const invoices: InvoiceSummary[] = [];
  const payments: PaymentRecord[] = [];
  for (const c of profile.contracts) {
    invoices.push(...(await ledger.listInvoices(c.contractId)));
    payments.push(...(await ledger.listPayments(c.contractId)));
  }
  const owed = invoices.reduce((s, i) => s + Math.max(0, i.outstanding), 0);
  const unusedCredit = invoices.reduce((s, i) => s + Math.max(0, -i.outstanding), 0);
  const advances = payments.filter((p) => !p.reversal).reduce((s, p) => s + p.amount - p.allocations.reduce((a, x) => a + x.amount, 0), 0);
  return {
    profile,
    openInvoices: invoices.filter((i) => i.outstanding !== 0).sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.number.localeCompare(b.number)),
    payments: payments.sort((a, b) => b.paidOn.localeCompare(a.paidOn) || a.paymentId.localeCompare(b.paymentId)),
    owed,
    credit: unusedCredit + advances,
    balance: owed - unusedCredit - advances,
  };
}
