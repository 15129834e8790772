/**
 * The customer's page (issue 29) and its forms: a payer name added, the payer code or the virtual account
 * set or cleared — clerks and supervisors, CSRF as every form, audited with the person by the back office.
 * A refused value is flashed with its field and reason; nothing changed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditAccess } from '../backoffice/ledger-client';
import type { Ledger } from '../backoffice/ledger-records';
import { EdgeRefusal } from '../backoffice/command-path';
import { changePayer, CustomerNotFound, payerFieldsIn, type PayerChange } from '../backoffice/commands/payers';
import { customerIdSchema, customerOverview } from '../backoffice/receivables';
import type { Lang } from '../domain/messages';
import { parseWith } from '../domain/validation';
import { actorOf } from './contract-commands';
import { bodyOf, CONTRACT_ACTORS, newRequestId, READERS, requestIdOf, type RouteKit } from './route-kit';
import * as views from './views';

export function customerRoutes(app: FastifyInstance, k: RouteKit, d: { ledger: Ledger; audit: AuditAccess; virtualAccountRange: string }): void {
  const idOf = (req: FastifyRequest) => {
    const r = parseWith(customerIdSchema, (req.params as { customerId?: string }).customerId);
    return r.ok ? r.value : undefined;
  };
  const badId = (req: FastifyRequest, reply: FastifyReply) =>
    k.send(req, reply.code(400), views.message(k.t(req), '400', k.t(req)('顧客IDの形式が正しくありません (customerId)。', 'customerId: not a customer id.')));
  const missing = (req: FastifyRequest, reply: FastifyReply, id: string) =>
    k.send(req, reply.code(404), views.message(k.t(req), '404', k.t(req)(`顧客 ${id} はありません。`, `No customer ${id}.`)));

  app.get('/customers/:customerId', { config: { roles: READERS } }, async (req, reply) => {
    const id = idOf(req);
    if (!id) return badId(req, reply);
    const o = await customerOverview(d.ledger, id);
    if (!o) return missing(req, reply, id);
    const canChange = (CONTRACT_ACTORS as readonly string[]).includes(req.person!.role);
    return k.send(req, reply, views.customer(k.ctx(req, reply), o, { canChange, requestId: newRequestId }));
  });

  /** Checks the form's value (its field named), then sends the change down the back office's audited path. */
  const change = (
    path: string,
    read: (b: Record<string, string | undefined>, lang: Lang) => { ok: true; change: PayerChange } | { ok: false; problems: string[] },
  ) =>
    app.post(`/customers/:customerId/${path}`, { config: { roles: CONTRACT_ACTORS } }, async (req, reply) => {
      const t = k.t(req);
      const id = idOf(req);
      if (!id) return badId(req, reply);
      const back = `/customers/${encodeURIComponent(id)}`;
      const checked = read(bodyOf(req), k.lang(req));
      if (!checked.ok)
        return k.flashAndGo(
          req,
          reply,
          'err',
          `${t('入力が正しくありません (何も変更していません)', 'Invalid input (nothing was changed)')} — ${checked.problems.join('; ')}`,
          back,
        );
      try {
        const r = await changePayer(
          { ledger: d.ledger, audit: d.audit, virtualAccountRange: d.virtualAccountRange },
          { actor: actorOf(req), customerId: id, requestId: requestIdOf(req, path), change: checked.change },
        );
        return k.flashAndGo(req, reply, 'ok', `${t('記録しました', 'Recorded')}: ${r.words[k.lang(req)]}`, back);
      } catch (err) {
        if (err instanceof CustomerNotFound) return missing(req, reply, id);
        if (err instanceof EdgeRefusal)
          return k.flashAndGo(
            req,
            reply,
            'err',
            `${t('拒否されました (何も変更していません)', 'Refused (nothing was changed)')} — ${err.field}: ${err.reason}`,
            back,
          );
        throw err;
      }
    });
  const key = (field: 'payerCode' | 'virtualAccount') => (b: Record<string, string | undefined>, lang: Lang) => {
    const value = b.clear === 'yes' ? null : (b[field] ?? '').trim();
    const fields = payerFieldsIn(lang);
    const r = parseWith(field === 'payerCode' ? fields.payerCodeField : fields.virtualAccountField, value, field, lang);
    return r.ok ? { ok: true as const, change: { field, value: r.value } } : r;
  };
  change('payer-names', (b, lang) => {
    const r = parseWith(payerFieldsIn(lang).payerNameField, b.name ?? '', 'payerName', lang);
    return r.ok ? { ok: true, change: { field: 'payerName', name: r.value } } : r;
  });
  change('payer-code', key('payerCode'));
  change('virtual-account', key('virtualAccount'));
}
