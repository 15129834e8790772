/**
 * 新規申込 (第7条) at /contracts/new, for clerks and supervisors: the form's text turned into the
 * application form the CLI's `apply` sends — a new customer's details or an existing customer's id (D-32) —
 * and recorded by the back office's one door for applications (recordApplication: checked, audited).
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { isRefusal } from '../backoffice/command-path';
import { ApplicationRefused, recordApplication } from '../backoffice/commands/apply';
import { InvalidCommand } from '../backoffice/commands/contract-command';
import type { LedgerAccess } from '../backoffice/ledger-client';
import { jstDateOf } from '../domain/calendar';
import { parseYenText } from '../domain/money';
import { OS_KINDS } from '../domain/types';
import { actorOf } from './contract-commands';
import { bodyOf, CONTRACT_ACTORS, newRequestId, requestIdOf, type RouteKit } from './route-kit';
import { applicationForm } from './pages/application';

const given = (text: string | undefined) => (text ?? '').trim() || undefined;
const count = (text: string | undefined) => {
  const v = (text ?? '').normalize('NFKC').trim();
  return v === '' ? 0 : /^\d+$/.test(v) ? Number(v) : v;
};

/** The form as the domain's applicationForm takes it; what cannot be read is left as typed for the schema to name. */
export function applicationOf(b: Record<string, string | undefined>, today: string): Record<string, unknown> {
  const counts = OS_KINDS.map((os) => count(b[os]));
  const bad = counts.find((n) => typeof n === 'string');
  const components = bad !== undefined ? bad : OS_KINDS.flatMap((os, i) => Array.from({ length: Math.min(Number(counts[i]), 10_001) }, () => ({ os })));
  const cloud = given(b.cloudMonthlyFee);
  const existing = b.customerMode === 'existing';
  const contact = { name: given(b.name), email: given(b.email), contactPerson: given(b.contactPerson), address: given(b.address), phone: given(b.phone) };
  return {
    contractId: given(b.contractId) ?? '',
    ...(existing ? { customerId: given(b.customerId) ?? '' } : { customer: Object.fromEntries(Object.entries(contact).filter(([, x]) => x !== undefined)) }),
    terms: {
      plan: b.plan,
      components,
      metricCapRelaxations: count(b.metricCapRelaxations),
      ...(cloud === undefined ? {} : { cloudMonthlyFee: parseYenText(cloud) ?? cloud }),
    },
    appliedOn: given(b.appliedOn) ?? today,
  };
}

export function applicationRoutes(app: FastifyInstance, k: RouteKit, d: { client: Client; ledgerAccess: LedgerAccess; taskQueue: string }): void {
  const route = { config: { roles: CONTRACT_ACTORS } };
  app.get('/contracts/new', route, async (req, reply) =>
    k.send(req, reply, applicationForm(k.ctx(req, reply), { requestId: newRequestId('apply'), values: {} })),
  );

  app.post('/contracts/new', route, async (req, reply) => {
    const t = k.t(req);
    const b = bodyOf(req);
    const requestId = requestIdOf(req, 'apply');
    // Refused: the same form again, what was typed kept (the same request id: nothing was recorded under it).
    const again = (text: string) => k.send(req, reply, applicationForm(k.ctx(req, reply), { requestId, values: b }), { kind: 'err', text });
    try {
      const r = await recordApplication(
        { client: d.client, ledger: d.ledgerAccess, audit: d.ledgerAccess.audit, taskQueue: d.taskQueue },
        { actor: actorOf(req), requestId, form: applicationOf(b, jstDateOf(Date.now())), today: jstDateOf(Date.now()), lang: k.lang(req) },
      );
      return k.flashAndGo(
        req,
        reply,
        'ok',
        t(
          `申込を記録しました${r.alreadyApplied ? ' (記録済み)' : ''}。月額 ${r.fixedMonthlyFee.toLocaleString('ja-JP')}円、初期費用 ${r.initialFee.toLocaleString('ja-JP')}円。${r.decideBy} までに承諾または不承諾を決めてください。`,
          `Application recorded${r.alreadyApplied ? ' (already)' : ''}: monthly ${r.fixedMonthlyFee.toLocaleString('en-US')} yen, initial fee ${r.initialFee.toLocaleString('en-US')} yen. Decide by ${r.decideBy}.`,
        ),
        `/contracts/${encodeURIComponent(r.contractId)}`,
      );
    } catch (err) {
      if (err instanceof InvalidCommand)
        return again(`${t('入力が正しくありません (何も記録していません)', 'Invalid input (nothing was recorded)')} — ${err.problems.join('; ')}`);
      if (err instanceof ApplicationRefused || isRefusal(err)) return again(`${t('受け付けられません', 'Refused')}: ${(err as Error).message}`);
      throw err;
    }
  });
}
