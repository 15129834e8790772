/**
 * The API's contract routes: look a contract up, record an application, send any command a person may send
 * (four eyes routed by the back office), change the contact, read its invoices and its audit trail.
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { OnApprovalAsked } from '../../backoffice/approval-mail';
import { recordApplication } from '../../backoffice/commands/apply';
import { abnormalCloseOf } from '../../backoffice/closed-contracts';
import { changeContact, ContactNotRecorded } from '../../backoffice/commands/contact';
import { sendCommand } from '../../backoffice/commands/contract-command';
import { listContracts, CONTRACT_LIST_QUERY, CONTRACT_SORTS } from '../../backoffice/contract-list';
import { quoteCancellationQuery, stateQuery } from '../../backoffice/contract-workflows';
import type { LedgerAccess } from '../../backoffice/ledger-client';
import { sha256Hex } from '../../backoffice/ledger-records';
import { MAY_ASK } from '../../domain/actor';
import { jstDateOf } from '../../domain/calendar';
import { COMMAND_NAMES, commands, contactChange, contractId, isoDate, yearMonth, type CommandName } from '../../domain/validation';
import { CONTRACT_ACTORS, READERS } from '../route-kit';
import { actorOf, notFound } from './kit';
import type { ApiRoute } from './route-table';

const idParams = z.object({ id: contractId });
const invoiceParams = z.object({ id: contractId, period: yearMonth });
const requestIdField = z.string({ error: 'expected the request id (the same id retries safely)' });

/** The commands a person sends to one contract; the provider-wide and the billing run's are the system's. */
export const PERSON_COMMANDS = COMMAND_NAMES.filter(
  (n) =>
    !['closeBillingPeriod', 'announcePriceList', 'discontinueService', 'announceMaintenance', 'requestApproval'].includes(n) &&
    MAY_ASK[n].some((r) => r !== 'system'),
);

/** A command's body: its own fields and request id (the actor is the token's person), and the door's. */
function commandBody(name: CommandName): z.ZodType {
  // The command's own fields without its refinements: the back office checks the whole command again (sendCommand).
  const { actor: _actor, ...own } = (commands[name] as unknown as z.ZodObject<z.ZodRawShape>).shape;
  return z
    .object({
      reason: z.string().optional().describe('four eyes: why the step is asked for (a second supervisor approves it)'),
      ...own,
      ...(name === 'pay' ? { sameAmountOk: z.boolean().optional().describe('another payment of the same amount within 7 days, confirmed') } : {}),
    })
    .strict();
}
const hasOwnReason = (name: CommandName) => 'reason' in (commands[name] as unknown as z.ZodObject<z.ZodRawShape>).shape;

