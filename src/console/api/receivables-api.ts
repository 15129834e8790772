/**
 * The API's receivables and customers (issue 29): the aging report as of a day, the payments of a range
 * (JSON or CSV), a customer's overview, and what identifies its money on a bank statement — a payer name
 * added, the payer code or the virtual account set or cleared, by clerks and supervisors, audited.
 */
import { z } from 'zod';
import type { AuditAccess } from '../../backoffice/ledger-client';
import type { Ledger } from '../../backoffice/ledger-records';
import { changePayer, CustomerNotFound, payerCodeField, payerNameField, virtualAccountField, type PayerChange } from '../../backoffice/commands/payers';
import { agingAsOf, agingQuery, customerIdSchema, customerOverview, paymentsBetween, paymentsQuery } from '../../backoffice/receivables';
import { agingCsv, paymentsCsv } from '../../backoffice/receivables-csv';
import { jstDateOf } from '../../domain/calendar';
import { CONTRACT_ACTORS, READERS } from '../route-kit';
import { actorOf, notFound } from './kit';
import type { ApiRoute } from './route-table';

const customerParams = z.object({ customerId: customerIdSchema });
const requestIdField = z.string({ error: 'expected the request id (the same id retries safely)' });

export function receivablesApi(d: { ledger: Ledger; audit: AuditAccess; virtualAccountRange: string }): ApiRoute[] {
  const { ledger } = d;
  const today = () => jstDateOf(Date.now());
  const aging = (q: Record<string, unknown>) => agingAsOf(ledger, (q.asOf as string | undefined) ?? today());
  const payments = (q: Record<string, unknown>) => paymentsBetween(ledger, q.from as string, q.to as string);
  const payerRoute = (
    method: 'POST' | 'PUT',
    path: string,
    operationId: string,
    summary: string,
    body: z.ZodType,
    changeOf: (b: never) => PayerChange,
  ): ApiRoute => ({
    method,
    path: `/customers/:customerId/${path}`,
    operationId,
    summary,
    tag: 'customers',
    roles: CONTRACT_ACTORS,
    params: customerParams,
    body,
    async handler(req, { params, body: b }) {
      const { requestId } = b as { requestId: string };
      try {
        const r = await changePayer(
          { ledger, audit: d.audit, virtualAccountRange: d.virtualAccountRange },
          { actor: actorOf(req), customerId: params.customerId!, requestId, change: changeOf(b as never) },
        );
        return { ...r, requestId, profile: await ledger.payers.profile(params.customerId!) };
      } catch (err) {
        if (err instanceof CustomerNotFound) throw notFound(err.message);
        throw err;
      }
    },
  });
  return [
    {
      method: 'GET',
      path: '/receivables/aging',
      operationId: 'receivablesAging',
      summary:
        'What each invoice issued by the day still owes on it, in buckets of days past due (not yet due, 1–30, 31–60, 61–90, over 90), per customer and in total.',
      tag: 'receivables',
      roles: READERS,
      query: agingQuery,
      handler: (_req, { query }) => aging(query),
    },
    {
      method: 'GET',
      path: '/receivables/aging.csv',
      operationId: 'receivablesAgingCsv',
      summary: 'The aging report as CSV, one row per invoice (UTF-8 with BOM, for Excel; formulas neutralised).',
      tag: 'receivables',
      roles: READERS,
      query: agingQuery,
      produces: 'text/csv',
      handler: async (_req, { query }, reply) => reply.type('text/csv; charset=utf-8').send(agingCsv(await aging(query))),
    },
    {
      method: 'GET',
      path: '/receivables/payments',
      operationId: 'receivablesPayments',
      summary:
        'The payments received from one day to another (at most 366 days) across contracts, reversed or not, each with its source: a bank line or the person who keyed it.',
      tag: 'receivables',
      roles: READERS,
      query: paymentsQuery,
      handler: (_req, { query }) => payments(query),
    },
    {
      method: 'GET',
      path: '/receivables/payments.csv',
      operationId: 'receivablesPaymentsCsv',
      summary: 'The payments of the range as CSV, one row per payment (UTF-8 with BOM; formulas neutralised).',
      tag: 'receivables',
      roles: READERS,
      query: paymentsQuery,
      produces: 'text/csv',
      handler: async (_req, { query }, reply) => reply.type('text/csv; charset=utf-8').send(paymentsCsv(await payments(query))),
    },
    {
      method: 'GET',
      path: '/customers/:customerId',
      operationId: 'customer',
      summary: 'A customer: billing name, contracts, open invoices, payments, balance, payer names, payer code and virtual account.',
      tag: 'customers',
      roles: READERS,
      params: customerParams,
      async handler(_req, { params }) {
        const o = await customerOverview(ledger, params.customerId!);
        if (!o) throw notFound(`no customer ${params.customerId}`);
        return o;
      },
    },
    payerRoute(
      'POST',
      'payer-names',
      'addPayerName',
      'Register a payer name (振込依頼人名) of the customer, kept as entered and in its matching form (D-30); the same name again changes nothing.',
      z.object({ requestId: requestIdField, name: payerNameField }).strict(),
      (b: { name: string }) => ({ field: 'payerName', name: b.name }),
    ),
    payerRoute(
      'PUT',
      'payer-code',
      'setPayerCode',
      "Set the customer's 振込依頼人コード (10 digits, unique across customers), or clear it with null.",
      z.object({ requestId: requestIdField, payerCode: payerCodeField }).strict(),
      (b: { payerCode: string | null }) => ({ field: 'payerCode', value: b.payerCode }),
    ),
    payerRoute(
      'PUT',
      'virtual-account',
      'setVirtualAccount',
      "Set the customer's virtual account number (7 digits, unique across customers), or clear it with null.",
      z.object({ requestId: requestIdField, virtualAccount: virtualAccountField }).strict(),
      (b: { virtualAccount: string | null }) => ({ field: 'virtualAccount', value: b.virtualAccount }),
    ),
  ];
}
