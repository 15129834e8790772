/**
 * The ledger's local service: what the CLI needs from the ledger — register an applicant, change a
 * contact, read the customer and an issued invoice, write the audit trail — on a Unix socket in DATA_DIR (a 0700 folder, the
 * socket 0600), served by the process that owns the ledger (`npm start`). The file's permissions are its
 * access control, as with PostgreSQL's local socket: only the account that runs the system gets in.
 *
 * Why a service: the embedded ledger (PGlite) is one process's; the CLI must not open it beside the
 * worker, and personal data must never travel through Temporal. JSON in and out; a refusal is 422 with
 * the message, an unknown contract 404.
 */
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Ledger } from '../activities';

export interface LedgerService {
  path: string;
  close(): Promise<void>;
}

const text = { type: 'string', minLength: 1, maxLength: 200 } as const;

export function ledgerServiceApp(ledger: Ledger): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof ApplicationFailure) return reply.code(422).send({ error: err.message, type: err.type });
    if ((err as { validation?: unknown }).validation) return reply.code(400).send({ error: (err as Error).message });
    return reply.code(500).send({ error: 'the ledger could not answer; see the system log' });
  });

  app.post(
    '/customers',
    { schema: { body: { type: 'object', required: ['contractId', 'contact'], properties: { contractId: text, contact: { type: 'object' } } } } },
    async (req) => {
      const body = req.body as { contractId: string; contact: never };
      return ledger.customers.register({ contractId: body.contractId, contact: body.contact });
    },
  );

  app.post(
    '/contact-changes',
    {
      schema: {
        body: {
          type: 'object',
          required: ['requestId', 'contractId', 'change'],
          properties: { requestId: text, contractId: text, change: { type: 'object' } },
        },
      },
    },
    async (req) => {
      const body = req.body as { requestId: string; contractId: string; change: never };
      return ledger.customers.changeContact(body);
    },
  );

  app.get('/contracts/:contractId/customer', async (req, reply) => {
    const { contractId } = req.params as { contractId: string };
    const customer = await ledger.customers.ofContract(contractId);
    return customer ?? reply.code(404).send({ error: `no customer on record for contract ${contractId}` });
  });

  app.post('/audit', { schema: { body: { type: 'object', required: ['actor', 'command', 'requestId'] } } }, async (req) => ({
    id: await ledger.audit.attempt(req.body as never),
  }));
  app.post(
    '/audit/:id/outcome',
    {
      schema: {
        body: {
          type: 'object',
          required: ['outcome'],
          properties: { outcome: { enum: ['accepted', 'refused', 'failed'] }, message: { type: ['string', 'null'], maxLength: 2000 } },
        },
      },
    },
    async (req) => {
      const { outcome, message } = req.body as { outcome: 'accepted' | 'refused' | 'failed'; message?: string | null };
      await ledger.audit.decide(Number((req.params as { id: string }).id), outcome, message ?? null);
      return { ok: true };
    },
  );
  app.get('/contracts/:contractId/audit', async (req) => ledger.audit.every({ contractId: (req.params as { contractId: string }).contractId }));

  app.get('/invoices/:period', async (req, reply) => {
    const { period } = req.params as { period: string };
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return reply.code(400).send({ error: `period: expected a month YYYY-MM (got ${period.slice(0, 20)})` });
    return ledger.monthInvoices(period);
  });

  app.get('/contracts/:contractId/invoices/:period', async (req, reply) => {
    const { contractId, period } = req.params as { contractId: string; period: string };
    if (period.endsWith('.pdf')) {
      // The PDF stored at issue, as its bytes; its hash in a header for the caller to check.
      const doc = await ledger.documents.find(contractId, period.slice(0, -'.pdf'.length));
      if (!doc) return reply.code(404).send({ error: `no invoice PDF for ${period.slice(0, -4)} in the ledger for contract ${contractId}` });
      return reply.type('application/pdf').header('x-invoice-number', doc.invoiceNumber).header('x-content-sha256', doc.sha256).send(doc.pdf);
    }
    const invoice = await ledger.findInvoice(contractId, period);
    return invoice ?? reply.code(404).send({ error: `no invoice for ${period} in the ledger for contract ${contractId}` });
  });

  // A four-eyes provider-wide request from the CLI (the approval is the console's, where people sign in).
  app.post(
    '/provider-action-requests',
    {
      schema: {
        body: {
          type: 'object',
          required: ['id', 'action', 'reason', 'requestedBy'],
          properties: { id: text, action: { type: 'object' }, reason: { type: 'string', minLength: 1, maxLength: 500 }, requestedBy: text },
        },
      },
    },
    async (req) => ledger.providerActions.request(req.body as never),
  );
  app.get('/provider-action-runs/:runId/outcomes', async (req) => ledger.providerActions.outcomes((req.params as { runId: string }).runId));
  return app;
}

export async function startLedgerService(ledger: Ledger, path: string): Promise<LedgerService> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  chmodSync(dirname(path), 0o700);
  rmSync(path, { force: true }); // a socket left by a process that died
  const app = ledgerServiceApp(ledger);
  await app.listen({ path });
  chmodSync(path, 0o600);
  return {
    path,
    async close() {
      await app.close();
      rmSync(path, { force: true });
    },
  };
}