export function contractApi(d: { client: Client; ledger: LedgerAccess; taskQueue: string; onApprovalAsked?: OnApprovalAsked | undefined }): ApiRoute[] {
  const { client, ledger } = d;
  const today = () => jstDateOf(Date.now());
  const commandRoutes = PERSON_COMMANDS.map(
    (name): ApiRoute => ({
      method: 'POST',
      path: `/contracts/:id/commands/${name}`,
      operationId: name,
      summary: `Send ${name} to the contract (audited; a step above the four-eyes threshold becomes a request for a second supervisor).`,
      tag: 'commands',
      roles: CONTRACT_ACTORS,
      params: idParams,
      body: commandBody(name),
      async handler(req, { params, body }) {
        const { reason, sameAmountOk, ...rest } = body as { requestId: string; reason?: string; sameAmountOk?: boolean } & Record<string, unknown>;
        // A command whose own field is its reason (a reversal, a withdrawal) gives it as the four-eyes reason too.
        const input = hasOwnReason(name) && reason !== undefined ? { ...rest, reason } : rest;
        const sent = await sendCommand(
          { client, audit: ledger.audit, onApprovalAsked: d.onApprovalAsked },
          { actor: actorOf(req), contractId: params.id!, name, input, reason, sameAmountOk, today: today() },
        );
        return { contractId: params.id, requestId: input.requestId, ...sent };
      },
    }),
  );
  return [
    {
      method: 'GET',
      path: '/contracts',
      operationId: 'listContracts',
      summary: `Contracts by status, plan, overdue (1), needs attention (1) and deadline month, from visibility (${CONTRACT_LIST_QUERY}); sorted by any column (sort, order); paged.`,
      tag: 'contracts',
      roles: READERS,
      query: z.object({
        status: z.string().optional(),
        plan: z.string().optional(),
        overdue: z.string().optional().describe('1: OverdueYen > 0'),
        attention: z.string().optional().describe('1: needs attention (effects waiting or failed, or closed by the server)'),
        deadlineMonth: z.string().optional().describe('YYYY-MM: NextDeadline, RenewalDeclineDeadline or CancellationDeadline in the month'),
        sort: z
          .string()
          .optional()
          .describe(`a column: ${CONTRACT_SORTS.join(', ')}`),
        order: z.string().optional().describe('asc (default) or desc'),
        page: z.coerce.number().optional(),
        pageSize: z.coerce.number().optional(),
      }),
      handler: (_req, { query }) => listContracts(client, query),
    },
    {
      method: 'POST',
      path: '/contracts',
      operationId: 'apply',
      summary: 'Record an application (申込, 第7条): the customer in the ledger, the contract started, pending approval.',
      tag: 'contracts',
      roles: CONTRACT_ACTORS,
      body: z.object({ requestId: requestIdField, application: z.unknown().describe('the application form: contractId, customer, terms, appliedOn') }),
      handler: (req, { body }) => {
        const b = body as { requestId: string; application: unknown };
        return recordApplication(
          { client, ledger, audit: ledger.audit, taskQueue: d.taskQueue },
          { actor: actorOf(req), requestId: b.requestId, form: b.application, today: today() },
        );
      },
    },
    {
      method: 'GET',
      path: '/contracts/:id',
      operationId: 'showContract',
      summary: "A contract as its workflow sees it now, with the customer's contact from the ledger.",
      tag: 'contracts',
      roles: READERS,
      params: idParams,
      async handler(_req, { params }) {
        const id = params.id!;
        // The status first: a workflow the server closed still answers its query, with a state that says "active".
        const closedByServer = await abnormalCloseOf(client, id);
        const contract = await client.workflow
          .getHandle(id)
          .query(stateQuery)
          .catch((err: unknown) => {
            if (closedByServer) return null; // a failed start, or a history too big to replay: the close says enough
            throw err;
          });
        return { contract, customer: (await ledger.customerOf(id)) ?? null, closedByServer };
      },
    },
    {
      method: 'GET',
      path: '/contracts/:id/cancellation-quote',
      operationId: 'quoteCancellation',
      summary: 'Can the customer end on a day with notice given today (第28条), and the early termination fee.',
      tag: 'contracts',
      roles: READERS,
      params: idParams,
      query: z.object({ endDate: isoDate.optional() }),
      async handler(_req, { params, query }) {
        const handle = client.workflow.getHandle(params.id!);
        const q = await handle.query(quoteCancellationQuery, (query.endDate as string | undefined) ?? today());
        return query.endDate === undefined ? handle.query(quoteCancellationQuery, q.earliestEndDay) : q;
      },
    },
    ...commandRoutes,
    {
      method: 'PUT',
      path: '/contracts/:id/contact',
      operationId: 'changeContact',
      summary: "Change the customer's contact (第12条3項): the ledger keeps it, the contract learns its new revision.",
      tag: 'commands',
      roles: CONTRACT_ACTORS,
      params: idParams,
      body: (contactChange as unknown as z.ZodObject<z.ZodRawShape>).extend({ requestId: requestIdField }),
      async handler(req, { params, body }) {
        const { requestId, ...change } = body as { requestId: string } & Record<string, unknown>;
        try {
          return await changeContact({ client, ledger }, { actor: actorOf(req), contractId: params.id!, requestId, change: change as never });
        } catch (err) {
          throw err instanceof ContactNotRecorded ? err.cause : err;
        }
      },
    },
    {
      method: 'GET',
      path: '/contracts/:id/invoices/:period',
      operationId: 'invoice',
      summary: 'The issued invoice (適格請求書) of a billing month, as the ledger keeps it.',
      tag: 'invoices',
      roles: READERS,
      params: invoiceParams,
      async handler(_req, { params }) {
        const doc = await ledger.invoice(params.id!, params.period!);
        if (!doc) throw notFound(`no issued invoice of ${params.id} for ${params.period}`);
        return doc;
      },
    },
    {
      method: 'GET',
      path: '/contracts/:id/invoices/:period/pdf',
      operationId: 'invoicePdf',
      summary: 'The PDF stored at issue (the one mailed); its SHA-256 in the X-Content-SHA256 header.',
      tag: 'invoices',
      roles: READERS,
      params: invoiceParams,
      produces: 'application/pdf',
      async handler(_req, { params }, reply) {
        const file = await ledger.invoicePdf(params.id!, params.period!);
        if (!file) throw notFound(`no PDF of the invoice of ${params.id} for ${params.period}`);
        if (sha256Hex(file.pdf) !== file.sha256) throw new Error(`the stored PDF of ${params.id} ${params.period} does not match its SHA-256`);
        return reply.type('application/pdf').header('x-content-sha256', file.sha256).header('x-invoice-number', file.invoiceNumber).send(Buffer.from(file.pdf));
      },
    },
    {
      method: 'GET',
      path: '/contracts/:id/audit',
      operationId: 'contractAudit',
      summary: "The contract's audit trail: every command attempted, by whom, through which door, and its outcome.",
      tag: 'audit',
      roles: READERS,
      params: idParams,
      handler: async (_req, { params }) => ({ contractId: params.id, entries: await ledger.audit.list(params.id!) }),
    },
  ];
}
