/**
 * The CLI's side of the ledger service (ledger-service.ts): JSON over the Unix socket with Node's http.
 * A refusal comes back as LedgerRefusal with the ledger's message; an absent service as a clear error.
 */
import { request } from 'node:http';
import { ApplicationFailure } from '@temporalio/common';
import type { ProviderActionOutcome, ProviderActionRequest } from '../activities/ledger/provider-actions';
import type { ProviderAction } from '../domain/provider-actions';
import type { PriceListChange } from '../domain/price-lists';
import type { AuditAttempt, AuditEntry, CustomerRecord, Ledger, MonthInvoices, StoredInvoice } from '../activities';
import type { Contact } from '../domain/types';
import type { ContactChange } from '../domain/validation';

export type { ProviderActionOutcome };

export class LedgerRefusal extends Error {}
export class LedgerUnavailable extends Error {}

/** The audit trail as the edges write it: the attempt before a command is sent, its outcome after. */
export interface AuditAccess {
  attempt(a: AuditAttempt): Promise<number>;
  decide(id: number, outcome: 'accepted' | 'refused' | 'failed', message: string | null): Promise<void>;
  list(contractId: string): Promise<AuditEntry[]>;
}

export interface LedgerAccess {
  audit: AuditAccess;
  register(contractId: string, contact: Contact): Promise<{ customerId: string; alreadyRegistered: boolean }>;
  /** D-32: the contract linked to an existing customer. */
  link(contractId: string, customerId: string): Promise<{ customerId: string; alreadyRegistered: boolean }>;
  changeContact(requestId: string, contractId: string, change: ContactChange): Promise<{ customerId: string; revision: number; alreadyChanged: boolean }>;
  customerOf(contractId: string): Promise<CustomerRecord | undefined>;
  invoice(contractId: string, period: string): Promise<StoredInvoice | undefined>;
  /** Every invoice of a billing month with its lines (accounting). */
  monthInvoices(period: string): Promise<MonthInvoices>;
  /** The invoice's PDF as stored at issue, with its SHA-256. */
  invoicePdf(contractId: string, period: string): Promise<InvoicePdf | undefined>;
  /** Ask for a four-eyes provider-wide action; its approval is the console's. */
  requestProviderAction(r: { id: string; action: ProviderAction; reason: string; requestedBy: string }): Promise<ProviderActionRequest>;
  /** What each contract answered a provider-wide run (or dry run), by the run's workflow id. */
  providerActionOutcomes(runId: string): Promise<ProviderActionOutcome[]>;
  /** The price-list versions recorded (D-17), the first one included; the socket's client has none. */
  priceLists?(): Promise<PriceListChange[]>;
}

export interface InvoicePdf {
  invoiceNumber: string;
  sha256: string;
  pdf: Buffer;
}

