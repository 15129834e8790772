/**
 * The contract's page (its state from the contract, the customer, payments and audit trail from the
 * ledger), the cancellation quote to confirm (第28条), the day-to-day commands, and the contact change
 * (第12条3項: the ledger keeps the contact, the contract learns only its revision).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { isRefusal } from '../backoffice/command-path';
import { closedContract, type ClosedContract } from '../backoffice/closed-contracts';
import { changeContact, ContactNotRecorded } from '../backoffice/commands/contact';
import { previewEndingQuery, quoteCancellationQuery, stateQuery } from '../backoffice/contract-workflows';
import type { LedgerAccess } from '../backoffice/ledger-client';
import type { Ledger } from '../backoffice/ledger-records';
import { jstDateOf, jstLocalToInstant } from '../domain/calendar';
import type { ContractView } from '../domain/contract';
import { hoursText, parseWith, schemasIn } from '../domain/validation';
import { actorOf, type ContractCommands } from './contract-commands';
import { bodyOf, CONTRACT_ACTORS, contractIdOf, newRequestId, queryRequestId, requestIdOf, type RouteKit } from './route-kit';
import * as views from './views';

export function contractRoutes(
  app: FastifyInstance,
  k: RouteKit,
  d: { client: Client; ledger: Ledger; ledgerAccess: LedgerAccess; commands: ContractCommands },
): void {
  const { client, ledger } = d;
  const { act } = d.commands;
  const actionRoute = { config: { roles: CONTRACT_ACTORS } };

  app.get('/contracts/:id', async (req, reply) => {
    const id = contractIdOf(req);
    const t = k.t(req);
    if (!id) return k.send(req, reply.code(400), views.message(t, '400', t('契約IDの形式が正しくありません。', 'Not a contract id.')));
    let view: ContractView | null;
    let closed: ClosedContract | null;
    try {
      // The status first: a query still answers on a closed workflow, with a state that says "active".
      closed = await closedContract(client, ledger, id);
      view = await client.workflow
        .getHandle(id)
        .query(stateQuery)
        .catch((err: unknown) => {
          if (closed) return null; // e.g. a failed start, or a history too big to replay: the banner says enough
          throw err;
        });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError)
        return k.send(req, reply.code(404), views.message(t, '404', t(`契約 ${id} はありません。`, `No contract ${id}.`)));
      throw err;
    }
    if (!view && closed) return k.send(req, reply, views.closedOnly(t, closed));
    const [customer, trail, payments, people] = await Promise.all([
      ledger.customers.ofContract(id),
      ledger.audit.list({ contractId: id, limit: views.CONTRACT_PAGE_AUDIT_ROWS }),
      ledger.listPayments(id),
      ledger.people.list(),
    ]);
    const names = new Map(people.map((p) => [p.id, p.displayName]));
    return k.send(req, reply, views.contract(k.ctx(req, reply), { view: view!, customer, trail, payments, requestId: newRequestId, closed, names }));
  });

  app.get('/contracts/:id/cancel', { config: { roles: CONTRACT_ACTORS } }, async (req, reply) => {
    const id = contractIdOf(req);
    const t = k.t(req);
    if (!id) return k.send(req, reply.code(400), views.message(t, '400', t('契約IDの形式が正しくありません。', 'Not a contract id.')));
    const endDate = ((req.query ?? {}) as Record<string, string | undefined>).endDate ?? '';
    const day = parseWith(schemasIn(k.lang(req)).isoDate, endDate.trim(), 'endDate', k.lang(req));
    if (!day.ok) return k.flashAndGo(req, reply, 'err', day.problems.join('; '), `/contracts/${encodeURIComponent(id)}`);
    const handle = client.workflow.getHandle(id);
    const [quote, preview] = await Promise.all([
      handle.query(quoteCancellationQuery, day.value),
      handle.query(previewEndingQuery, 'cancel', { endDate: day.value }, Date.now()),
    ]);
    // The request id the contract page's form came with: the confirmation sends it, so a double submit counts once.
    return k.send(req, reply, views.cancelQuote(k.ctx(req, reply), id, quote, preview, queryRequestId(req, 'cancel')));
  });

  app.post('/contracts/:id/approve', actionRoute, async (req, reply) =>
    act(req, reply, 'approve', { startDate: (bodyOf(req).startDate ?? '').trim() || jstDateOf(Date.now()) }),
  );
  app.post('/contracts/:id/cancel', actionRoute, async (req, reply) => {
    const endDate = (bodyOf(req).endDate ?? '').trim();
    // Sent only from its confirmation page (the quote); anything else is shown the quote first.
    if (bodyOf(req).confirmed !== 'yes')
      return reply.redirect(`/contracts/${encodeURIComponent(contractIdOf(req) ?? '')}/cancel?endDate=${encodeURIComponent(endDate)}`, 303);
    return act(req, reply, 'cancel', { endDate });
  });
  // D-19, D-24: the form's datetime-local is Japan time, sent as an exact +09:00 instant; hours in 0.25 steps.
  app.post('/contracts/:id/incident', actionRoute, async (req, reply) => act(req, reply, 'recordIncident', { at: jstLocalToInstant(bodyOf(req).at ?? '') }));
  app.post('/contracts/:id/ops-work', actionRoute, async (req, reply) => {
    const b = bodyOf(req);
    return act(req, reply, 'recordOpsWork', { on: (b.on ?? '').trim(), hours: hoursText(b.hours ?? '') });
  });
  app.post('/contracts/:id/retry-effects', actionRoute, async (req, reply) => act(req, reply, 'retryFailedEffects', {}));

  app.post('/contracts/:id/contact', actionRoute, async (req, reply) => {
    const id = contractIdOf(req);
    const t = k.t(req);
    if (!id) return k.send(req, reply.code(400), views.message(t, '400', t('契約IDの形式が正しくありません。', 'Not a contract id.')));
    const back = `/contracts/${encodeURIComponent(id)}`;
    const b = bodyOf(req);
    // Only the fields that changed: an empty field is left as it is.
    const given = (field: string) => {
      const v = (b[field] ?? '').trim();
      return v === '' ? undefined : v;
    };
    const change = parseWith(
      schemasIn(k.lang(req)).contactChange,
      {
        email: given('email'),
        name: given('name'),
        contactPerson: given('contactPerson'),
        address: given('address'),
        phone: given('phone'),
      },
      '',
      k.lang(req),
    );
    if (!change.ok)
      return k.flashAndGo(
        req,
        reply,
        'err',
        `${t('入力が正しくありません (何も送信していません)', 'Invalid input (nothing was sent)')} — ${change.problems.join('; ')}`,
        back,
      );
    const requestId = requestIdOf(req, 'contact');
    try {
      const result = await changeContact({ client, ledger: d.ledgerAccess }, { actor: actorOf(req), contractId: id, requestId, change: change.value });
      return d.commands.accepted(req, reply, id, 'changeContact', result);
    } catch (err) {
      if (!(err instanceof ContactNotRecorded)) return d.commands.failed(req, reply, id, err);
      // The ledger's refusal reached no contract (its attempt is audited, field names only).
      if (isRefusal(err.cause))
        return k.flashAndGo(req, reply, 'err', `${t('台帳が拒否しました', 'Refused by the ledger')}: ${(err.cause as Error).message}`, back);
      throw err.cause;
    }
  });
}