export function ledgerClient(socketPath: string): LedgerAccess {
  function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: T & { error?: string } }> {
    return raw(method, path, body).then(({ status, bytes }) => ({ status, json: JSON.parse(bytes.toString('utf8')) }));
  }
  function raw(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; bytes: Buffer; headers: Record<string, string | string[] | undefined> }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        { socketPath, path, method, headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), headers: res.headers }));
        },
      );
      req.on('timeout', () => req.destroy(new LedgerUnavailable('the ledger service did not answer within 30 s')));
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'ENOENT' || err.code === 'ECONNREFUSED'
            ? new LedgerUnavailable(`the ledger service is not running at ${socketPath} (start the system with 'npm start')`)
            : err,
        ),
      );
      req.end(payload);
    });
  }
  async function answer<T>(method: 'GET' | 'POST', path: string, body?: unknown, absentIs404 = false): Promise<T | undefined> {
    const { status, json } = await call<T>(method, path, body);
    if (status === 200) return json;
    if (status === 404 && absentIs404) return undefined;
    if (status === 422 || status === 400) throw new LedgerRefusal(json.error ?? `refused (${status})`);
    throw new LedgerUnavailable(json.error ?? `the ledger service answered ${status}`);
  }
  const seg = encodeURIComponent;
  return {
    audit: {
      attempt: async (a) => (await answer<{ id: number }>('POST', '/audit', a))!.id,
      decide: async (id, outcome, message) => void (await answer('POST', `/audit/${id}/outcome`, { outcome, message })),
      list: async (contractId) => (await answer<AuditEntry[]>('GET', `/contracts/${seg(contractId)}/audit`))!,
    },
    register: async (contractId, contact) => (await answer('POST', '/customers', { contractId, contact }))!,
    link: async () => {
      throw new LedgerRefusal('the ledger socket registers new customers only; link a contract to an existing customer through the back office');
    },
    changeContact: async (requestId, contractId, change) => (await answer('POST', '/contact-changes', { requestId, contractId, change }))!,
    customerOf: (contractId) => answer('GET', `/contracts/${seg(contractId)}/customer`, undefined, true),
    invoice: (contractId, period) => answer('GET', `/contracts/${seg(contractId)}/invoices/${seg(period)}`, undefined, true),
    monthInvoices: async (period) => (await answer<MonthInvoices>('GET', `/invoices/${seg(period)}`))!,
    async invoicePdf(contractId, period) {
      const r = await raw('GET', `/contracts/${seg(contractId)}/invoices/${seg(period)}.pdf`);
      if (r.status === 404) return undefined;
      if (r.status !== 200) throw new LedgerUnavailable(`the ledger service answered ${r.status}`);
      return { invoiceNumber: String(r.headers['x-invoice-number']), sha256: String(r.headers['x-content-sha256']), pdf: r.bytes };
    },
    requestProviderAction: async (r) => (await answer<ProviderActionRequest>('POST', '/provider-action-requests', r))!,
    providerActionOutcomes: async (runId) => (await answer<ProviderActionOutcome[]>('GET', `/provider-action-runs/${seg(runId)}/outcomes`))!,
  };
}

/** The same access in the process that owns the ledger (the simulator, tests): refusals as LedgerRefusal too. */
export function ledgerAccessOf(ledger: Ledger): LedgerAccess {
  const refusing = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ApplicationFailure && err.nonRetryable) throw new LedgerRefusal(err.message);
      throw err;
    }
  };
  return {
    audit: {
      attempt: (a) => refusing(() => ledger.audit.attempt(a)),
      decide: (id, outcome, message) => ledger.audit.decide(id, outcome, message),
      list: (contractId) => ledger.audit.every({ contractId }),
    },
    register: (contractId, contact) => refusing(() => ledger.customers.register({ contractId, contact })),
    link: (contractId, customerId) => refusing(() => ledger.customers.link({ contractId, customerId })),
    changeContact: (requestId, contractId, change) => refusing(() => ledger.customers.changeContact({ requestId, contractId, change })),
    customerOf: (contractId) => ledger.customers.ofContract(contractId),
    invoice: (contractId, period) => ledger.findInvoice(contractId, period),
    monthInvoices: (period) => ledger.monthInvoices(period),
    priceLists: async () => (await ledger.providerActions.priceLists()).map((r) => r.version),
    invoicePdf: async (contractId, period) => {
      const d = await ledger.documents.find(contractId, period);
      return d ? { invoiceNumber: d.invoiceNumber, sha256: d.sha256, pdf: d.pdf } : undefined;
    },
    requestProviderAction: (r) => refusing(() => ledger.providerActions.request(r)),
    providerActionOutcomes: (runId) => ledger.providerActions.outcomes(runId),
  };
}

/** The four-eyes requests in the process that owns the ledger (the console): the approval lives only here. */
export function providerActionRequestsOf(ledger: Ledger) {
  const access = ledgerAccessOf(ledger);
  return {
    request: access.requestProviderAction,
    approve: async (id: string, approvedBy: string) => {
      try {
        return await ledger.providerActions.approve(id, approvedBy);
      } catch (err) {
        if (err instanceof ApplicationFailure && err.nonRetryable) throw new LedgerRefusal(err.message);
        throw err;
      }
    },
  };
}
